package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/breachd/breachd/incidents"
)

// floorRetention is the least retention the store accepts, and the one it
// checks redactions against when none was recorded before them:
// configs.MinRetention, also held by the trigger retention_only_lengthen
// (migration 16).
const floorRetention = 365 * 24 * time.Hour

// sqlNow is the database's clock in Unix nanoseconds: the one the trigger
// timeline_redact_after_retention reads, so the check and the guard agree.
const sqlNow = `SELECT CAST(unixepoch('now', 'subsec') * 1000000000 AS INTEGER)`

// recordRetention records the timeline's retention period in tx when it is
// longer than the one in force, and returns the period in force. Periods
// only grow: a shorter one in the config does not shorten what was
// promised.
func recordRetention(ctx context.Context, tx *sql.Tx, period time.Duration, at time.Time) (time.Duration, error) {
	if period < floorRetention {
		return 0, fmt.Errorf("retention %s is shorter than the least allowed (%s)", incidents.FormatRetention(period), incidents.FormatRetention(floorRetention))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO retention (record, period, set_at) SELECT 'timeline', ?1, ?2
		WHERE ?1 > coalesce((SELECT max(period) FROM retention WHERE record = 'timeline'), 0)`,
		int64(period), nanos(at)); err != nil {
		return 0, fmt.Errorf("record the retention: %w", err)
	}
	var inForce int64
	if err := tx.QueryRowContext(ctx, `SELECT max(period) FROM retention WHERE record = 'timeline'`).Scan(&inForce); err != nil {
		return 0, err
	}
	return time.Duration(inForce), nil
}

// retentionHistory returns the timeline's recorded periods, oldest first.
func retentionHistory(ctx context.Context, q queryer) ([]incidents.RetentionPeriod, error) {
	rows, err := q.QueryContext(ctx, `SELECT period, set_at FROM retention WHERE record = 'timeline' ORDER BY set_at, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []incidents.RetentionPeriod
	for rows.Next() {
		var period, from int64
		if err := rows.Scan(&period, &from); err != nil {
			return nil, err
		}
		out = append(out, incidents.RetentionPeriod{Period: time.Duration(period), From: fromNanos(from)})
	}
	return out, rows.Err()
}

// redactions returns the redacted timeline entries in storage order.
func redactions(ctx context.Context, q queryer) ([]incidents.Redaction, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, seq, at, redacted_at FROM timeline WHERE redacted_at IS NOT NULL ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []incidents.Redaction
	for rows.Next() {
		var r incidents.Redaction
		var at, redacted int64
		if err := rows.Scan(&r.Row, &r.Seq, &at, &redacted); err != nil {
			return nil, err
		}
		r.At, r.RedactedAt = fromNanos(at), fromNanos(redacted)
		out = append(out, r)
	}
	return out, rows.Err()
}

// checkRedactions checks, once the timeline's chain holds, that every
// redaction came after the entry's retention ran out, by the period in
// force when it was made (at least a year), and not later than the
// database's clock.
func (s *Store) checkRedactions(ctx context.Context, rep incidents.ChainReport) (incidents.ChainReport, error) {
	if !rep.OK || rep.Redacted == 0 {
		return rep, nil
	}
	history, err := retentionHistory(ctx, s.r)
	if err != nil {
		return rep, err
	}
	var now int64
	if err := s.r.QueryRowContext(ctx, sqlNow).Scan(&now); err != nil {
		return rep, err
	}
	rows, err := redactions(ctx, s.r)
	if err != nil {
		return rep, err
	}
	return incidents.CheckRedactions(rep, rows, history, floorRetention, fromNanos(now)), nil
}
