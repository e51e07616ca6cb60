package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/breachd/breachd/incidents"
)

// AppendRegister implements incidents.Store: an entry that supersedes
// another is checked against it (same incident, its latest entry) and
// carries forward every field it does not give, in one transaction; an
// entry for an incident that already has entries must supersede its
// latest (else ErrConflict naming it, nothing written).
func (s *Store) AppendRegister(ctx context.Context, w incidents.RegisterWrite, c incidents.Change) (incidents.RegisterEntry, error) {
	var e incidents.RegisterEntry
	if _, err := incidents.CheckWrite(w, nil, c.Reason); err != nil && w.Supersedes == nil {
		return e, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if w.IncidentID != nil {
			if _, err := incidentTx(ctx, tx, *w.IncidentID); err != nil {
				return err
			}
		}
		var prev *incidents.RegisterEntry
		if w.Supersedes == nil && w.IncidentID != nil {
			// An incident's entries form one chain of corrections: a new
			// entry without supersedes would start the record afresh,
			// blanking every field it does not give.
			var latest sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT max(id) FROM register WHERE incident_id = ?`, *w.IncidentID).Scan(&latest); err != nil {
				return err
			}
			if latest.Valid {
				return fmt.Errorf("%w: incident %d already has register entries, its latest entry is %d: correct it with an entry that supersedes it "+
					"(\"supersedes\": %d; breachd register correct %d --reason ...), giving only the fields to change; every other field is carried forward",
					incidents.ErrConflict, *w.IncidentID, latest.Int64, latest.Int64, latest.Int64)
			}
		}
		if w.Supersedes != nil {
			p, err := registerEntryTx(ctx, tx, *w.Supersedes)
			if err != nil {
				return err
			}
			if err := incidents.CheckSupersedesOwn(w, p); err != nil {
				return err // another incident's entry: 400, superseded or not
			}
			if p.IncidentID != nil {
				var latest int64
				if err := tx.QueryRowContext(ctx, `SELECT max(id) FROM register WHERE incident_id = ?`, *p.IncidentID).Scan(&latest); err != nil {
					return err
				}
				if latest != p.ID {
					return fmt.Errorf("%w: register entry %d of incident %d is superseded by entry %d; correct the incident's latest entry, %d",
						incidents.ErrConflict, p.ID, *p.IncidentID, latest, latest)
				}
			}
			prev = &p
		}
		var err error
		if e, err = incidents.CheckWrite(w, prev, c.Reason); err != nil {
			return err
		}
		if e.IncidentID != nil && w.PersonalDataOf != nil {
			inc, err := incidentTx(ctx, tx, *e.IncidentID)
			if err != nil {
				return err
			}
			if err := incidents.CheckKind(inc, w.Kind, w.PersonalDataOf(inc)); err != nil {
				return err
			}
			if err := incidents.CheckRisk(inc, w.Record); err != nil {
				return err
			}
		}
		e.At, e.Actor = c.At, c.Actor
		if e, err = s.appendRegister(ctx, tx, e); err != nil || e.IncidentID == nil {
			return err
		}
		return s.addEntry(ctx, tx, *e.IncidentID, c.At, c.Actor, incidents.RegisterWrittenEntry(e))
	})
	return e, err
}

// registerEntryTx reads one register entry inside a transaction.
func registerEntryTx(ctx context.Context, tx *sql.Tx, id int64) (incidents.RegisterEntry, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+registerCols+` FROM register WHERE id = ?`, id)
	if err != nil {
		return incidents.RegisterEntry{}, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return incidents.RegisterEntry{}, err
		}
		return incidents.RegisterEntry{}, fmt.Errorf("register entry %d: %w", id, incidents.ErrNotFound)
	}
	e, ok, err := scanRegister(rows)
	if err == nil && !ok {
		err = fmt.Errorf("register entry %d is damaged; run breachd register verify", id)
	}
	return e, err
}
