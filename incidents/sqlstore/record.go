package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/breachd/breachd/incidents"
)

// Record implements incidents.Store.
func (s *Store) Record(ctx context.Context, items []incidents.NewIncident, progress incidents.Progress, at time.Time) ([]incidents.Outcome, error) {
	out := make([]incidents.Outcome, len(items))
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for i, it := range items {
			o, err := s.record(ctx, tx, it, at)
			if err != nil {
				return err
			}
			out[i] = o
		}
		return s.storeProgress(ctx, tx, progress, at)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) storeProgress(ctx context.Context, tx *sql.Tx, progress incidents.Progress, at time.Time) error {
	for _, p := range progress.Files {
		// dev and ino are stored by their bit pattern: SQLite integers are
		// signed.
		if _, err := s.exec(ctx, tx,
			sqlFilePosition,
			p.Path, int64(p.Dev), int64(p.Ino), p.Offset, p.FPLen, p.FP, nanos(at)); err != nil {
			return err
		}
	}
	for _, c := range progress.Cursors {
		if _, err := s.exec(ctx, tx,
			sqlSourceCursor,
			c.Source, c.Cursor, nanos(at)); err != nil {
			return err
		}
	}
	return s.storeRuleState(ctx, tx, progress.Rules)
}

// record stores one finding: attach, reopen or open.
func (s *Store) record(ctx context.Context, tx *sql.Tx, it incidents.NewIncident, at time.Time) (incidents.Outcome, error) {
	inc := it.Incident
	// 1. Attach to the active incident of this fingerprint, or to the one
	// an incident of this fingerprint was merged into.
	var id int64
	err := s.queryRow(ctx, tx,
		sqlAttach,
		inc.FindingCount, nanos(inc.LastSeen), nanos(at), inc.Fingerprint, inc.Fingerprint).Scan(&id)
	if err == nil {
		return incidents.Outcome{IncidentID: id}, s.addEvidence(ctx, tx, id, inc.LastSeen, inc.Evidence, it.EvidenceCap)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return incidents.Outcome{}, err
	}
	// 2. Reopen the last incident of this fingerprint if it was closed
	// within reopen_within.
	if it.ReopenWithin > 0 {
		var closedAt sql.NullInt64
		err := s.queryRow(ctx, tx,
			sqlLastClosed, inc.Fingerprint).Scan(&id, &closedAt)
		switch {
		case err == nil && closedAt.Valid && incidents.Reopens(fromNanos(closedAt.Int64), inc.LastSeen, it.ReopenWithin):
			if _, err := s.exec(ctx, tx,
				sqlReopen,
				inc.FindingCount, nanos(inc.LastSeen), nanos(at), id); err != nil {
				return incidents.Outcome{}, err
			}
			if err := s.addEntry(ctx, tx, id, at, "breachd", incidents.ReopenedEntry(inc.Rule, fromNanos(closedAt.Int64), inc.LastSeen, it.ReopenWithin)); err != nil {
				return incidents.Outcome{}, err
			}
			return incidents.Outcome{IncidentID: id, Reopened: true}, s.addEvidence(ctx, tx, id, inc.LastSeen, inc.Evidence, it.EvidenceCap)
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return incidents.Outcome{}, err
		}
	}
	// 3. Open a new incident.
	id, stored, err := s.insertIncident(ctx, tx, inc, at)
	if err != nil {
		return incidents.Outcome{}, err
	}
	out := incidents.Outcome{IncidentID: id, Opened: true, Incident: &stored}
	if err := s.addEntry(ctx, tx, id, at, "breachd", incidents.OpenedEntry(inc)); err != nil {
		return incidents.Outcome{}, err
	}
	if inc.Evidence != "" { // a new incident has room: no count needed
		if _, err := s.exec(ctx, tx, sqlInsertEvidence, id, nanos(inc.FirstSeen), inc.Evidence); err != nil {
			return incidents.Outcome{}, err
		}
	}
	fields, err := jsonString(inc.Fields)
	if err != nil {
		return incidents.Outcome{}, err
	}
	for _, a := range it.Actions {
		state, result := incidents.FirstRun(it.DryRun)
		var finished any
		if state != incidents.ActionPending {
			finished = nanos(at)
		}
		res, err := s.exec(ctx, tx,
			sqlInsertActionRun,
			id, a, fields, string(state), result, nanos(at), finished)
		if err != nil {
			return incidents.Outcome{}, err
		}
		if state != incidents.ActionPending {
			continue
		}
		run := incidents.ActionRun{IncidentID: id, Action: a, Fields: inc.Fields, State: state, CreatedAt: fromNanos(nanos(at))}
		if run.ID, err = res.LastInsertId(); err != nil {
			return incidents.Outcome{}, err
		}
		out.Runs = append(out.Runs, run)
	}
	if err := s.linkEntities(ctx, tx, id, it.Entities); err != nil {
		return incidents.Outcome{}, err
	}
	if err := s.enqueue(ctx, tx, id, it.Page, at); err != nil {
		return incidents.Outcome{}, err
	}
	return out, nil
}

// enqueue commits the messages a new incident owes, each with its
// idempotency key (incident, route, channel, event, version).
func (s *Store) enqueue(ctx context.Context, tx *sql.Tx, id int64, pages []incidents.Page, at time.Time) error {
	for _, p := range pages {
		if _, err := s.exec(ctx, tx, sqlInsertMessage, id, p.Channel, p.Route, "incident.opened",
			incidents.PageKey(id, p.Route, p.Channel), nanos(at), nanos(at), nil, "", ""); err != nil {
			return err
		}
	}
	return nil
}

// insertIncident inserts inc and returns its id and the incident as
// stored, as Store.Incident would read it back.
func (s *Store) insertIncident(ctx context.Context, tx *sql.Tx, inc incidents.Incident, at time.Time) (int64, incidents.Incident, error) {
	fields, err := jsonString(inc.Fields)
	if err != nil {
		return 0, inc, err
	}
	scope, err := jsonString(inc.Scope)
	if err != nil {
		return 0, inc, err
	}
	if inc.Origin == "" {
		inc.Origin = incidents.OriginRule
	}
	if inc.Risk == "" {
		inc.Risk = incidents.RiskUnassessed
	}
	if inc.SuggestedRisk == "" {
		inc.SuggestedRisk = incidents.RiskUnassessed
	}
	occurred := inc.OccurredAt
	if occurred == nil && !inc.FirstSeen.IsZero() {
		occurred = &inc.FirstSeen
	}
	if occurred != nil && occurred.After(at) {
		// A log line stamped by a clock a little ahead of the
		// daemon's (within the parser's leeway): the breach did not
		// occur after the daemon became aware of it. occurred_at is
		// then the detection's time; first_seen keeps the line's.
		o := at
		occurred = &o
	}
	var id int64
	err = s.queryRow(ctx, tx,
		sqlInsertIncident,
		inc.Fingerprint, inc.Rule, inc.GroupKey, inc.Title, inc.Category, inc.Severity, fields, inc.Evidence,
		inc.FindingCount, nanos(inc.FirstSeen), nanos(inc.LastSeen), nanos(at), inc.Origin, inc.Reporter, inc.Description,
		inc.Host, optNanos(occurred), nanos(at), nanos(at), string(inc.Risk), string(inc.SuggestedRisk), scope,
		inc.CostExposure, inc.Currency).Scan(&id)
	inc.ID, inc.OccurredAt = id, occurred
	inc.DetectedAt, inc.AwareAt, inc.UpdatedAt = fromNanos(nanos(at)), fromNanos(nanos(at)), fromNanos(nanos(at))
	inc.FirstSeen, inc.LastSeen = fromNanos(nanos(inc.FirstSeen)), fromNanos(nanos(inc.LastSeen))
	if inc.Status == "" {
		inc.Status = incidents.StatusOpen
	}
	inc.Facts = incidents.Facts{Effects: []string{}} // not inserted: facts come later
	inc.SuggestedRiskReason = ""                     // not a column: it is on the opened entry
	return id, inc, err
}

// addEvidence keeps line unless the incident already holds cap lines, in
// which case it is counted.
func (s *Store) addEvidence(ctx context.Context, tx *sql.Tx, id int64, at time.Time, line string, cap int) error {
	if line == "" {
		return nil
	}
	if cap <= 0 {
		cap = 20
	}
	var n int
	if err := s.queryRow(ctx, tx, sqlCountEvidence, id).Scan(&n); err != nil {
		return err
	}
	if n >= cap {
		_, err := s.exec(ctx, tx, sqlEvidenceDropped, id)
		return err
	}
	_, err := s.exec(ctx, tx, sqlInsertEvidence, id, nanos(at), line)
	return err
}

// maxLinks bounds the incidents related by one entity value on each side
// of an incident: the 50 opened just before it and the 50 just after.
const maxLinks = 50

// linkEntities records the incident's entities; Related reads the links
// from them. One insert per value and nothing else: an incident whose user
// is root shares it with thousands, on the path to its containment.
func (s *Store) linkEntities(ctx context.Context, tx *sql.Tx, id int64, entities map[string]string) error {
	for kind, value := range entities {
		if value == "" {
			continue
		}
		if _, err := s.exec(ctx, tx, sqlInsertEntity, kind, value, id); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) link(ctx context.Context, tx *sql.Tx, x, y int64, kind, value string, at time.Time) error {
	if x == y {
		return nil
	}
	_, err := s.exec(ctx, tx, sqlInsertLink,
		min(x, y), max(x, y), kind, value, nanos(at))
	return err
}
