package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/breachd/breachd/incidents"
)

// floorRetention is the least retention the store accepts and the one it
// checks redactions against when none is recorded: configs.MinRetention,
// also held by the trigger retention_floor (migration 16).
const floorRetention = 365 * 24 * time.Hour

// sqlNow is the database's clock in Unix nanoseconds: the one the trigger
// timeline_redact_after_retention reads, so the check and the guard agree.
const sqlNow = `SELECT CAST(unixepoch('now', 'subsec') * 1000000000 AS INTEGER)`

// recordRetention records the timeline's retention period in tx, unless a
// longer one is recorded, and returns the period in force. Periods only
// grow: a shorter one in the config does not shorten what was promised.
func recordRetention(ctx context.Context, tx *sql.Tx, period time.Duration, at time.Time) (time.Duration, error) {
	if period < floorRetention {
		return 0, fmt.Errorf("retention %s is shorter than the least allowed (%s)", incidents.FormatRetention(period), incidents.FormatRetention(floorRetention))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO retention (record, period, set_at) VALUES ('timeline', ?, ?)
		ON CONFLICT (record) DO UPDATE SET period = excluded.period, set_at = excluded.set_at WHERE excluded.period > retention.period`,
		int64(period), nanos(at)); err != nil {
		return 0, fmt.Errorf("record the retention: %w", err)
	}
	var inForce int64
	if err := tx.QueryRowContext(ctx, `SELECT period FROM retention WHERE record = 'timeline'`).Scan(&inForce); err != nil {
		return 0, err
	}
	return time.Duration(inForce), nil
}

// recordedRetention is the timeline's retention as recorded, or the floor
// when none was (a database no purge has run on).
func recordedRetention(ctx context.Context, q queryer) (time.Duration, error) {
	var period int64
	err := q.QueryRowContext(ctx, `SELECT period FROM retention WHERE record = 'timeline'`).Scan(&period)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return floorRetention, nil
	case err != nil:
		return 0, err
	}
	return max(time.Duration(period), floorRetention), nil
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
// redaction came after the entry's retention ran out, by the recorded
// retention or atLeast when that is longer (the config's), and not later
// than the database's clock.
func (s *Store) checkRedactions(ctx context.Context, rep incidents.ChainReport, atLeast time.Duration) (incidents.ChainReport, error) {
	if !rep.OK || rep.Redacted == 0 {
		return rep, nil
	}
	period, err := recordedRetention(ctx, s.r)
	if err != nil {
		return rep, err
	}
	period = max(period, atLeast)
	var now int64
	if err := s.r.QueryRowContext(ctx, sqlNow).Scan(&now); err != nil {
		return rep, err
	}
	rows, err := redactions(ctx, s.r)
	if err != nil {
		return rep, err
	}
	return incidents.CheckRedactions(rep, rows, period, fromNanos(now)), nil
}
