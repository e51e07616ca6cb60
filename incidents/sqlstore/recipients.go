package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/breachd/breachd/incidents"
)

// RecordProof implements incidents.Store. The register follows: its
// "notified" says the delivery's own time (the call's), not the time it
// was recorded.
func (s *Store) RecordProof(ctx context.Context, id int64, proof string, delivered time.Time, c incidents.Change) (incidents.Obligation, error) {
	var o incidents.Obligation
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if o, err = obligationByID(ctx, tx, id); err != nil {
			return err
		}
		if o.State.Decided() {
			return fmt.Errorf("%w: obligation %d is already %s", incidents.ErrConflict, id, o.State)
		}
		if delivered.IsZero() {
			delivered = c.At
		}
		late := incidents.Late(o.DueAt, delivered)
		if _, err := tx.ExecContext(ctx, `UPDATE obligations SET state = 'sent', decided_by = ?, reason = ?, decided_at = ?, delivered_at = ?, proof = ? WHERE id = ?`,
			c.Actor, c.Reason, nanos(c.At), nanos(delivered), proof, id); err != nil {
			return err
		}
		at := c.At
		o.State, o.DecidedBy, o.Reason, o.DecidedAt, o.Proof = incidents.ObligationSent, c.Actor, c.Reason, &at, proof
		del := delivered
		o.DeliveredAt = &del
		if err := s.addEntry(ctx, tx, o.IncidentID, c.At, c.Actor, incidents.GivenEntry(o, late, proof, c)); err != nil {
			return err
		}
		return s.followRegister(ctx, tx, o.IncidentID, c.At)
	})
	return o, err
}

// AddSubjects implements incidents.Store.
func (s *Store) AddSubjects(ctx context.Context, incident int64, list []incidents.DataSubject, c incidents.Change) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := incidentTx(ctx, tx, incident); err != nil {
			return err
		}
		var have int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM data_subjects WHERE incident_id = ?`, incident).Scan(&have); err != nil {
			return err
		}
		if have > 0 {
			return fmt.Errorf("%w: incident %d already has its list of %d data subjects; one list per incident", incidents.ErrConflict, incident, have)
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO data_subjects (incident_id, number, row, name, email, address, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		// Numbered by their place on this incident's list, from 1: the
		// number says nothing of other incidents' lists.
		for i, d := range list {
			if _, err := stmt.ExecContext(ctx, incident, i+1, d.Row, d.Name, d.Email, d.Address, nanos(c.At)); err != nil {
				return err
			}
		}
		// The timeline names the count, never a person on the list.
		return s.addEntry(ctx, tx, incident, c.At, c.Actor, incidents.SubjectsEntry(len(list), false, c))
	})
}

// SubjectIDs implements incidents.Store.
func (s *Store) SubjectIDs(ctx context.Context, incident int64) ([]int64, error) {
	return queryIDs(ctx, s.r, `SELECT number FROM data_subjects WHERE incident_id = ? ORDER BY number`, incident)
}

// Subject implements incidents.Store.
func (s *Store) Subject(ctx context.Context, incident, id int64) (incidents.DataSubject, error) {
	var d incidents.DataSubject
	err := s.rqueryRow(ctx, `SELECT number, row, name, email, address FROM data_subjects WHERE incident_id = ? AND number = ?`, incident, id).
		Scan(&d.ID, &d.Row, &d.Name, &d.Email, &d.Address)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("data subject %d of incident %d: %w", id, incident, incidents.ErrNotFound)
	}
	return d, err
}

// ListedIncidents implements incidents.Store.
func (s *Store) ListedIncidents(ctx context.Context) ([]int64, error) {
	return queryIDs(ctx, s.r, `SELECT DISTINCT incident_id FROM data_subjects WHERE purged_at IS NULL ORDER BY incident_id`)
}

// PurgeSubjects implements incidents.Store.
func (s *Store) PurgeSubjects(ctx context.Context, incident int64, c incidents.Change) (int, error) {
	n := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE data_subjects SET name = '', email = '', address = '', purged_at = ? WHERE incident_id = ? AND purged_at IS NULL`,
			nanos(c.At), incident)
		if err != nil {
			return err
		}
		rows, _ := res.RowsAffected()
		if n = int(rows); n == 0 {
			return nil
		}
		return s.addEntry(ctx, tx, incident, c.At, c.Actor, incidents.SubjectsEntry(n, true, c))
	})
	return n, err
}
