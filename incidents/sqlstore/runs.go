package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/breachd/breachd/incidents"
)

// FinishAndPage implements incidents.Store.
func (s *Store) FinishAndPage(ctx context.Context, id int64, state incidents.ActionState, result string, pages []incidents.Page, at time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var incident int64
		var action string
		err := tx.QueryRowContext(ctx,
			`UPDATE action_runs SET state = ?, result = ?, finished_at = ? WHERE id = ? RETURNING incident_id, action`,
			string(state), result, nanos(at), id).Scan(&incident, &action)
		if err != nil {
			return fmt.Errorf("finish action run %d: %w", id, err)
		}
		if err := s.addEntry(ctx, tx, incident, at, "breachd", incidents.ActionEntry(action, state, result)); err != nil {
			return err
		}
		event := "action." + string(state)
		for _, p := range pages {
			key := incidents.RunPageKey(id, state, p.Channel)
			res, err := s.exec(ctx, tx, sqlInsertMessage, incident, p.Channel, p.Route, event, key, nanos(at), nanos(at), nil,
				fmt.Sprintf("Action %s %s", action, state), result)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue
			}
			if err := s.addEntry(ctx, tx, incident, at, "breachd", incidents.PagedEntry(p, id, action, state, event)); err != nil {
				return err
			}
		}
		return nil
	})
}

// Settle implements incidents.Store.
func (s *Store) Settle(ctx context.Context, id int64, to incidents.ActionState, c incidents.Change) (incidents.ActionRun, error) {
	var run incidents.ActionRun
	what, err := incidents.SettledWhat(to)
	if err != nil {
		return run, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var incident int64
		var action string
		var err error
		if to == incidents.ActionPending {
			err = tx.QueryRowContext(ctx, `UPDATE action_runs SET state = 'pending', settled_by = ?, started_at = NULL, finished_at = NULL,
				result = ? WHERE id = ? AND state = 'unknown' RETURNING incident_id, action`,
				c.Actor, fmt.Sprintf("settled by %s: %s (%s)", c.Actor, what, c.Reason), id).Scan(&incident, &action)
		} else {
			err = tx.QueryRowContext(ctx, `UPDATE action_runs SET state = ?, settled_by = ?, result = result || ?, finished_at = ?
				WHERE id = ? AND state = 'unknown' RETURNING incident_id, action`,
				string(to), c.Actor, fmt.Sprintf("; settled by %s: %s (%s)", c.Actor, what, c.Reason), nanos(c.At), id).Scan(&incident, &action)
		}
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: action run %d has no unknown outcome to settle", incidents.ErrConflict, id)
		}
		if err != nil {
			return err
		}
		if err := s.addEntry(ctx, tx, incident, c.At, c.Actor, incidents.SettledEntry(id, action, to, what, c)); err != nil {
			return err
		}
		run, err = runTx(ctx, tx, id, run)
		return err
	})
	return run, s.runMissing(ctx, id, err)
}

// runTx reads run id back as the transaction left it (fallback when it is
// not there).
func runTx(ctx context.Context, tx *sql.Tx, id int64, fallback incidents.ActionRun) (incidents.ActionRun, error) {
	runs, err := collectRuns(ctx, tx, `SELECT `+actionCols+` FROM action_runs WHERE id = ?`, id)
	if err == nil && len(runs) == 1 {
		return runs[0], nil
	}
	return fallback, err
}

// runMissing turns a conflict over run id into not found when there is no
// such run.
func (s *Store) runMissing(ctx context.Context, id int64, err error) error {
	if errors.Is(err, incidents.ErrConflict) {
		var n int
		if qerr := s.r.QueryRowContext(ctx, `SELECT count(*) FROM action_runs WHERE id = ?`, id).Scan(&n); qerr == nil && n == 0 {
			return fmt.Errorf("action run %d: %w", id, incidents.ErrNotFound)
		}
	}
	return err
}
