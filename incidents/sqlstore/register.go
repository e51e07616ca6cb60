package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/breachd/breachd/incidents"
)

const registerCols = `id, seq, at, incident_id, kind, actor, record, supersedes, content_hash, prev_hash, hash`

// scanRegister reads one entry; recordOK is false when its record is not
// the JSON it was written as (it was tampered with).
func scanRegister(rows *sql.Rows) (e incidents.RegisterEntry, recordOK bool, err error) {
	var (
		at         int64
		inc, super sql.NullInt64
		rec        string
	)
	if err := rows.Scan(&e.ID, &e.Seq, &at, &inc, &e.Kind, &e.Actor, &rec, &super, &e.ContentHash, &e.PrevHash, &e.Hash); err != nil {
		return e, false, err
	}
	e.At = fromNanos(at)
	if inc.Valid {
		e.IncidentID = &inc.Int64
	}
	if super.Valid {
		e.Supersedes = &super.Int64
	}
	if json.Unmarshal([]byte(rec), &e.Record) != nil {
		// A damaged record is shown, not hidden: verify reports it.
		e.Record = incidents.Record{Nature: rec}
		return e, false, nil
	}
	return e, true, nil
}

// Register implements incidents.Store.
func (s *Store) Register(ctx context.Context) ([]incidents.RegisterEntry, error) {
	return collect(ctx, s.r, func(rows *sql.Rows) (incidents.RegisterEntry, error) {
		e, _, err := scanRegister(rows)
		return e, err
	}, `SELECT `+registerCols+` FROM register ORDER BY id`)
}

// Verify implements incidents.Store.
func (s *Store) Verify(ctx context.Context) (incidents.Verification, error) {
	var v incidents.Verification
	tl, err := s.timelineRows(ctx)
	if err != nil {
		return v, err
	}
	seq, hash, err := head(ctx, s.r, incidents.ChainTimeline)
	if err != nil {
		return v, err
	}
	v.Timeline = incidents.VerifyChain(incidents.ChainTimeline, tl, seq, hash)
	if v.Timeline, err = s.checkRedactions(ctx, v.Timeline); err != nil {
		return v, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+registerCols+` FROM register ORDER BY id`)
	if err != nil {
		return v, err
	}
	defer rows.Close()
	var reg []incidents.ChainRow
	for rows.Next() {
		e, recordOK, err := scanRegister(rows)
		if err != nil {
			return v, err
		}
		recomputed := "unreadable"
		if recordOK {
			recomputed = incidents.RegisterContentHash(e)
		}
		reg = append(reg, incidents.ChainRow{Row: e.ID, Seq: e.Seq, ContentHash: e.ContentHash, Recomputed: recomputed, PrevHash: e.PrevHash, Hash: e.Hash})
	}
	if err := rows.Err(); err != nil {
		return v, err
	}
	seq, hash, err = head(ctx, s.r, incidents.ChainRegister)
	if err != nil {
		return v, err
	}
	v.Register = incidents.VerifyChain(incidents.ChainRegister, reg, seq, hash)
	return v, nil
}

func (s *Store) timelineRows(ctx context.Context) ([]incidents.ChainRow, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+timelineCols+` FROM timeline ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []incidents.ChainRow
	for rows.Next() {
		e, dataOK, err := scanTimeline(rows)
		if err != nil {
			return nil, err
		}
		recomputed := ""
		switch {
		case e.RedactedAt != nil:
		case !dataOK:
			recomputed = "unreadable"
		default:
			recomputed = incidents.TimelineContentHash(e)
		}
		out = append(out, incidents.ChainRow{Row: e.ID, Seq: e.Seq, ContentHash: e.ContentHash, Recomputed: recomputed, PrevHash: e.PrevHash, Hash: e.Hash,
			IncidentID: e.IncidentID, At: e.At})
	}
	return out, rows.Err()
}

// Purge implements incidents.Store. It records retention first (periods
// only grow) and purges by the period in force.
func (s *Store) Purge(ctx context.Context, retention time.Duration, c incidents.Change) (incidents.PurgeReport, error) {
	var rep incidents.PurgeReport
	err := s.tx(ctx, func(tx *sql.Tx) error {
		inForce, err := recordRetention(ctx, tx, retention, c.At)
		if err != nil {
			return err
		}
		rep.Retention = inForce
		cutoff := c.At.Add(-inForce)
		ids, err := queryIDs(ctx, tx,
			`SELECT id FROM incidents WHERE status IN ('closed', 'false_positive') AND closed_at < ? ORDER BY id`, nanos(cutoff))
		if err != nil {
			return err
		}
		at := nanos(c.At)
		for _, id := range ids {
			var lines, entries int64
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM evidence WHERE incident_id = ? AND purged_at IS NULL AND at < ?`, id, nanos(cutoff)).Scan(&lines); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM timeline WHERE incident_id = ? AND redacted_at IS NULL AND at < ?`, id, nanos(cutoff)).Scan(&entries); err != nil {
				return err
			}
			if lines == 0 && entries == 0 {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE evidence SET line = '', purged_at = ? WHERE incident_id = ? AND purged_at IS NULL AND at < ?`, at, id, nanos(cutoff)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE timeline SET message = '', data = '{}', redacted_at = ? WHERE incident_id = ? AND redacted_at IS NULL AND at < ?`, at, id, nanos(cutoff)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE incidents SET evidence = '', fields = '{}', updated_at = ? WHERE id = ?`, at, id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM incident_entities WHERE incident_id = ?`, id); err != nil {
				return err
			}
			if err := s.addEntry(ctx, tx, id, c.At, c.Actor, incidents.PurgeEntry(lines, entries, cutoff)); err != nil {
				return err
			}
			rep.EvidenceLines += lines
			rep.TimelineEntries += entries
			rep.Incidents++
		}
		return nil
	})
	return rep, err
}
