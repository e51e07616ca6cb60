package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/breachd/breachd/incidents"
)

const containmentCols = `id, run_id, incident_id, action, target, offense, applied_at, expires_at, state, ended_at, end_reason, undo`

func scanContainment(rows *sql.Rows) (incidents.Containment, error) {
	var (
		c                incidents.Containment
		applied, expires int64
		state            string
		ended            sql.NullInt64
	)
	err := rows.Scan(&c.ID, &c.RunID, &c.IncidentID, &c.Action, &c.Target, &c.Offense, &applied, &expires, &state, &ended, &c.EndReason, &c.Undo)
	c.AppliedAt, c.ExpiresAt, c.State, c.EndedAt = fromNanos(applied), fromNanos(expires), incidents.ContainmentState(state), fromOptNanos(ended)
	return c, err
}

// Offenses implements incidents.Store.
func (s *Store) Offenses(ctx context.Context, action, target string) (int, time.Time, error) {
	var n int
	var until sql.NullInt64
	// Ended containments: an active one is the current offence.
	err := s.rqueryRow(ctx, sqlOffenses, action, target).Scan(&n, &until)
	if err != nil || !until.Valid {
		return n, time.Time{}, err
	}
	return n, fromNanos(until.Int64), nil
}

// RecordContainment implements incidents.Store.
func (s *Store) RecordContainment(ctx context.Context, c incidents.Containment, at time.Time) (incidents.Containment, bool, error) {
	extended := false
	// A volatile containment (a block in the kernel's memory, which a
	// power loss erases too) is recorded unsynced, just after the kernel:
	// the run, synced with its incident, is applied again after a crash
	// or a power loss, and the result recorded after the kernel is synced
	// (and with it this). The incident's commit stays the one write
	// between the 5th failure and the block. Others (a locked account)
	// survive a power loss: synced, before they are applied.
	commit := s.tx
	if c.Volatile {
		commit = s.txUnsynced
	}
	err := commit(ctx, func(tx *sql.Tx) error {
		// The run's start is counted in the same commit.
		if _, err := tx.ExecContext(ctx, `UPDATE action_runs SET attempts = attempts + 1 WHERE id = ?`, c.RunID); err != nil {
			return err
		}
		var id int64
		var expires int64
		err := tx.QueryRowContext(ctx, `SELECT id, expires_at FROM containments WHERE action = ? AND target = ? AND state = 'active'`,
			c.Action, c.Target).Scan(&id, &expires)
		switch {
		case err == nil:
			// A repeat while active: one containment, its end moved.
			extended = true
			newEnd := max(expires, nanos(c.ExpiresAt))
			if _, err := tx.ExecContext(ctx, `UPDATE containments SET expires_at = ? WHERE id = ?`, newEnd, id); err != nil {
				return err
			}
			c.ID, c.ExpiresAt, c.State = id, fromNanos(newEnd), incidents.ContainmentActive
			return s.addEntry(ctx, tx, c.IncidentID, at, "breachd", incidents.ExtendedEntry(c))
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		err = tx.QueryRowContext(ctx,
			`INSERT INTO containments (run_id, incident_id, action, target, offense, applied_at, expires_at, undo) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.RunID, c.IncidentID, c.Action, c.Target, c.Offense, nanos(c.AppliedAt), nanos(c.ExpiresAt), c.Undo).Scan(&c.ID)
		if err != nil {
			return err
		}
		c.State = incidents.ContainmentActive
		return s.addEntry(ctx, tx, c.IncidentID, at, "breachd", incidents.ContainedEntry(c))
	})
	return c, extended, err
}

// EndContainment implements incidents.Store.
func (s *Store) EndContainment(ctx context.Context, id int64, state incidents.ContainmentState, reason string, ch incidents.Change) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var incident int64
		var action, target string
		err := tx.QueryRowContext(ctx,
			`UPDATE containments SET state = ?, ended_at = ?, end_reason = ? WHERE id = ? AND state = 'active' RETURNING incident_id, action, target`,
			string(state), nanos(ch.At), reason, id).Scan(&incident, &action, &target)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: containment %d is not active", incidents.ErrConflict, id)
		}
		if err != nil {
			return err
		}
		return s.addEntry(ctx, tx, incident, ch.At, ch.Actor, incidents.ContainmentEndedEntry(id, action, target, state, reason, ch))
	})
}

// DueContainments implements incidents.Store.
func (s *Store) DueContainments(ctx context.Context, now time.Time) ([]incidents.Containment, error) {
	return collect(ctx, s.w, scanContainment, `SELECT `+containmentCols+` FROM containments WHERE state = 'active' AND expires_at <= ? ORDER BY expires_at`, nanos(now))
}

// ActiveContainments implements incidents.Store.
func (s *Store) ActiveContainments(ctx context.Context) ([]incidents.Containment, error) {
	return collect(ctx, s.w, scanContainment, `SELECT `+containmentCols+` FROM containments WHERE state = 'active' ORDER BY id`)
}

// Containments implements incidents.Store.
func (s *Store) Containments(ctx context.Context, incident int64) ([]incidents.Containment, error) {
	return containments(ctx, s.r, incident)
}

func containments(ctx context.Context, q queryer, incident int64) ([]incidents.Containment, error) {
	return collect(ctx, q, scanContainment, `SELECT `+containmentCols+` FROM containments WHERE incident_id = ? ORDER BY id`, incident)
}

// ContainmentByID implements incidents.Store.
func (s *Store) ContainmentByID(ctx context.Context, id int64) (*incidents.Containment, error) {
	list, err := collect(ctx, s.w, scanContainment, `SELECT `+containmentCols+` FROM containments WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("containment %d: %w", id, incidents.ErrNotFound)
	}
	return &list[0], nil
}

// SetUndo implements incidents.Store.
func (s *Store) SetUndo(ctx context.Context, id int64, undo string) error {
	_, err := s.w.ExecContext(ctx, `UPDATE containments SET undo = ? WHERE id = ? AND state = 'active'`, undo, id)
	return err
}
