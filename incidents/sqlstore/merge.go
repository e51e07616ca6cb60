package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/breachd/breachd/incidents"
)

// Merge implements incidents.Store. In its one transaction the survivor
// takes the earliest clocks of all the merged incidents, the union of
// their scopes, the highest of their risk decisions, and the notices
// already given on them (takeOverSent); a merge of an incident whose
// risk the DPO decided is the DPO's.
func (s *Store) Merge(ctx context.Context, into int64, from []int64, opt incidents.MergeOptions, c incidents.Change) error {
	if len(from) == 0 {
		return fmt.Errorf("%w: name the incidents to merge", incidents.ErrInvalid)
	}
	if strings.TrimSpace(c.Reason) == "" {
		return fmt.Errorf("%w: a merge needs a reason", incidents.ErrInvalid)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		target, err := incidentTx(ctx, tx, into)
		if err != nil {
			return err
		}
		if target.MergedInto != nil || !target.Status.Active() {
			return fmt.Errorf("%w: incident %d is %s; merge into an active incident", incidents.ErrConflict, into, target.Status)
		}
		seen := map[int64]bool{}
		var srcs []*incidents.Incident
		for _, fid := range from {
			if fid == into || seen[fid] {
				return fmt.Errorf("%w: incident %d is named twice or is the target", incidents.ErrInvalid, fid)
			}
			seen[fid] = true
			src, err := incidentTx(ctx, tx, fid)
			if err != nil {
				return err
			}
			if src.MergedInto != nil {
				return fmt.Errorf("%w: incident %d was already merged into incident %d", incidents.ErrConflict, fid, *src.MergedInto)
			}
			srcs = append(srcs, src)
		}
		if !opt.DPO {
			// Once the DPO has decided a risk, the next decision is the
			// DPO's, and a merge makes one for the survivor.
			for _, inc := range append([]*incidents.Incident{target}, srcs...) {
				if dpoDecided(ctx, tx, inc.ID) != nil {
					var actor, risk string
					if err := tx.QueryRowContext(ctx, `SELECT actor, coalesce(json_extract(data, '$.risk'), '') FROM timeline
						WHERE incident_id = ? AND kind = 'risk' AND json_valid(data) AND coalesce(json_extract(data, '$.register'), '') != 'waiting for the DPO'
						ORDER BY id DESC LIMIT 1`, inc.ID).Scan(&actor, &risk); err != nil {
						return err
					}
					return fmt.Errorf("%w: the DPO %s decided incident %d's risk (%s); a merge decides the survivor's risk, clocks and scope, so merging incident %d is the DPO's: ask the DPO to run the merge (nothing was merged)",
						incidents.ErrForbidden, actor, inc.ID, risk, inc.ID)
				}
			}
		}
		for _, src := range srcs {
			if err := s.mergeOne(ctx, tx, target, src, c); err != nil {
				return err
			}
		}
		if err := s.mergeClocks(ctx, tx, target, srcs, c); err != nil {
			return err
		}
		if err := s.mergeScope(ctx, tx, target, srcs, opt, c); err != nil {
			return err
		}
		if err := s.mergeRisk(ctx, tx, target, srcs, c); err != nil {
			return err
		}
		if opt.Obligations != nil {
			// What the survivor owes now, before the merged
			// incidents' obligations are judged against it.
			now, err := incidentTx(ctx, tx, into)
			if err != nil {
				return err
			}
			specs, err := opt.Obligations(ctx, now)
			if err != nil {
				return err
			}
			if len(specs) > 0 {
				if err := s.syncObligations(ctx, tx, into, specs, c.At); err != nil {
					return err
				}
			}
		}
		if _, err := s.takeOverSent(ctx, tx, into, c); err != nil {
			return err
		}
		for _, src := range srcs {
			if err := s.closeMergedObligations(ctx, tx, src.ID, into, c); err != nil {
				return err
			}
		}
		return nil
	})
}

// mergeOne folds src into target.
func (s *Store) mergeOne(ctx context.Context, tx *sql.Tx, target, src *incidents.Incident, c incidents.Change) error {
	into, fid := target.ID, src.ID
	at := nanos(c.At)
	resolution := fmt.Sprintf("merged into incident %d", into)
	if _, err := tx.ExecContext(ctx,
		`UPDATE incidents SET merged_into = ?, status = CASE WHEN status = 'false_positive' THEN status ELSE 'closed' END,
		     closed_at = coalesce(closed_at, ?), resolution = CASE WHEN resolution = '' THEN ? ELSE resolution END, updated_at = ?
		 WHERE id = ?`, into, at, resolution, at, fid); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx,
		`UPDATE incidents SET finding_count = finding_count + ?, first_seen = min(first_seen, ?), last_seen = max(last_seen, ?), updated_at = ?
		 WHERE id = ?`, src.FindingCount, nanos(src.FirstSeen), nanos(src.LastSeen), at, into); err != nil {
		return err
	}
	// Later findings of the merged detection go to the survivor,
	// also for incidents merged into the merged one earlier.
	if _, err := tx.ExecContext(ctx, `UPDATE merged_fingerprints SET incident_id = ? WHERE incident_id = ?`, into, fid); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE incidents SET merged_into = ? WHERE merged_into = ?`, into, fid); err != nil {
		return err
	}
	if src.Fingerprint != target.Fingerprint {
		if _, err := tx.ExecContext(ctx, `INSERT INTO merged_fingerprints (fingerprint, incident_id) VALUES (?, ?)
			ON CONFLICT (fingerprint) DO UPDATE SET incident_id = excluded.incident_id`, src.Fingerprint, into); err != nil {
			return err
		}
	}
	if err := s.link(ctx, tx, into, fid, "merge", "", c.At); err != nil {
		return err
	}
	if err := s.addEntry(ctx, tx, fid, c.At, c.Actor, incidents.MergedIntoEntry(into, c)); err != nil {
		return err
	}
	return s.addEntry(ctx, tx, into, c.At, c.Actor, incidents.MergedInEntry(src, c))
}

// mergeClocks applies incidents.MergeClocks.
func (s *Store) mergeClocks(ctx context.Context, tx *sql.Tx, target *incidents.Incident, srcs []*incidents.Incident, c incidents.Change) error {
	for _, k := range incidents.MergeClocks(target, srcs) {
		// k.Clock is one of three constants, never user text.
		if _, err := tx.ExecContext(ctx, `UPDATE incidents SET `+k.Clock+` = ? WHERE id = ?`, nanos(k.New), target.ID); err != nil {
			return err
		}
		if err := s.addEntry(ctx, tx, target.ID, c.At, c.Actor, incidents.ClockTakenEntry(k, c)); err != nil {
			return err
		}
	}
	return nil
}

// mergeScope gives the survivor the union of the merged scopes, with its
// suggested risk and cost exposure judged again.
func (s *Store) mergeScope(ctx context.Context, tx *sql.Tx, target *incidents.Incident, srcs []*incidents.Incident, opt incidents.MergeOptions, c incidents.Change) error {
	others := make([]incidents.Scope, len(srcs))
	for i, src := range srcs {
		others[i] = src.Scope
	}
	sc, changed := incidents.MergeScopes(target.Scope, others...)
	if !changed {
		return nil
	}
	cost, suggested := target.CostExposure, target.SuggestedRisk
	if opt.Rescope != nil {
		cost, suggested = opt.Rescope(target, sc)
	}
	old, err := jsonString(target.Scope)
	if err != nil {
		return err
	}
	now, err := jsonString(sc)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE incidents SET scope = ?, cost_exposure = ?, suggested_risk = ? WHERE id = ?`,
		now, cost, string(suggested), target.ID); err != nil {
		return err
	}
	target.Scope = sc
	return s.addEntry(ctx, tx, target.ID, c.At, c.Actor, incidents.MergedScopeEntry(sc, suggested, cost, old, now, c))
}

// mergeRisk gives the survivor the highest risk decision of the merged
// incidents, with who made it; when the DPO decided one of them, the
// survivor's decision is the DPO's (the merge was the DPO's).
func (s *Store) mergeRisk(ctx context.Context, tx *sql.Tx, target *incidents.Incident, srcs []*incidents.Incident, c incidents.Change) error {
	best, personal := incidents.MergeRisk(target, srcs)
	dpo, dpoSrc := dpoDecided(ctx, tx, target.ID) != nil, false
	for _, src := range srcs {
		if dpoDecided(ctx, tx, src.ID) != nil {
			dpo, dpoSrc = true, true
		}
	}
	if best == target && personal == target.PersonalDataBreach && !dpoSrc {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE incidents SET risk = ?, risk_reason = ?, risk_by = ?, personal_data = ? WHERE id = ?`,
		string(best.Risk), best.RiskReason, best.RiskBy, personal, target.ID); err != nil {
		return err
	}
	entry := incidents.MergedRiskEntry(target, best, personal, dpo, c)
	if err := s.addEntry(ctx, tx, target.ID, c.At, c.Actor, entry); err != nil {
		return err
	}
	if !dpo {
		return nil
	}
	// The DPO merged incidents one of which the DPO decided, and the
	// survivor's decision changed: its register entry records it, as
	// the DPO's own decision would.
	var prev sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(id) FROM register WHERE incident_id = ?`, target.ID).Scan(&prev); err != nil {
		return err
	}
	id := target.ID
	e := incidents.RegisterEntry{
		At: c.At, IncidentID: &id, Kind: incidents.RegisterKindFor(personal, target.Scope, best.Risk), Actor: c.Actor,
		Record: incidents.Record{
			Nature:         fmt.Sprintf("%s: %s (%s)", target.Category, target.Title, target.Severity),
			DataCategories: target.Scope.DataCategories, DataSubjects: target.Scope.DataSubjects, Records: target.Scope.Records,
			Risk: best.Risk, Consequences: target.Facts.Consequences, Measures: target.Facts.Measures, Reason: entry.Message,
		},
	}
	var err error
	if e.Record.Notified, err = notifiedOf(ctx, tx, target.ID); err != nil {
		return err
	}
	if prev.Valid {
		e.Supersedes = &prev.Int64
	}
	_, err = s.appendRegister(ctx, tx, e)
	return err
}

// takeOverSent records as sent each undecided obligation of incident
// into whose notice (same policy and recipient) was already sent on an
// incident merged into it: the original's proof and delivery time, "given
// on incident N before the merge", on both timelines. It is called by the
// merge and whenever the survivor's obligations are brought up to date.
func (s *Store) takeOverSent(ctx context.Context, tx *sql.Tx, into int64, c incidents.Change) (int, error) {
	type given struct {
		id, from          int64
		policy, recipient string
		proof             string
		delivered         sql.NullInt64
	}
	// From the incidents merged into this one (indexed), so an incident
	// nothing was merged into costs one index probe.
	rows, err := tx.QueryContext(ctx, `SELECT o.id, m.incident_id, o.policy, o.recipient, m.proof, m.delivered_at
		FROM incidents i JOIN obligations m ON m.incident_id = i.id AND m.state = 'sent'
		JOIN obligations o ON o.incident_id = ? AND o.policy = m.policy AND o.recipient = m.recipient AND o.state IN ('pending', 'drafted')
		WHERE i.merged_into = ?
		ORDER BY o.id, coalesce(m.delivered_at, m.decided_at), m.id`, into, into)
	if err != nil {
		return 0, err
	}
	var list []given
	done := map[int64]bool{}
	for rows.Next() {
		var g given
		if err := rows.Scan(&g.id, &g.from, &g.policy, &g.recipient, &g.proof, &g.delivered); err != nil {
			rows.Close()
			return 0, err
		}
		if !done[g.id] {
			done[g.id] = true
			list = append(list, g)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, g := range list {
		why := incidents.SentBeforeMerge(g.from)
		delivered := c.At
		if g.delivered.Valid {
			delivered = fromNanos(g.delivered.Int64)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE obligations SET state = 'sent', decided_by = ?, reason = ?, decided_at = ?, delivered_at = ?, proof = ? WHERE id = ?`,
			c.Actor, why, nanos(c.At), nanos(delivered), g.proof, g.id); err != nil {
			return 0, err
		}
		if err := withdrawNotice(ctx, tx, g.id, why); err != nil {
			return 0, err
		}
		survivor, merged := incidents.SentBeforeMergeEntries(into, g.from, g.policy, g.recipient, g.proof, delivered)
		if err := s.addEntry(ctx, tx, into, c.At, c.Actor, survivor); err != nil {
			return 0, err
		}
		if err := s.addEntry(ctx, tx, g.from, c.At, c.Actor, merged); err != nil {
			return 0, err
		}
	}
	if len(list) > 0 {
		return len(list), s.followRegister(ctx, tx, into, c.At)
	}
	return 0, nil
}
