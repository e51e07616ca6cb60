package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/breachd/breachd/incidents"
)

// RecordRemoval implements incidents.Store: the removal is a timeline
// entry, hash-chained and append-only like every other.
func (s *Store) RecordRemoval(ctx context.Context, id int64, r incidents.Removal, c incidents.Change) (incidents.TimelineEntry, error) {
	var e incidents.TimelineEntry
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := incidentTx(ctx, tx, id); err != nil {
			return err
		}
		by := map[string]string{incidents.RemovedByCustomer: "the customer", incidents.RemovedByCompany: "the company"}[r.RemovedBy]
		of := ""
		if r.Customer != "" {
			of = " of " + r.Customer
		}
		msg := fmt.Sprintf("Sensitive data%s removed by %s at %s, recorded by %s: %s", of, by, r.At.Format(time.RFC3339), c.Actor, r.What)
		data := map[string]string{"removed_by": r.RemovedBy, "removed_at": r.At.Format(time.RFC3339Nano), "what": r.What, "recorded_by": c.Actor}
		if r.Customer != "" {
			data["customer"] = r.Customer
		}
		if c.Reason != "" {
			data["reason"] = c.Reason
		}
		var err error
		e, err = s.appendTimeline(ctx, tx, incidents.TimelineEntry{IncidentID: id, At: c.At, Actor: c.Actor, Kind: incidents.TimelineRemoval, Message: msg, Data: data})
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE incidents SET updated_at = ? WHERE id = ?`, nanos(c.At), id)
		return err
	})
	return e, err
}
