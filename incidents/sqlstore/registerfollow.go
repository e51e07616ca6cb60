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

// notifiedOf says who the incident's notices reached, when, who decided
// and the proof of delivery (or, without one, the decision's reason), from
// its sent obligations, for the register's "notified" column.
func notifiedOf(ctx context.Context, tx *sql.Tx, incident int64) (string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT policy, recipient, coalesce(decided_at, 0), decided_by, reason, proof FROM obligations
		WHERE incident_id = ? AND state = 'sent' ORDER BY coalesce(decided_at, 0), id`, incident)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var policy, recipient, by, reason, proof string
		var at int64
		if err := rows.Scan(&policy, &recipient, &at, &by, &reason, &proof); err != nil {
			return "", err
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
		parts = append(parts, p)
	}
	return strings.Join(parts, "; "), rows.Err()
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
	rec := last.Record
	rec.Notified = notified
	// The consequences and measures as the team has them now.
	if inc, err := incidentTx(ctx, tx, incident); err == nil {
		if inc.Facts.Consequences != "" {
			rec.Consequences = inc.Facts.Consequences
		}
		if inc.Facts.Measures != "" {
			rec.Measures = inc.Facts.Measures
		}
	}
	rec.Reason = "notified brought up to date from the notices sent"
	id := last.ID
	_, err = s.appendRegister(ctx, tx, incidents.RegisterEntry{At: at, IncidentID: &incident, Kind: last.Kind, Actor: "breachd", Record: rec, Supersedes: &id})
	return err
}
