package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/breachd/breachd/incidents"
)

// Progress implements incidents.Store.
func (s *Store) Progress(ctx context.Context) (incidents.Progress, error) {
	var out incidents.Progress
	rows, err := s.w.QueryContext(ctx, `SELECT path, dev, ino, offset, fp_len, fp_sha256 FROM file_positions ORDER BY path`)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var p incidents.FilePosition
		var dev, ino int64
		if err := rows.Scan(&p.Path, &dev, &ino, &p.Offset, &p.FPLen, &p.FP); err != nil {
			return out, err
		}
		p.Dev, p.Ino = uint64(dev), uint64(ino)
		out.Files = append(out.Files, p)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	rows, err = s.w.QueryContext(ctx, `SELECT source, cursor FROM source_cursors ORDER BY source`)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var c incidents.SourceCursor
		if err := rows.Scan(&c.Source, &c.Cursor); err != nil {
			return out, err
		}
		out.Cursors = append(out.Cursors, c)
	}
	return out, rows.Err()
}

const actionCols = `id, incident_id, action, fields, state, attempts, result, created_at, finished_at,
	approval_reason, approval_expires_at, approved_by, started_at, settled_by`

func scanActions(rows *sql.Rows) ([]incidents.ActionRun, error) {
	defer rows.Close()
	var out []incidents.ActionRun
	for rows.Next() {
		var (
			a             incidents.ActionRun
			fields, state string
			created       int64
			finished, exp sql.NullInt64
			started       sql.NullInt64
		)
		if err := rows.Scan(&a.ID, &a.IncidentID, &a.Action, &fields, &state, &a.Attempts, &a.Result, &created, &finished,
			&a.ApprovalReason, &exp, &a.ApprovedBy, &started, &a.SettledBy); err != nil {
			return nil, err
		}
		a.ApprovalExpiresAt = fromOptNanos(exp)
		a.StartedAt = fromOptNanos(started)
		if err := json.Unmarshal([]byte(fields), &a.Fields); err != nil {
			return nil, fmt.Errorf("action run %d fields: %w", a.ID, err)
		}
		a.State = incidents.ActionState(state)
		a.CreatedAt = fromNanos(created)
		a.FinishedAt = fromOptNanos(finished)
		out = append(out, a)
	}
	return out, rows.Err()
}

// PendingActions implements incidents.Store.
func (s *Store) PendingActions(ctx context.Context) ([]incidents.ActionRun, error) {
	// On the readers: the writer may be busy with the same incident's
	// obligations, and the runs are committed already.
	rows, err := s.rquery(ctx, sqlPendingActions)
	if err != nil {
		return nil, err
	}
	return scanActions(rows)
}

// StartAction implements incidents.Store. The writer commits with
// synchronous=FULL: the start is on disk when it returns.
func (s *Store) StartAction(ctx context.Context, id int64, at time.Time) error {
	res, err := s.w.ExecContext(ctx, `UPDATE action_runs SET attempts = attempts + 1, started_at = ? WHERE id = ? AND state = 'pending'`, nanos(at), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("%w: action run %d is not pending", incidents.ErrConflict, id)
	}
	return nil
}

// FinishAction implements incidents.Store.
func (s *Store) FinishAction(ctx context.Context, id int64, state incidents.ActionState, result string, at time.Time) error {
	return s.FinishAndPage(ctx, id, state, result, nil, at)
}

const incidentCols = `id, fingerprint, rule, group_key, title, category, severity, status, fields, evidence,
	finding_count, first_seen, last_seen, detected_at, origin, reporter, description, host, evidence_dropped,
	occurred_at, aware_at, determined_at, contained_at, closed_at, updated_at, resolution, risk, suggested_risk,
	risk_reason, risk_by, personal_data, scope, cost_exposure, currency, merged_into, reopened,
	nature, consequences, measures, effects, caused_by, delay_reason, effects_other`

type scanner interface{ Scan(...any) error }

func scanIncident(row scanner) (*incidents.Incident, error) {
	var (
		inc                                         incidents.Incident
		status, fields, risk, suggested, scope      string
		effects                                     string
		first, last, detected, aware, updated       int64
		occurred, determined, contained, closed, mi sql.NullInt64
	)
	err := row.Scan(&inc.ID, &inc.Fingerprint, &inc.Rule, &inc.GroupKey, &inc.Title, &inc.Category, &inc.Severity,
		&status, &fields, &inc.Evidence, &inc.FindingCount, &first, &last, &detected, &inc.Origin, &inc.Reporter,
		&inc.Description, &inc.Host, &inc.EvidenceDropped, &occurred, &aware, &determined, &contained, &closed, &updated,
		&inc.Resolution, &risk, &suggested, &inc.RiskReason, &inc.RiskBy, &inc.PersonalDataBreach, &scope,
		&inc.CostExposure, &inc.Currency, &mi, &inc.Reopened,
		&inc.Facts.Nature, &inc.Facts.Consequences, &inc.Facts.Measures, &effects, &inc.Facts.CausedBy, &inc.Facts.DelayReason, &inc.Facts.EffectsOther)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(fields), &inc.Fields); err != nil {
		return nil, fmt.Errorf("incident %d fields: %w", inc.ID, err)
	}
	if err := json.Unmarshal([]byte(scope), &inc.Scope); err != nil {
		return nil, fmt.Errorf("incident %d scope: %w", inc.ID, err)
	}
	if err := json.Unmarshal([]byte(effects), &inc.Facts.Effects); err != nil {
		return nil, fmt.Errorf("incident %d effects: %w", inc.ID, err)
	}
	inc.Status, inc.Risk, inc.SuggestedRisk = incidents.Status(status), incidents.Risk(risk), incidents.Risk(suggested)
	inc.FirstSeen, inc.LastSeen, inc.DetectedAt = fromNanos(first), fromNanos(last), fromNanos(detected)
	inc.AwareAt, inc.UpdatedAt = fromNanos(aware), fromNanos(updated)
	inc.OccurredAt, inc.DeterminedAt, inc.ContainedAt, inc.ClosedAt = fromOptNanos(occurred), fromOptNanos(determined), fromOptNanos(contained), fromOptNanos(closed)
	if mi.Valid {
		inc.MergedInto = &mi.Int64
	}
	return &inc, nil
}

// Incident implements incidents.Store.
func (s *Store) Incident(ctx context.Context, id int64) (*incidents.Incident, error) {
	inc, err := scanIncident(s.rqueryRow(ctx, sqlIncidentByID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("incident %d: %w", id, incidents.ErrNotFound)
	}
	return inc, err
}

// List implements incidents.Store.
func (s *Store) List(ctx context.Context, opts incidents.ListOptions) ([]incidents.Incident, error) {
	limit := opts.Limit
	if limit <= 0 {
		limit = 100
	}
	var where []string
	var args []any
	if len(opts.Status) > 0 {
		// +status: the newest first, by id, stopping at the limit, rather
		// than every incident of those statuses through incidents_status
		// and a sort (10,000 open incidents: 55 ms → 2 ms for 200).
		where = append(where, "+status IN (?"+strings.Repeat(", ?", len(opts.Status)-1)+")")
		for _, st := range opts.Status {
			args = append(args, string(st))
		}
	}
	for _, f := range []struct{ col, v string }{{"severity", opts.Severity}, {"rule", opts.Rule}, {"risk", string(opts.Risk)}} {
		if f.v != "" {
			where = append(where, f.col+" = ?") // col is one of three constants
			args = append(args, f.v)
		}
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	q := `SELECT ` + incidentCols + ` FROM incidents` + cond + " ORDER BY id DESC LIMIT ? OFFSET ?"
	if opts.Order == incidents.ListDue {
		// The soonest undecided due time of each incident that has one
		// (through obligations_open_incident), then those owing a notice
		// with no due time ("without undue delay", or its clock not set
		// yet), then the rest; each by last seen. The
		// page's ids are chosen on narrow rows first, then read whole:
		// sorting the whole rows of 10,000 incidents cost 40 ms.
		q = `WITH page AS (SELECT id AS p_id, (SELECT min(due_at) FROM obligations WHERE incident_id = incidents.id
				AND state IN ('pending', 'drafted', 'approved') AND due_at IS NOT NULL) AS p_due,
			EXISTS (SELECT 1 FROM obligations WHERE incident_id = incidents.id AND state IN ('pending', 'drafted', 'approved')) AS p_open,
			last_seen AS p_seen FROM incidents` + cond + `
			ORDER BY p_due IS NULL, p_due, p_open DESC, p_seen DESC, p_id DESC LIMIT ? OFFSET ?)
		SELECT ` + incidentCols + ` FROM page JOIN incidents ON id = p_id ORDER BY p_due IS NULL, p_due, p_open DESC, p_seen DESC, p_id DESC`
	}
	args = append(args, limit, max(opts.Offset, 0))
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []incidents.Incident{}
	for rows.Next() {
		inc, err := scanIncident(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *inc)
	}
	return out, rows.Err()
}

const timelineCols = `id, seq, incident_id, at, actor, kind, message, data, supersedes, content_hash, prev_hash, hash, redacted_at`

// timelineOf reads an incident's entries and those of the incidents merged
// into it. IN over a union reads each one's entries through the index
// timeline_incident; "incident_id = ? OR incident_id IN (...)" was
// answered by a scan of the whole table in seq order, once per incident
// opened (TestTimelineOfOneIncidentUsesItsIndex).
const timelineOf = `SELECT ` + timelineCols + ` FROM timeline
	WHERE incident_id IN (SELECT ? UNION ALL SELECT id FROM incidents WHERE merged_into = ?) ORDER BY seq`

// scanTimeline reads one entry; dataOK is false when its data column is
// not a JSON object (it was tampered with).
func scanTimeline(rows *sql.Rows) (incidents.TimelineEntry, bool, error) {
	var (
		e          incidents.TimelineEntry
		at         int64
		seq, super sql.NullInt64
		data       string
		redacted   sql.NullInt64
	)
	if err := rows.Scan(&e.ID, &seq, &e.IncidentID, &at, &e.Actor, &e.Kind, &e.Message, &data, &super,
		&e.ContentHash, &e.PrevHash, &e.Hash, &redacted); err != nil {
		return e, false, err
	}
	e.Seq = seq.Int64
	e.At = fromNanos(at)
	if super.Valid {
		e.Supersedes = &super.Int64
	}
	e.RedactedAt = fromOptNanos(redacted)
	dataOK := json.Unmarshal([]byte(data), &e.Data) == nil
	return e, dataOK, nil
}

// Timeline implements incidents.Store.
func (s *Store) Timeline(ctx context.Context, id int64) ([]incidents.TimelineEntry, error) {
	return collect(ctx, s.r, timelineEntry, timelineOf, id, id)
}

// Case implements incidents.Store: the incident and everything that
// hangs off it, read in one transaction, so that the parts agree (no
// timeline entry of an action run the answer does not hold).
func (s *Store) Case(ctx context.Context, id int64) (*incidents.Case, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	inc, err := scanIncident(tx.QueryRowContext(ctx, sqlIncidentByID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("incident %d: %w", id, incidents.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	c := &incidents.Case{Incident: *inc}
	if c.Timeline, err = collect(ctx, tx, timelineEntry, timelineOf, id, id); err != nil {
		return nil, err
	}
	if c.Actions, err = actionRuns(ctx, tx, id); err != nil {
		return nil, err
	}
	if c.Evidence, err = evidence(ctx, tx, id); err != nil {
		return nil, err
	}
	if c.Related, err = related(ctx, tx, id); err != nil {
		return nil, err
	}
	if c.Obligations, err = obligations(ctx, tx, id); err != nil {
		return nil, err
	}
	if c.Containments, err = containments(ctx, tx, id); err != nil {
		return nil, err
	}
	if c.Messages, err = messages(ctx, tx, id); err != nil {
		return nil, err
	}
	return c, nil
}

// AllTimeline returns every timeline entry in chain order, for export.
func (s *Store) AllTimeline(ctx context.Context) ([]incidents.TimelineEntry, error) {
	return collect(ctx, s.r, timelineEntry, `SELECT `+timelineCols+` FROM timeline ORDER BY id`)
}

func timelineEntry(rows *sql.Rows) (incidents.TimelineEntry, error) {
	e, _, err := scanTimeline(rows)
	return e, err
}

// RunsInState implements incidents.Store (through action_runs_state).
func (s *Store) RunsInState(ctx context.Context, state incidents.ActionState, limit int) ([]incidents.ActionRun, error) {
	return collectRuns(ctx, s.r, `SELECT `+actionCols+` FROM action_runs WHERE state = ? ORDER BY id DESC LIMIT ?`, string(state), limit)
}

// ActionRuns implements incidents.Store.
func (s *Store) ActionRuns(ctx context.Context, id int64) ([]incidents.ActionRun, error) {
	return actionRuns(ctx, s.r, id)
}

func actionRuns(ctx context.Context, q queryer, id int64) ([]incidents.ActionRun, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+actionCols+` FROM action_runs WHERE incident_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	runs, err := scanActions(rows)
	if runs == nil {
		runs = []incidents.ActionRun{}
	}
	return runs, err
}

// Evidence implements incidents.Store.
func (s *Store) Evidence(ctx context.Context, id int64) ([]incidents.EvidenceLine, error) {
	return evidence(ctx, s.r, id)
}

func evidence(ctx context.Context, q queryer, id int64) ([]incidents.EvidenceLine, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, at, line, purged_at FROM evidence WHERE incident_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []incidents.EvidenceLine{}
	for rows.Next() {
		var e incidents.EvidenceLine
		var at int64
		var purged sql.NullInt64
		if err := rows.Scan(&e.ID, &at, &e.Line, &purged); err != nil {
			return nil, err
		}
		e.At, e.PurgedAt = fromNanos(at), fromOptNanos(purged)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Related implements incidents.Store: the incidents merged with id, and
// for each entity it has, the maxLinks nearest incidents before and after
// it that share the entity, ordered by when the link came to be.
func (s *Store) Related(ctx context.Context, id int64) ([]incidents.Link, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return related(ctx, tx, id)
}

func related(ctx context.Context, tx queryer, id int64) ([]incidents.Link, error) {
	var detected int64
	if err := tx.QueryRowContext(ctx, `SELECT detected_at FROM incidents WHERE id = ?`, id).Scan(&detected); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return []incidents.Link{}, nil
		}
		return nil, err
	}
	out, err := collect(ctx, tx, func(rows *sql.Rows) (incidents.Link, error) {
		var l incidents.Link
		var at int64
		err := rows.Scan(&l.IncidentID, &l.Kind, &l.Value, &at)
		l.At = fromNanos(at)
		return l, err
	}, `SELECT CASE WHEN a = ?1 THEN b ELSE a END, kind, value, at FROM incident_links WHERE a = ?1 OR b = ?1`, id)
	if err != nil {
		return nil, err
	}
	type entity struct{ kind, value string }
	ents, err := collect(ctx, tx, func(rows *sql.Rows) (entity, error) {
		var e entity
		return e, rows.Scan(&e.kind, &e.value)
	}, `SELECT kind, value FROM incident_entities WHERE incident_id = ? ORDER BY kind, value`, id)
	if err != nil {
		return nil, err
	}
	for _, e := range ents {
		peers, err := collect(ctx, tx, func(rows *sql.Rows) (incidents.Link, error) {
			l := incidents.Link{Kind: e.kind, Value: e.value}
			var at int64
			err := rows.Scan(&l.IncidentID, &at)
			l.At = fromNanos(at)
			return l, err
		}, sqlPeers, e.kind, e.value, id, maxLinks, detected)
		if err != nil {
			return nil, err
		}
		out = append(out, peers...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		if out[i].IncidentID != out[j].IncidentID {
			return out[i].IncidentID < out[j].IncidentID
		}
		return out[i].Kind < out[j].Kind
	})
	return out, nil
}

// InsertObligation adds a pending notice obligation to an incident. The
// notification pipeline computes them from the policy packs.
func (s *Store) InsertObligation(ctx context.Context, incident int64, policy, recipient string, due time.Time) (int64, error) {
	var id int64
	err := s.w.QueryRowContext(ctx,
		`INSERT INTO obligations (incident_id, policy, recipient, due_at, state) VALUES (?, ?, ?, ?, 'pending') RETURNING id`,
		incident, policy, recipient, nanos(due)).Scan(&id)
	return id, err
}

// DecideObligation records an obligation's new state, who decided and
// why, with a timeline entry in the same transaction.
func (s *Store) DecideObligation(ctx context.Context, incident int64, policy, recipient string, state incidents.ObligationState, c incidents.Change) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE obligations SET state = ?, decided_by = ?, reason = ? WHERE incident_id = ? AND policy = ? AND recipient = ?`,
			string(state), c.Actor, c.Reason, incident, policy, recipient)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("obligation %s → %s of incident %d: %w", policy, recipient, incident, incidents.ErrNotFound)
		}
		return s.addEntry(ctx, tx, incident, c.At, c.Actor, incidents.ObligationStateEntry(policy, recipient, state, c))
	})
}

// Obligations implements incidents.Store.
func (s *Store) Obligations(ctx context.Context, id int64) ([]incidents.Obligation, error) {
	return obligations(ctx, s.r, id)
}

// Counts implements incidents.Store.
func (s *Store) Counts(ctx context.Context) ([]incidents.Count, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT rule, severity, status, count(*) FROM incidents WHERE merged_into IS NULL GROUP BY rule, severity, status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []incidents.Count
	for rows.Next() {
		var c incidents.Count
		var st string
		if err := rows.Scan(&c.Rule, &c.Severity, &st, &c.N); err != nil {
			return nil, err
		}
		c.Status = incidents.Status(st)
		out = append(out, c)
	}
	return out, rows.Err()
}

// collect runs a query and scans every row with scan; it never returns a
// nil slice, so an empty result is [] in JSON.
func collect[T any](ctx context.Context, q queryer, scan func(*sql.Rows) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// queryIDs returns the integers of a one-column query.
func queryIDs(ctx context.Context, q queryer, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

const obligationCols = `id, incident_id, policy, recipient, due_at, state, deadline, approval, decided_by, reason, decided_at, created_at, notice, proof, delivered_at`

func scanObligation(rows *sql.Rows) (incidents.Obligation, error) {
	var (
		o              incidents.Obligation
		due, decidedAt sql.NullInt64
		delivered      sql.NullInt64
		state          string
		created        int64
	)
	err := rows.Scan(&o.ID, &o.IncidentID, &o.Policy, &o.Recipient, &due, &state, &o.Deadline, &o.Approval, &o.DecidedBy, &o.Reason, &decidedAt, &created, &o.Notice, &o.Proof, &delivered)
	o.DueAt, o.State, o.DecidedAt, o.CreatedAt = fromOptNanos(due), incidents.ObligationState(state), fromOptNanos(decidedAt), fromNanos(created)
	o.DeliveredAt = fromOptNanos(delivered)
	return o, err
}

// obligationByID reads one obligation, ErrNotFound when there is none.
func obligationByID(ctx context.Context, q queryer, id int64) (incidents.Obligation, error) {
	list, err := collect(ctx, q, scanObligation, `SELECT `+obligationCols+` FROM obligations WHERE id = ?`, id)
	if err != nil {
		return incidents.Obligation{}, err
	}
	if len(list) == 0 {
		return incidents.Obligation{}, fmt.Errorf("obligation %d: %w", id, incidents.ErrNotFound)
	}
	return list[0], nil
}

func obligations(ctx context.Context, q queryer, id int64) ([]incidents.Obligation, error) {
	return collect(ctx, q, scanObligation, `SELECT `+obligationCols+` FROM obligations WHERE incident_id = ? ORDER BY due_at IS NULL, due_at, id`, id)
}
