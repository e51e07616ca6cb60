package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
)

// notifiedOf says who the incident's notices reached, when (the
// delivery's own time: the channel's, or the call's or publication's as
// recorded), who decided and the proof of delivery (or, without one, the
// decision's reason), from its sent obligations, for the register's
// "notified" column. The register holds no data subject's personal data:
// the notices to the data subjects on the uploaded list are summed up per
// policy (how many of how many, when, how), never with a name, an
// address, a number, a proof or a reason.
func notifiedOf(ctx context.Context, tx *sql.Tx, incident int64) (string, error) {
	// A data subject's obligation is keyed by the subject's number on
	// its incident's list, not by the row's id (which runs across lists).
	subjects, err := queryIDs(ctx, tx, `SELECT number FROM data_subjects WHERE incident_id = ?`, incident)
	if err != nil {
		return "", err
	}
	isSubject := make(map[string]bool, len(subjects))
	for _, id := range subjects {
		isSubject[strconv.FormatInt(id, 10)] = true
	}
	rows, err := tx.QueryContext(ctx, `SELECT policy, recipient, state, coalesce(delivered_at, decided_at, 0), decided_by, reason, proof FROM obligations
		WHERE incident_id = ? ORDER BY coalesce(delivered_at, decided_at, 0), id`, incident)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	type told struct {
		at    int64
		text  string
		group *subjectGroup
	}
	var out []told
	groups := map[[2]string]*subjectGroup{}
	for rows.Next() {
		var policy, recipient, state, by, reason, proof string
		var at int64
		if err := rows.Scan(&policy, &recipient, &state, &at, &by, &reason, &proof); err != nil {
			return "", err
		}
		kind, party, fanned := strings.Cut(recipient, ":")
		if (fanned && isSubject[party]) || (!fanned && kind == configs.ForEachDataSubjects) {
			if !fanned && state != string(incidents.ObligationSent) {
				continue // the family's stand-in, replaced by the parties
			}
			g := groups[[2]string{policy, kind}]
			if g == nil {
				g = &subjectGroup{policy: policy, kind: kind, how: map[string]int{}}
				groups[[2]string{policy, kind}] = g
			}
			if !g.add(state, at, proof) {
				continue // counted among the group's total; shown once one is sent
			}
			if g.sent == 1 {
				out = append(out, told{at: at, group: g})
			}
			continue
		}
		if state != string(incidents.ObligationSent) {
			continue // still owed, or ruled out: not notified
		}
		p := fmt.Sprintf("%s (%s) on %s", recipient, policy, fromNanos(at).UTC().Format("2006-01-02 15:04 UTC"))
		if by != "" {
			p += ", decided by " + by
		}
		how := strings.TrimSpace(proof)
		if how == "" {
			how = strings.TrimPrefix(strings.TrimSpace(reason), "; ")
		}
		if how != "" {
			p += ": " + how
		}
		out = append(out, told{at: at, text: p})
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	parts := make([]string, len(out))
	for i, t := range out {
		if t.group != nil {
			parts[i] = t.group.String()
		} else {
			parts[i] = t.text
		}
	}
	return strings.Join(parts, "; "), nil
}

// subjectGroup sums up the notices of one policy to the data subjects:
// how many were sent of all the group's (sent, ruled out, or still owed).
type subjectGroup struct {
	policy, kind         string
	sent, ruledOut, owed int
	first, last          int64
	how                  map[string]int
}

// add counts one obligation of the group; it reports whether it was sent.
func (g *subjectGroup) add(state string, at int64, proof string) bool {
	switch state {
	case string(incidents.ObligationSent):
	case string(incidents.ObligationNotRequired):
		g.ruledOut++
		return false
	default:
		g.owed++
		return false
	}
	g.sent++
	if g.sent == 1 || at < g.first {
		g.first = at
	}
	g.last = max(g.last, at)
	g.how[incidents.DeliveryMethod(proof)]++
	return true
}

func (g *subjectGroup) String() string {
	when := "on " + fromNanos(g.first).UTC().Format("2006-01-02 15:04 UTC")
	if g.last != g.first {
		when = fmt.Sprintf("from %s to %s", fromNanos(g.first).UTC().Format("2006-01-02 15:04 UTC"), fromNanos(g.last).UTC().Format("2006-01-02 15:04 UTC"))
	}
	methods := make([]string, 0, len(g.how))
	for m, n := range g.how {
		methods = append(methods, fmt.Sprintf("%s %d", m, n))
	}
	slices.Sort(methods)
	total := g.sent + g.ruledOut + g.owed
	s := fmt.Sprintf("data subjects (%s, %s): %d of %d notified individually %s (%s)", g.kind, g.policy, g.sent, total, when, strings.Join(methods, ", "))
	if g.ruledOut > 0 {
		s += fmt.Sprintf(", %d ruled not required", g.ruledOut)
	}
	return s
}

// followRegister appends, when the incident has a register entry, a new
// entry superseding its latest one with "notified" brought up to date
// from the notices sent: the register follows the case and says who was
// told, when and how, without anyone editing an entry.
func (s *Store) followRegister(ctx context.Context, tx *sql.Tx, incident int64, at time.Time) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+registerCols+` FROM register WHERE incident_id = ? ORDER BY id DESC LIMIT 1`, incident)
	if err != nil {
		return err
	}
	var last incidents.RegisterEntry
	found := false
	for rows.Next() {
		e, ok, err := scanRegister(rows)
		if err != nil {
			rows.Close()
			return err
		}
		if !ok {
			rows.Close()
			return errors.New("the incident's register entry is damaged; run breachd register verify")
		}
		last, found = e, true
	}
	rows.Close()
	if !found {
		return nil // no register entry yet: the assessment writes it with notified filled in
	}
	notified, err := notifiedOf(ctx, tx, incident)
	if err != nil || notified == last.Record.Notified {
		return err
	}
	// Every other field is the DPO's (an assessment's or a correction's),
	// carried forward as it is.
	rec := last.Record
	rec.Notified = notified
	rec.Reason = "notified brought up to date from the notices sent"
	id := last.ID
	_, err = s.appendRegister(ctx, tx, incidents.RegisterEntry{At: at, IncidentID: &incident, Kind: last.Kind, Actor: "breachd", Record: rec, Supersedes: &id})
	return err
}

// registered says whether inc is, or was at any risk decision, assessed
// as a personal-data breach, whether it has a risk decision at all, and
// whether the DPO has written its register
// entry since its latest risk decision (breachd's entries that follow the
// deliveries are not the DPO's).
func registered(ctx context.Context, tx *sql.Tx, inc *incidents.Incident) (breach, assessed, documented bool, err error) {
	var latestRisk, latestEntry sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT
		    EXISTS (SELECT 1 FROM timeline WHERE incident_id = ?1 AND kind = 'risk' AND json_valid(data) AND json_extract(data, '$.personal_data') = 'true'),
		    (SELECT max(at) FROM timeline WHERE incident_id = ?1 AND kind = 'risk'),
		    (SELECT max(at) FROM register WHERE incident_id = ?1 AND actor != 'breachd')`, inc.ID).Scan(&breach, &latestRisk, &latestEntry)
	if err != nil {
		return false, false, false, err
	}
	breach = breach || inc.PersonalDataBreach
	documented = latestEntry.Valid && (!latestRisk.Valid || latestEntry.Int64 >= latestRisk.Int64)
	return breach, latestRisk.Valid, documented, nil
}
