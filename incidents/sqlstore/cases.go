package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/breachd/breachd/incidents"
)

// Open implements incidents.Store.
func (s *Store) Open(ctx context.Context, inc incidents.Incident, pages []incidents.Page, c incidents.Change) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		inc.Origin = incidents.OriginManual
		inc.Fingerprint = fmt.Sprintf("manual/%d", c.At.UnixNano())
		if inc.FirstSeen.IsZero() {
			inc.FirstSeen = c.At
		}
		inc.LastSeen = inc.FirstSeen
		var err error
		if id, _, err = s.insertIncident(ctx, tx, inc, c.At); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE incidents SET fingerprint = ? WHERE id = ?`, fmt.Sprintf("manual/%d", id), id); err != nil {
			return err
		}
		if err := s.enqueue(ctx, tx, id, pages, c.At); err != nil {
			return err
		}
		return s.addEntry(ctx, tx, id, c.At, c.Actor, incidents.OpenedByHandEntry(inc, c))
	})
	return id, err
}

// incidentTx reads an incident inside a transaction.
func incidentTx(ctx context.Context, tx *sql.Tx, id int64) (*incidents.Incident, error) {
	inc, err := scanIncident(tx.QueryRowContext(ctx, `SELECT `+incidentCols+` FROM incidents WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("incident %d: %w", id, incidents.ErrNotFound)
	}
	return inc, err
}

// Transition implements incidents.Store.
func (s *Store) Transition(ctx context.Context, id int64, to incidents.Status, resolution string, c incidents.Change) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		inc, err := incidentTx(ctx, tx, id)
		if err != nil {
			return err
		}
		obs, err := obligations(ctx, tx, id)
		if err != nil {
			return err
		}
		var undecided []incidents.Obligation
		for _, o := range obs {
			if !o.State.Decided() {
				undecided = append(undecided, o)
			}
		}
		if err := incidents.CheckTransition(inc, to, resolution, undecided, c.Reason); err != nil {
			return err
		}
		if to == incidents.StatusClosed {
			breach, assessed, documented, err := registered(ctx, tx, inc)
			if err != nil {
				return err
			}
			if err := incidents.CheckRegistered(inc, breach, documented); err != nil {
				return err
			}
			if err := incidents.CheckNearMissRegistered(inc, assessed, documented); err != nil {
				return err
			}
		}
		at := nanos(c.At)
		switch to {
		case incidents.StatusContained:
			_, err = tx.ExecContext(ctx, `UPDATE incidents SET status = ?, contained_at = coalesce(contained_at, ?), updated_at = ? WHERE id = ?`, to, at, at, id)
		case incidents.StatusClosed, incidents.StatusFalsePositive:
			_, err = tx.ExecContext(ctx, `UPDATE incidents SET status = ?, closed_at = ?, resolution = ?, updated_at = ? WHERE id = ?`, to, at, resolution, at, id)
		case incidents.StatusOpen:
			// Reopening needs the fingerprint free among active incidents.
			var other int64
			err = tx.QueryRowContext(ctx, `SELECT id FROM incidents WHERE fingerprint = ? AND status NOT IN ('closed', 'false_positive')`, inc.Fingerprint).Scan(&other)
			if err == nil {
				return fmt.Errorf("%w: incident %d of the same detection is already open; work on it or merge", incidents.ErrConflict, other)
			}
			_, err = tx.ExecContext(ctx, `UPDATE incidents SET status = 'open', closed_at = NULL, reopened = reopened + 1, updated_at = ? WHERE id = ?`, at, id)
		default:
			_, err = tx.ExecContext(ctx, `UPDATE incidents SET status = ?, updated_at = ? WHERE id = ?`, to, at, id)
		}
		if err != nil {
			return err
		}
		// The channels paged on the incident hear how it ends: contained
		// acknowledges, closed and false_positive resolve, reopened
		// triggers again. Same transaction, same idempotency scheme.
		if event := incidents.FollowUpEvent(to); event != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (incident_id, channel, route, event, idempotency_key, next_attempt_at, created_at)
				SELECT incident_id, channel, route, ?, 'breachd-incident-' || incident_id || '-' || route || '-' || channel || '-' || ? || '-v' || (
				    SELECT count(*) + 1 FROM outbox o2 WHERE o2.incident_id = outbox.incident_id AND o2.event = ? AND o2.route = outbox.route AND o2.channel = outbox.channel),
				    ?, ?
				FROM outbox WHERE incident_id = ? AND event = 'incident.opened'`,
				event, strings.TrimPrefix(event, "incident."), event, at, at, id); err != nil {
				return err
			}
		}
		return s.addEntry(ctx, tx, id, c.At, c.Actor, incidents.TransitionEntry(inc.Status, to, resolution, c))
	})
}

// Assess implements incidents.Store.
func (s *Store) Assess(ctx context.Context, id int64, a incidents.Assessment, c incidents.Change) error {
	if !incidents.ValidRisk(a.Risk) {
		return fmt.Errorf("%w: risk %q; use none, risk or high", incidents.ErrInvalid, a.Risk)
	}
	if strings.TrimSpace(c.Reason) == "" {
		return fmt.Errorf("%w: a risk decision needs a reason", incidents.ErrInvalid)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		inc, err := incidentTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if inc.MergedInto != nil {
			return fmt.Errorf("%w: incident %d was merged into incident %d; assess that one", incidents.ErrConflict, id, *inc.MergedInto)
		}
		if !a.Register {
			// Once the DPO has decided, the next decision is the DPO's.
			if err := dpoDecided(ctx, tx, id); err != nil {
				return err
			}
		}
		personal := inc.Scope.PersonalData()
		if a.PersonalData != nil {
			personal = *a.PersonalData
		}
		kind := incidents.RegisterKindFor(personal, inc.Scope, a.Risk)
		breach := kind == incidents.RegisterBreach
		at := nanos(c.At)
		if _, err := tx.ExecContext(ctx,
			`UPDATE incidents SET risk = ?, risk_reason = ?, risk_by = ?, personal_data = ?, determined_at = coalesce(determined_at, ?), updated_at = ?,
			     consequences = CASE WHEN ? != '' THEN ? ELSE consequences END, measures = CASE WHEN ? != '' THEN ? ELSE measures END
			 WHERE id = ?`,
			string(a.Risk), c.Reason, c.Actor, breach, at, at, a.Consequences, a.Consequences, a.Measures, a.Measures, id); err != nil {
			return err
		}
		if err := s.addEntry(ctx, tx, id, c.At, c.Actor, incidents.RiskEntry(*inc, a, personal, kind, c)); err != nil {
			return err
		}
		if !a.Register {
			return nil
		}
		// The register entry; a reassessment supersedes the last one.
		var prev sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT max(id) FROM register WHERE incident_id = ?`, id).Scan(&prev); err != nil {
			return err
		}
		e := incidents.RegisterEntry{
			At: c.At, IncidentID: &id, Kind: kind, Actor: c.Actor,
			Record: incidents.Record{
				Nature:         fmt.Sprintf("%s: %s (%s)", inc.Category, inc.Title, inc.Severity),
				DataCategories: inc.Scope.DataCategories, DataSubjects: inc.Scope.DataSubjects, Records: inc.Scope.Records,
				Risk: a.Risk, Consequences: a.Consequences, Measures: a.Measures, Reason: c.Reason,
			},
		}
		// Said with the decision, or else as the notices' facts have them.
		if e.Record.Consequences == "" {
			e.Record.Consequences = inc.Facts.Consequences
		}
		if e.Record.Measures == "" {
			e.Record.Measures = inc.Facts.Measures
		}
		if e.Record.Notified, err = notifiedOf(ctx, tx, id); err != nil {
			return err
		}
		if prev.Valid {
			e.Supersedes = &prev.Int64
		}
		_, err = s.appendRegister(ctx, tx, e)
		return err
	})
}

// dpoDecided refuses a risk decision of anyone but the DPO once the DPO
// has made one on incident id (a risk entry whose register is not
// waiting for the DPO), naming that decision and what to do instead.
func dpoDecided(ctx context.Context, tx *sql.Tx, id int64) error {
	var actor, risk, personal string
	var at int64
	err := tx.QueryRowContext(ctx, `SELECT actor, at, coalesce(json_extract(data, '$.risk'), ''), coalesce(json_extract(data, '$.personal_data'), '')
		FROM timeline WHERE incident_id = ? AND kind = 'risk' AND json_valid(data) AND coalesce(json_extract(data, '$.register'), '') != 'waiting for the DPO'
		ORDER BY id DESC LIMIT 1`, id).Scan(&actor, &at, &risk, &personal)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: the DPO %s decided incident %d's risk (%s, personal data %s) at %s; only the DPO makes the next risk decision. Add a note for the DPO instead (breachd incidents note %d \"...\"), and the DPO re-assesses",
		incidents.ErrForbidden, actor, id, risk, personal, time.Unix(0, at).UTC().Format(time.RFC3339), id)
}

// Note implements incidents.Store.
func (s *Store) Note(ctx context.Context, id int64, kind, text string, supersedes *int64, c incidents.Change) (incidents.TimelineEntry, error) {
	var e incidents.TimelineEntry
	if strings.TrimSpace(text) == "" {
		return e, fmt.Errorf("%w: the text is empty", incidents.ErrInvalid)
	}
	if kind != "note" && kind != "decision" {
		return e, fmt.Errorf("%w: kind %q; use note or decision", incidents.ErrInvalid, kind)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := incidentTx(ctx, tx, id); err != nil {
			return err
		}
		data := map[string]string{}
		if supersedes != nil {
			var owner int64
			err := tx.QueryRowContext(ctx, `SELECT t.incident_id FROM timeline t JOIN incidents i ON i.id = t.incident_id
				WHERE t.id = ? AND (i.id = ? OR i.merged_into = ?)`, *supersedes, id, id).Scan(&owner)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("%w: timeline entry %d is not in incident %d", incidents.ErrNotFound, *supersedes, id)
			}
			if err != nil {
				return err
			}
			data["corrects"] = kind
			kind = "correction"
		}
		if c.Reason != "" {
			data["reason"] = c.Reason
		}
		var err error
		e, err = s.appendTimeline(ctx, tx, incidents.TimelineEntry{
			IncidentID: id, At: c.At, Actor: c.Actor, Kind: kind, Message: text, Data: data, Supersedes: supersedes,
		})
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE incidents SET updated_at = ? WHERE id = ?`, nanos(c.At), id)
		return err
	})
	return e, err
}

// SetScope implements incidents.Store.
func (s *Store) SetScope(ctx context.Context, id int64, sc incidents.Scope, cost float64, suggested incidents.Risk, c incidents.Change) error {
	if strings.TrimSpace(c.Reason) == "" {
		return fmt.Errorf("%w: a scope change needs a reason", incidents.ErrInvalid)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		inc, err := incidentTx(ctx, tx, id)
		if err != nil {
			return err
		}
		old, err := jsonString(inc.Scope)
		if err != nil {
			return err
		}
		now, err := jsonString(sc)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE incidents SET scope = ?, cost_exposure = ?, suggested_risk = ?, updated_at = ? WHERE id = ?`,
			now, cost, string(suggested), nanos(c.At), id); err != nil {
			return err
		}
		return s.addEntry(ctx, tx, id, c.At, c.Actor, incidents.ScopeEntry(sc, suggested, cost, old, now, c))
	})
}

// SetFacts implements incidents.Store.
func (s *Store) SetFacts(ctx context.Context, id int64, p incidents.FactsPatch, c incidents.Change) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		inc, err := incidentTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if inc.Facts.Effects == nil {
			inc.Facts.Effects = []string{}
		}
		f := p.Apply(inc.Facts)
		if f.Effects == nil {
			f.Effects = []string{}
		}
		if f.Equal(inc.Facts) {
			return fmt.Errorf("%w: the facts already say this; nothing was written", incidents.ErrUnchanged)
		}
		if err := f.Check(); err != nil {
			return err
		}
		effects, err := jsonString(f.Effects)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE incidents SET nature = ?, consequences = ?, measures = ?, effects = ?, effects_other = ?, caused_by = ?, delay_reason = ?, updated_at = ? WHERE id = ?`,
			f.Nature, f.Consequences, f.Measures, effects, f.EffectsOther, f.CausedBy, f.DelayReason, nanos(c.At), id); err != nil {
			return err
		}
		old, _ := jsonString(inc.Facts)
		now, _ := jsonString(f)
		return s.addEntry(ctx, tx, id, c.At, c.Actor, incidents.FactsEntry(old, now, c))
	})
}

// Clocks a person may set with SetClock.
const (
	ClockAware    = incidents.ClockAware
	ClockOccurred = incidents.ClockOccurred
)

// SetClock implements incidents.Store.
func (s *Store) SetClock(ctx context.Context, id int64, clock string, t time.Time, c incidents.Change) error {
	if clock != ClockAware && clock != ClockOccurred {
		return fmt.Errorf("%w: clock %q; use aware_at or occurred_at", incidents.ErrInvalid, clock)
	}
	if strings.TrimSpace(c.Reason) == "" {
		return fmt.Errorf("%w: changing %s needs a reason: the deadlines run from it", incidents.ErrInvalid, clock)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		inc, err := incidentTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := incidents.CheckClock(inc, clock, t, c.At); err != nil {
			return err
		}
		if clock == ClockAware {
			first, err := collect(ctx, tx, scanObligation, `SELECT `+obligationCols+` FROM obligations
				WHERE incident_id = ? AND state = 'sent' AND delivered_at IS NOT NULL ORDER BY delivered_at, id LIMIT 1`, id)
			if err != nil {
				return err
			}
			if len(first) > 0 {
				if err := incidents.CheckAwareAfterDelivery(t, &first[0]); err != nil {
					return err
				}
			}
		}
		var old *time.Time
		switch clock {
		case ClockAware:
			old = &inc.AwareAt
		case ClockOccurred:
			old = inc.OccurredAt
		}
		// clock is one of two constants, never user text.
		if _, err := tx.ExecContext(ctx, `UPDATE incidents SET `+clock+` = ?, updated_at = ? WHERE id = ?`, nanos(t), nanos(c.At), id); err != nil {
			return err
		}
		return s.addEntry(ctx, tx, id, c.At, c.Actor, incidents.ClockEntry(clock, old, t, c))
	})
}
