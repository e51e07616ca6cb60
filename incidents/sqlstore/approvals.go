package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/breachd/breachd/incidents"
)

// AwaitApproval implements incidents.Store.
func (s *Store) AwaitApproval(ctx context.Context, id int64, reason string, expires, at time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var incident int64
		var action string
		err := tx.QueryRowContext(ctx,
			`UPDATE action_runs SET state = 'awaiting_approval', approval_reason = ?, approval_expires_at = ?
			 WHERE id = ? AND state = 'pending' RETURNING incident_id, action`, reason, nanos(expires), id).Scan(&incident, &action)
		if err != nil {
			return fmt.Errorf("park action run %d: %w", id, err)
		}
		return s.addTimeline(ctx, tx, incident, at, "breachd", "approval",
			fmt.Sprintf("Action %s waits for approval until %s: %s", action, expires.UTC().Format(time.RFC3339), reason),
			map[string]string{"action": action, "run": fmt.Sprint(id), "reason": reason})
	})
}

// Decide implements incidents.Store.
func (s *Store) Decide(ctx context.Context, id int64, approve bool, c incidents.Change) (incidents.ActionRun, error) {
	var run incidents.ActionRun
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var incident int64
		var action string
		var err error
		if approve {
			err = tx.QueryRowContext(ctx, `UPDATE action_runs SET state = 'pending', approved_by = ? WHERE id = ? AND state = 'awaiting_approval'
				RETURNING incident_id, action`, c.Actor, id).Scan(&incident, &action)
		} else {
			err = tx.QueryRowContext(ctx, `UPDATE action_runs SET state = 'denied', result = ?, finished_at = ? WHERE id = ? AND state = 'awaiting_approval'
				RETURNING incident_id, action`, "denied by "+c.Actor+": "+c.Reason, nanos(c.At), id).Scan(&incident, &action)
		}
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: action run %d is not waiting for approval", incidents.ErrConflict, id)
		}
		if err != nil {
			return err
		}
		verdict := "approved"
		if !approve {
			verdict = "denied"
		}
		if err := s.addTimeline(ctx, tx, incident, c.At, c.Actor, "approval",
			fmt.Sprintf("Action %s %s by %s: %s", action, verdict, c.Actor, c.Reason),
			map[string]string{"action": action, "run": fmt.Sprint(id), "verdict": verdict, "reason": c.Reason}); err != nil {
			return err
		}
		runs, err := collectRuns(ctx, tx, `SELECT `+actionCols+` FROM action_runs WHERE id = ?`, id)
		if err == nil && len(runs) == 1 {
			run = runs[0]
		}
		return err
	})
	if errors.Is(err, incidents.ErrConflict) {
		var n int
		if s.r.QueryRowContext(ctx, `SELECT count(*) FROM action_runs WHERE id = ?`, id).Scan(&n); n == 0 {
			return run, fmt.Errorf("action run %d: %w", id, incidents.ErrNotFound)
		}
	}
	return run, err
}

func collectRuns(ctx context.Context, q queryer, query string, args ...any) ([]incidents.ActionRun, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	runs, err := scanActions(rows)
	if runs == nil {
		runs = []incidents.ActionRun{}
	}
	return runs, err
}

// ExpireApprovals implements incidents.Store.
func (s *Store) ExpireApprovals(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		runs, err := collectRuns(ctx, tx, `SELECT `+actionCols+` FROM action_runs WHERE state = 'awaiting_approval' AND approval_expires_at <= ?`, nanos(now))
		if err != nil {
			return err
		}
		for _, r := range runs {
			if _, err := tx.ExecContext(ctx, `UPDATE action_runs SET state = 'expired', result = ?, finished_at = ? WHERE id = ?`,
				"nobody approved it in time; nothing ran", nanos(now), r.ID); err != nil {
				return err
			}
			if err := s.addTimeline(ctx, tx, r.IncidentID, now, "breachd", "approval",
				fmt.Sprintf("Action %s expired: nobody approved it in time; nothing ran", r.Action),
				map[string]string{"action": r.Action, "run": fmt.Sprint(r.ID), "verdict": "expired"}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// AwaitingApproval implements incidents.Store.
func (s *Store) AwaitingApproval(ctx context.Context) ([]incidents.ActionRun, error) {
	return collectRuns(ctx, s.r, `SELECT `+actionCols+` FROM action_runs WHERE state = 'awaiting_approval' ORDER BY id`)
}

// RecentRuns implements incidents.Store.
func (s *Store) RecentRuns(ctx context.Context, action string, since time.Time) (int, error) {
	var n int
	err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM action_runs WHERE action = ? AND state = 'succeeded' AND finished_at >= ?`,
		action, nanos(since)).Scan(&n)
	return n, err
}

// RecentTargets implements incidents.Store.
func (s *Store) RecentTargets(ctx context.Context, since time.Time) (int, error) {
	var n int
	err := s.w.QueryRowContext(ctx, `SELECT count(DISTINCT target) FROM containments WHERE applied_at >= ? AND state != 'failed'`, nanos(since)).Scan(&n)
	return n, err
}
