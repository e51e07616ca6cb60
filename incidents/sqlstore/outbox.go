package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/breachd/breachd/incidents"
)

const messageCols = `id, incident_id, channel, route, event, idempotency_key, state, attempts, next_attempt_at, last_error, created_at, sent_at, coalesce(obligation_id, 0), subject, body, rcpt, rcpt_shown, coalesce(resend_of, 0)`

func scanMessage(rows *sql.Rows) (incidents.Message, error) {
	var (
		m             incidents.Message
		state         string
		next, created int64
		sent          sql.NullInt64
	)
	err := rows.Scan(&m.ID, &m.IncidentID, &m.Channel, &m.Route, &m.Event, &m.IdempotencyKey, &state, &m.Attempts, &next, &m.LastError, &created, &sent, &m.ObligationID, &m.Subject, &m.Body, &m.Rcpt, &m.RcptShown, &m.ResendOf)
	m.State, m.NextAttemptAt, m.CreatedAt, m.SentAt = incidents.MessageState(state), fromNanos(next), fromNanos(created), fromOptNanos(sent)
	return m, err
}

// DueMessages implements incidents.Store.
func (s *Store) DueMessages(ctx context.Context, now time.Time, limit int) ([]incidents.Message, error) {
	return collect(ctx, s.w, scanMessage, `SELECT `+messageCols+` FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`, nanos(now), limit)
}

// Messages implements incidents.Store.
func (s *Store) Messages(ctx context.Context, incident int64) ([]incidents.Message, error) {
	return messages(ctx, s.r, incident)
}

func messages(ctx context.Context, q queryer, incident int64) ([]incidents.Message, error) {
	return collect(ctx, q, scanMessage, `SELECT `+messageCols+` FROM outbox WHERE incident_id = ? ORDER BY id`, incident)
}

// RecordDelivery implements incidents.Store.
func (s *Store) RecordDelivery(ctx context.Context, id int64, ok bool, detail, payload string, next time.Time, dead bool, alert []string, at time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		// A data subject's address is shown masked wherever the
		// delivery is recorded.
		var rcpt, shown string
		if err := tx.QueryRowContext(ctx, `SELECT rcpt, rcpt_shown FROM outbox WHERE id = ?`, id).Scan(&rcpt, &shown); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if rcpt != "" && shown != "" {
			detail = strings.ReplaceAll(detail, rcpt, shown)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO deliveries (message_id, at, ok, detail, payload) VALUES (?, ?, ?, ?, ?)`,
			id, nanos(at), ok, detail, payload); err != nil {
			return err
		}
		var incident, obligation int64
		var channel, route string
		var err error
		switch {
		case ok:
			err = tx.QueryRowContext(ctx, `UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?, last_error = '' WHERE id = ? AND state = 'pending'
				RETURNING incident_id, channel, route, coalesce(obligation_id, 0)`, nanos(at), id).Scan(&incident, &channel, &route, &obligation)
		case dead:
			err = tx.QueryRowContext(ctx, `UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ? WHERE id = ? AND state = 'pending'
				RETURNING incident_id, channel, route`, detail, id).Scan(&incident, &channel, &route)
		default:
			_, err = tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ? AND state = 'pending'`,
				nanos(next), detail, id)
			return err
		}
		if err != nil {
			return fmt.Errorf("message %d: %w", id, err)
		}
		if obligation != 0 {
			if err := s.noticeDelivered(ctx, tx, obligation, id, channel, detail, at); err != nil {
				return err
			}
		}
		if dead {
			// The team hears of it, unless this was that alert.
			var event string
			if err := tx.QueryRowContext(ctx, `SELECT event FROM outbox WHERE id = ?`, id).Scan(&event); err != nil {
				return err
			}
			for _, ch := range alert {
				if event == "notification.dead" || ch == channel {
					continue
				}
				if _, err := tx.ExecContext(ctx, sqlInsertMessage, incident, ch, "dead-letter", "notification.dead",
					incidents.DeadLetterKey(id, ch), nanos(at), nanos(at), nil, "", ""); err != nil {
					return err
				}
			}
		}
		return s.addEntry(ctx, tx, incident, at, "breachd", incidents.DeliveryEntry(id, channel, route, detail, ok, dead))
	})
}

// Message implements incidents.Store.
func (s *Store) Message(ctx context.Context, id int64) (incidents.Message, error) {
	list, err := collect(ctx, s.r, scanMessage, `SELECT `+messageCols+` FROM outbox WHERE id = ?`, id)
	if err != nil {
		return incidents.Message{}, err
	}
	if len(list) == 0 {
		return incidents.Message{}, fmt.Errorf("message %d: %w", id, incidents.ErrNotFound)
	}
	return list[0], nil
}

// Resend implements incidents.Store: the message sent again is a new one,
// with its own idempotency key (so its own Message-ID) and its own
// delivery log, linked to the one it sends again on the timeline.
func (s *Store) Resend(ctx context.Context, id int64, c incidents.Change) (incidents.Message, error) {
	var m incidents.Message
	err := s.tx(ctx, func(tx *sql.Tx) error {
		list, err := collect(ctx, tx, scanMessage, `SELECT `+messageCols+` FROM outbox WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return fmt.Errorf("message %d: %w", id, incidents.ErrNotFound)
		}
		orig := list[0]
		if orig.State == incidents.MessagePending {
			return fmt.Errorf("%w: message %d is already waiting to be sent", incidents.ErrConflict, id)
		}
		if orig.ObligationID != 0 {
			var state string
			if err := tx.QueryRowContext(ctx, `SELECT state FROM obligations WHERE id = ?`, orig.ObligationID).Scan(&state); err != nil {
				return err
			}
			if state == string(incidents.ObligationNotRequired) {
				return fmt.Errorf("%w: message %d carries the notice of obligation %d, which was ruled not required; it is not sent again",
					incidents.ErrConflict, id, orig.ObligationID)
			}
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE resend_of = ?`, id).Scan(&n); err != nil {
			return err
		}
		key := fmt.Sprintf("%s-resend-%d", orig.IdempotencyKey, n+1)
		var obligation any
		if orig.ObligationID != 0 {
			obligation = orig.ObligationID
		}
		var newID int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO outbox (incident_id, channel, route, event, idempotency_key, next_attempt_at, created_at,
			    obligation_id, subject, body, rcpt, rcpt_shown, resend_of)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			orig.IncidentID, orig.Channel, orig.Route, orig.Event, key, nanos(c.At), nanos(c.At),
			obligation, orig.Subject, orig.Body, orig.Rcpt, orig.RcptShown, id).Scan(&newID); err != nil {
			return err
		}
		at := c.At
		m = orig
		m.ID, m.IdempotencyKey, m.State, m.Attempts, m.NextAttemptAt, m.LastError, m.CreatedAt, m.SentAt, m.ResendOf =
			newID, key, incidents.MessagePending, 0, at, "", at, nil, id
		return s.addEntry(ctx, tx, m.IncidentID, c.At, c.Actor, incidents.ResentEntry(id, m, c))
	})
	return m, err
}

// Enqueue implements incidents.Store.
func (s *Store) Enqueue(ctx context.Context, incident int64, p incidents.Page, event, key, note string, at time.Time) (bool, error) {
	queued := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, sqlInsertMessage, incident, p.Channel, p.Route, event, key, nanos(at), nanos(at), nil, "", "")
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		queued = true
		return s.addEntry(ctx, tx, incident, at, "breachd", incidents.QueuedEntry(p, event, note))
	})
	return queued, err
}

// noticeDelivered marks an approved obligation sent when the first message
// carrying its notice is delivered, with the delivery's proof (what the
// channel reported: the accepted recipient and message id, the status and
// request id, the file and its hash).
func (s *Store) noticeDelivered(ctx context.Context, tx *sql.Tx, obligation, message int64, channel, proof string, at time.Time) error {
	var incident int64
	var policy, recipient string
	err := tx.QueryRowContext(ctx, `UPDATE obligations SET state = 'sent', decided_at = ?1, delivered_at = ?1, reason = reason || ?2, proof = ?3
		WHERE id = ?4 AND state = 'approved' RETURNING incident_id, policy, recipient`,
		nanos(at), incidents.DeliveredReason(channel, message), proof, obligation).Scan(&incident, &policy, &recipient)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // already sent by another channel, or decided otherwise
	}
	if err != nil {
		return err
	}
	if err := s.addEntry(ctx, tx, incident, at, "breachd", incidents.NoticeDeliveredEntry(policy, recipient, channel, message, proof)); err != nil {
		return err
	}
	return s.followRegister(ctx, tx, incident, at)
}
