package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/breachd/breachd/incidents"
)

// AddUpdate implements incidents.Store.
func (s *Store) AddUpdate(ctx context.Context, id int64, c incidents.Change) (incidents.Obligation, error) {
	var up incidents.Obligation
	err := s.tx(ctx, func(tx *sql.Tx) error {
		first, err := obligationByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if base, n := incidents.UpdateBase(first.Recipient); n > 0 {
			// An update of an update updates the first notice.
			list, err := collect(ctx, tx, scanObligation, `SELECT `+obligationCols+` FROM obligations WHERE incident_id = ? AND policy = ? AND recipient = ?`,
				first.IncidentID, first.Policy, base)
			if err != nil {
				return err
			}
			if len(list) == 0 {
				return fmt.Errorf("the notice obligation %d updates: %w", id, incidents.ErrNotFound)
			}
			first = list[0]
		}
		if first.State != incidents.ObligationSent {
			return fmt.Errorf("%w: obligation %d (%s → %s) is %s: an update follows a notice that was sent; approve and send it first",
				incidents.ErrConflict, first.ID, first.Policy, first.Recipient, first.State)
		}
		var n int
		var open sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT count(*), max(CASE WHEN state IN ('pending', 'drafted', 'approved') THEN id END) FROM obligations WHERE update_of = ?`,
			first.ID).Scan(&n, &open); err != nil {
			return err
		}
		if open.Valid {
			return fmt.Errorf("%w: obligation %d, an update of this notice, is not sent yet; approve and send it (or rule it not required) first",
				incidents.ErrConflict, open.Int64)
		}
		key := incidents.UpdateKey(n+1, first.Recipient)
		deadline := incidents.UpdateDeadline(n+1, first.ID)
		var upID int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO obligations (incident_id, policy, recipient, due_at, state, deadline, approval, created_at, update_of)
			VALUES (?, ?, ?, NULL, 'pending', ?, 1, ?, ?) RETURNING id`,
			first.IncidentID, first.Policy, key, deadline, nanos(c.At), first.ID).Scan(&upID); err != nil {
			return err
		}
		if up, err = obligationByID(ctx, tx, upID); err != nil {
			return err
		}
		return s.addEntry(ctx, tx, first.IncidentID, c.At, c.Actor, incidents.UpdateRequestedEntry(first, n+1, upID, key, c))
	})
	return up, err
}
