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
		return s.addEntry(ctx, tx, incident, at, "breachd", incidents.AwaitingEntry(id, action, reason, expires))
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
		if err := s.addEntry(ctx, tx, incident, c.At, c.Actor, incidents.VerdictEntry(id, action, approve, c)); err != nil {
			return err
		}
		run, err = runTx(ctx, tx, id, run)
		return err
	})
	return run, s.runMissing(ctx, id, err)
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
				incidents.ExpiredResult, nanos(now), r.ID); err != nil {
				return err
			}
			if err := s.addEntry(ctx, tx, r.IncidentID, now, "breachd", incidents.ExpiredEntry(r.ID, r.Action)); err != nil {
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
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM action_runs WHERE action = ? AND state = 'succeeded' AND finished_at >= ?`,
		action, nanos(since)).Scan(&n)
	return n, err
}

// RecentTargets implements incidents.Store.
func (s *Store) RecentTargets(ctx context.Context, since time.Time) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT target FROM containments WHERE applied_at >= ? AND state != 'failed'`, nanos(since))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SyncObligations implements incidents.Store.
func (s *Store) SyncObligations(ctx context.Context, incident int64, specs []incidents.ObligationSpec, at time.Time) error {
	if len(specs) == 0 {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		return s.syncObligations(ctx, tx, incident, specs, at)
	})
}

// syncObligations is SyncObligations in transaction tx.
func (s *Store) syncObligations(ctx context.Context, tx *sql.Tx, incident int64, specs []incidents.ObligationSpec, at time.Time) error {
	have, err := obligations(ctx, tx, incident)
	if err != nil {
		return err
	}
	byKey := map[[2]string]incidents.Obligation{}
	for _, o := range have {
		byKey[[2]string{o.Policy, o.Recipient}] = o
	}
	for _, sp := range incidents.ExpandFanOut(have, specs) {
		var o *incidents.Obligation
		if have, ok := byKey[[2]string{sp.Policy, sp.Recipient}]; ok {
			o = &have
		}
		step := incidents.SyncStep(o, sp)
		var withdrawn int64
		switch step {
		case incidents.SyncNothing:
			continue
		case incidents.SyncCreate:
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO obligations (incident_id, policy, recipient, due_at, state, deadline, approval, created_at) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)`,
				incident, sp.Policy, sp.Recipient, optNanos(sp.DueAt), sp.Deadline, sp.Approval, nanos(at)); err != nil {
				return err
			}
		case incidents.SyncReapply:
			if _, err := tx.ExecContext(ctx, `UPDATE obligations SET state = 'pending', due_at = ?, deadline = ?, decided_by = '', reason = '', decided_at = NULL WHERE id = ?`,
				optNanos(sp.DueAt), sp.Deadline, o.ID); err != nil {
				return err
			}
		case incidents.SyncHold:
			// Said once, when its condition stops holding.
			if held, err := heldNoted(ctx, tx, incident, sp.Policy, sp.Recipient); err != nil || held {
				if err != nil {
					return err
				}
				continue
			}
		case incidents.SyncRetire:
			if _, err := tx.ExecContext(ctx, `UPDATE obligations SET state = 'not_required', decided_by = 'breachd', reason = ?, decided_at = ? WHERE id = ?`,
				sp.Reason, nanos(at), o.ID); err != nil {
				return err
			}
			if withdrawn, err = withdrawNoticeN(ctx, tx, o.ID, "the obligation no longer applies: "+sp.Reason); err != nil {
				return err
			}
		case incidents.SyncRedue:
			if _, err := tx.ExecContext(ctx, `UPDATE obligations SET due_at = ?, deadline = ? WHERE id = ?`, optNanos(sp.DueAt), sp.Deadline, o.ID); err != nil {
				return err
			}
		}
		if err := s.addEntry(ctx, tx, incident, at, "breachd", incidents.SyncEntry(step, o, sp, withdrawn)); err != nil {
			return err
		}
	}
	// A notice already given on an incident merged into this one
	// is this one's too (docs/incidents.md).
	_, err = s.takeOverSent(ctx, tx, incident, incidents.Change{Actor: "breachd", At: at})
	return err
}

// heldNoted says whether the timeline already says that the obligation
// (policy, recipient) is held for its role since it last applied: its
// latest entry that records a hold or a due time (created, applies
// again, now due) records a hold.
func heldNoted(ctx context.Context, tx *sql.Tx, incident int64, policy, recipient string) (bool, error) {
	var held int
	err := tx.QueryRowContext(ctx, `SELECT json_extract(data, '$.held_for') IS NOT NULL FROM timeline
		WHERE incident_id = ? AND kind = 'obligation' AND json_valid(data) AND json_extract(data, '$.policy') = ? AND json_extract(data, '$.recipient') = ?
		  AND (json_extract(data, '$.held_for') IS NOT NULL OR json_extract(data, '$.due') IS NOT NULL)
		ORDER BY id DESC LIMIT 1`, incident, policy, recipient).Scan(&held)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return held == 1, err
}

// OpenObligations implements incidents.Store.
func (s *Store) OpenObligations(ctx context.Context) ([]incidents.Obligation, error) {
	return collect(ctx, s.r, scanObligation, `SELECT `+obligationCols+` FROM obligations
		WHERE state IN ('pending', 'drafted', 'approved') ORDER BY due_at IS NULL, due_at, id`)
}

// UndecidedObligations implements incidents.Store.
func (s *Store) UndecidedObligations(ctx context.Context, q incidents.ObligationQuery) ([]incidents.Obligation, error) {
	query := `SELECT ` + obligationCols + ` FROM obligations WHERE state IN ('pending', 'drafted', 'approved')`
	var args []any
	if len(q.Incidents) > 0 {
		query += ` AND incident_id IN (?` + strings.Repeat(", ?", len(q.Incidents)-1) + `)`
		for _, id := range q.Incidents {
			args = append(args, id)
		}
	}
	query += ` ORDER BY due_at IS NULL, due_at, id`
	if q.Limit > 0 {
		query += ` LIMIT ? OFFSET ?`
		args = append(args, q.Limit, max(q.Offset, 0))
	}
	return collect(ctx, s.r, scanObligation, query, args...)
}

// DecideObligationByID implements incidents.Store.
func (s *Store) DecideObligationByID(ctx context.Context, id int64, state incidents.ObligationState, c incidents.Change, out *incidents.NoticeOut) (incidents.Obligation, error) {
	var o incidents.Obligation
	switch state {
	case incidents.ObligationSent, incidents.ObligationNotRequired, incidents.ObligationApproved:
	default:
		return o, fmt.Errorf("%w: state %q; record approved, sent or not_required", incidents.ErrInvalid, state)
	}
	if strings.TrimSpace(c.Reason) == "" {
		return o, fmt.Errorf("%w: say why (reason): e.g. \"risk none: data encrypted, keys safe\" or how it was sent", incidents.ErrInvalid)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if o, err = obligationByID(ctx, tx, id); err != nil {
			return err
		}
		if o.State == incidents.ObligationSent {
			return fmt.Errorf("%w: obligation %d was already sent", incidents.ErrConflict, id)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE obligations SET state = ?, decided_by = ?, reason = ?, decided_at = ? WHERE id = ?`,
			string(state), c.Actor, c.Reason, nanos(c.At), id); err != nil {
			return err
		}
		if state == incidents.ObligationSent {
			// Sent by hand: the person's word, with who gave it, is
			// the proof.
			o.Proof = fmt.Sprintf("recorded by %s: %s", c.Actor, c.Reason)
			if _, err := tx.ExecContext(ctx, `UPDATE obligations SET proof = ? WHERE id = ?`, o.Proof, id); err != nil {
				return err
			}
		}
		late := incidents.Late(o.DueAt, c.At)
		o.State, o.DecidedBy, o.Reason = state, c.Actor, c.Reason
		at := c.At
		o.DecidedAt = &at
		if state == incidents.ObligationNotRequired {
			if err := withdrawNotice(ctx, tx, id, "the obligation was ruled not required by "+c.Actor); err != nil {
				return err
			}
		}
		if state == incidents.ObligationApproved && out != nil && len(out.Channels) > 0 {
			if err := s.queueNotice(ctx, tx, &o, out, c.At); err != nil {
				return err
			}
		}
		if err := s.addEntry(ctx, tx, o.IncidentID, c.At, c.Actor, incidents.DecisionEntry(o, state, late, c)); err != nil {
			return err
		}
		if state == incidents.ObligationSent {
			return s.followRegister(ctx, tx, o.IncidentID, c.At)
		}
		return nil
	})
	return o, err
}

// ObligationByID implements incidents.Store.
func (s *Store) ObligationByID(ctx context.Context, id int64) (incidents.Obligation, error) {
	return obligationByID(ctx, s.r, id)
}

// queueNotice stores the approved notice on the obligation and queues it
// on each channel. A notice approved again after a change is a new
// version, with its own idempotency keys.
func (s *Store) queueNotice(ctx context.Context, tx *sql.Tx, o *incidents.Obligation, out *incidents.NoticeOut, at time.Time) error {
	var queued bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM outbox WHERE obligation_id = ? AND body = ?)`, o.ID, out.Body).Scan(&queued); err != nil {
		return err
	}
	if queued {
		return nil // this very notice is already on its way
	}
	var version int
	if err := tx.QueryRowContext(ctx, `SELECT count(DISTINCT body) + 1 FROM outbox WHERE obligation_id = ?`, o.ID).Scan(&version); err != nil {
		return err
	}
	shown := out.Body
	if out.Shown != "" {
		shown = out.Shown
	}
	if _, err := tx.ExecContext(ctx, `UPDATE obligations SET notice = ? WHERE id = ?`, shown, o.ID); err != nil {
		return err
	}
	o.Notice = shown
	for _, ch := range out.Channels {
		key := incidents.NoticeKey(o.ID, ch, version)
		if _, err := s.exec(ctx, tx, sqlInsertMessage, o.IncidentID, ch, "notice", "obligation.notice", key, nanos(at), nanos(at), o.ID, out.Subject, out.Body); err != nil {
			return err
		}
		// Delivered to the recipient's address, never the channel's own.
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET rcpt = ?, rcpt_shown = ? WHERE idempotency_key = ?`, out.To, out.ToShown, key); err != nil {
			return err
		}
		if err := s.addEntry(ctx, tx, o.IncidentID, at, "breachd", incidents.NoticeQueuedEntry(*o, ch, key)); err != nil {
			return err
		}
	}
	return nil
}

// withdrawNotice stops the messages of an obligation's notice that are
// still queued: the notice is not sent after all.
func withdrawNotice(ctx context.Context, tx *sql.Tx, obligation int64, why string) error {
	_, err := withdrawNoticeN(ctx, tx, obligation, why)
	return err
}

// withdrawNoticeN is withdrawNotice, returning how many messages it
// withdrew.
func withdrawNoticeN(ctx context.Context, tx *sql.Tx, obligation int64, why string) (int64, error) {
	res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'dead', last_error = ? WHERE obligation_id = ? AND state = 'pending'`,
		"withdrawn: "+why, obligation)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// SetDrafted implements incidents.Store.
func (s *Store) SetDrafted(ctx context.Context, id int64, drafted bool, at time.Time) error {
	from, to := incidents.ObligationPending, incidents.ObligationDrafted
	if !drafted {
		from, to = to, from
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var incident int64
		var policy, recipient string
		err := tx.QueryRowContext(ctx, `UPDATE obligations SET state = ? WHERE id = ? AND state = ? RETURNING incident_id, policy, recipient`,
			string(to), id, string(from)).Scan(&incident, &policy, &recipient)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // moved on meanwhile
		}
		if err != nil {
			return err
		}
		return s.addEntry(ctx, tx, incident, at, "breachd", incidents.DraftedEntry(policy, recipient, drafted))
	})
}

// closeMergedObligations ends the undecided obligations of incident from,
// merged into into, that the survivor owes too: its obligations take
// over, so none of them keeps driving reminders and overdue alerts. One
// the survivor does not owe (another counterparty, another controller)
// stays owed on the merged incident. Each is ruled not
// required with the reason, on both timelines; a notice already approved
// (queued to its recipient) or sent stays as it is.
func (s *Store) closeMergedObligations(ctx context.Context, tx *sql.Tx, from, into int64, c incidents.Change) error {
	list, err := collect(ctx, tx, scanObligation, `SELECT `+obligationCols+` FROM obligations WHERE incident_id = ? AND state IN ('pending', 'drafted')`, from)
	if err != nil {
		return err
	}
	survivor, err := obligations(ctx, tx, into)
	if err != nil {
		return err
	}
	owes := map[[2]string]bool{}
	for _, o := range survivor {
		owes[[2]string{o.Policy, o.Recipient}] = true
	}
	why := incidents.MergedAway(into, c)
	for _, o := range list {
		if !owes[[2]string{o.Policy, o.Recipient}] {
			// The survivor does not owe this notice (its scope differs):
			// it stays owed here, and says so.
			if err := s.addEntry(ctx, tx, from, c.At, c.Actor, incidents.StaysOwedEntry(o, into)); err != nil {
				return err
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE obligations SET state = 'not_required', decided_by = ?, reason = ?, decided_at = ? WHERE id = ?`,
			c.Actor, why, nanos(c.At), o.ID); err != nil {
			return err
		}
		if err := withdrawNotice(ctx, tx, o.ID, fmt.Sprintf("incident %d was merged into incident %d", from, into)); err != nil {
			return err
		}
		merged, taken := incidents.TakenOverEntries(o, from, into, c)
		if err := s.addEntry(ctx, tx, from, c.At, c.Actor, merged); err != nil {
			return err
		}
		if err := s.addEntry(ctx, tx, into, c.At, c.Actor, taken); err != nil {
			return err
		}
	}
	return nil
}
