package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/breachd/breachd/incidents"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is an incidents.Store on a SQLite file.
type Store struct {
	w *sql.DB // one connection: SQLite has one writer
	r *sql.DB // read-only pool
}

var _ incidents.Store = (*Store)(nil)

// Open opens (creating if needed) the database at file and migrates it.
func Open(ctx context.Context, file string) (*Store, error) {
	dsn := func(extra ...string) string {
		q := url.Values{}
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "busy_timeout(5000)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "synchronous(FULL)")
		for _, e := range extra {
			k, v, _ := strings.Cut(e, "=")
			q.Add(k, v)
		}
		return "file:" + file + "?" + q.Encode()
	}
	w, err := sql.Open("sqlite", dsn("_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	w.SetMaxOpenConns(1)
	s := &Store{w: w}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("migrate %s: %w", file, err)
	}
	r, err := sql.Open("sqlite", dsn("_pragma=query_only(1)"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	r.SetMaxOpenConns(4)
	s.r = r
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	return errors.Join(s.r.Close(), s.w.Close())
}

func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	var version int
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	for _, name := range names {
		n, err := strconv.Atoi(strings.SplitN(path.Base(name), "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: bad number", name)
		}
		if n <= version {
			continue
		}
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return err
		}
		tx, err := s.w.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", n)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

func nanos(t time.Time) int64 { return t.UTC().UnixNano() }

func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }

// Record implements incidents.Store.
func (s *Store) Record(ctx context.Context, items []incidents.NewIncident, progress incidents.Progress, at time.Time) (_ []incidents.Outcome, err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	out := make([]incidents.Outcome, len(items))
	for i, it := range items {
		inc := it.Incident
		var id int64
		err := tx.QueryRowContext(ctx,
			`UPDATE incidents SET finding_count = finding_count + ?, last_seen = max(last_seen, ?)
			 WHERE fingerprint = ? AND status NOT IN ('closed', 'false_positive') RETURNING id`,
			inc.FindingCount, nanos(inc.LastSeen), inc.Fingerprint).Scan(&id)
		if err == nil {
			out[i] = incidents.Outcome{IncidentID: id}
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		fields, err := json.Marshal(inc.Fields)
		if err != nil {
			return nil, err
		}
		err = tx.QueryRowContext(ctx,
			`INSERT INTO incidents (fingerprint, rule, group_key, title, category, severity, status, fields, evidence,
			                        finding_count, first_seen, last_seen, detected_at)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			inc.Fingerprint, inc.Rule, inc.GroupKey, inc.Title, inc.Category, inc.Severity, string(inc.Status),
			string(fields), inc.Evidence, inc.FindingCount, nanos(inc.FirstSeen), nanos(inc.LastSeen), nanos(at)).Scan(&id)
		if err != nil {
			return nil, err
		}
		msg := fmt.Sprintf("Opened by rule %s (%s, %s): %s", inc.Rule, inc.Severity, inc.Category, inc.Title)
		if err := addTimeline(ctx, tx, id, at, "breachd", "opened", msg); err != nil {
			return nil, err
		}
		for _, a := range it.Actions {
			state, result := incidents.ActionPending, ""
			var finished any
			if it.DryRun {
				state, result, finished = incidents.ActionDryRun, "dry run: the rule is in dry-run mode; nothing was executed", nanos(at)
			}
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO action_runs (incident_id, action, fields, state, result, created_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				id, a, string(fields), string(state), result, nanos(at), finished); err != nil {
				return nil, err
			}
		}
		out[i] = incidents.Outcome{IncidentID: id, Opened: true}
	}
	for _, p := range progress.Files {
		// dev and ino are stored by their bit pattern: SQLite integers are
		// signed.
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO file_positions (path, dev, ino, offset, fp_len, fp_sha256, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
			 ON CONFLICT (path) DO UPDATE SET dev = excluded.dev, ino = excluded.ino, offset = excluded.offset,
			     fp_len = excluded.fp_len, fp_sha256 = excluded.fp_sha256, updated_at = excluded.updated_at`,
			p.Path, int64(p.Dev), int64(p.Ino), p.Offset, p.FPLen, p.FP, nanos(at)); err != nil {
			return nil, err
		}
	}
	for _, c := range progress.Cursors {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO source_cursors (source, cursor, updated_at) VALUES (?, ?, ?)
			 ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
			c.Source, c.Cursor, nanos(at)); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return out, nil
}

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

func addTimeline(ctx context.Context, tx *sql.Tx, id int64, at time.Time, actor, kind, msg string) error {
	_, err := tx.ExecContext(ctx,
		`INSERT INTO timeline (incident_id, at, actor, kind, message) VALUES (?, ?, ?, ?, ?)`,
		id, nanos(at), actor, kind, msg)
	return err
}

const actionCols = `id, incident_id, action, fields, state, attempts, result, created_at, finished_at`

func scanActions(rows *sql.Rows) ([]incidents.ActionRun, error) {
	defer rows.Close()
	var out []incidents.ActionRun
	for rows.Next() {
		var (
			a             incidents.ActionRun
			fields, state string
			created       int64
			finished      sql.NullInt64
		)
		if err := rows.Scan(&a.ID, &a.IncidentID, &a.Action, &fields, &state, &a.Attempts, &a.Result, &created, &finished); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(fields), &a.Fields); err != nil {
			return nil, fmt.Errorf("action run %d fields: %w", a.ID, err)
		}
		a.State = incidents.ActionState(state)
		a.CreatedAt = fromNanos(created)
		if finished.Valid {
			t := fromNanos(finished.Int64)
			a.FinishedAt = &t
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// PendingActions implements incidents.Store.
func (s *Store) PendingActions(ctx context.Context) ([]incidents.ActionRun, error) {
	rows, err := s.w.QueryContext(ctx, `SELECT `+actionCols+` FROM action_runs WHERE state = 'pending' ORDER BY id`)
	if err != nil {
		return nil, err
	}
	return scanActions(rows)
}

// StartAction implements incidents.Store.
func (s *Store) StartAction(ctx context.Context, id int64, _ time.Time) error {
	_, err := s.w.ExecContext(ctx, `UPDATE action_runs SET attempts = attempts + 1 WHERE id = ?`, id)
	return err
}

// FinishAction implements incidents.Store.
func (s *Store) FinishAction(ctx context.Context, id int64, state incidents.ActionState, result string, at time.Time) (err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	var incident int64
	var action string
	err = tx.QueryRowContext(ctx,
		`UPDATE action_runs SET state = ?, result = ?, finished_at = ? WHERE id = ? RETURNING incident_id, action`,
		string(state), result, nanos(at), id).Scan(&incident, &action)
	if err != nil {
		return fmt.Errorf("finish action run %d: %w", id, err)
	}
	msg := fmt.Sprintf("Action %s %s: %s", action, state, result)
	if err := addTimeline(ctx, tx, incident, at, "breachd", "action", msg); err != nil {
		return err
	}
	return tx.Commit()
}

const incidentCols = `id, fingerprint, rule, group_key, title, category, severity, status, fields, evidence,
	finding_count, first_seen, last_seen, detected_at`

type scanner interface{ Scan(...any) error }

func scanIncident(row scanner) (*incidents.Incident, error) {
	var (
		inc                   incidents.Incident
		status, fields        string
		first, last, detected int64
	)
	err := row.Scan(&inc.ID, &inc.Fingerprint, &inc.Rule, &inc.GroupKey, &inc.Title, &inc.Category, &inc.Severity,
		&status, &fields, &inc.Evidence, &inc.FindingCount, &first, &last, &detected)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(fields), &inc.Fields); err != nil {
		return nil, fmt.Errorf("incident %d fields: %w", inc.ID, err)
	}
	inc.Status = incidents.Status(status)
	inc.FirstSeen, inc.LastSeen, inc.DetectedAt = fromNanos(first), fromNanos(last), fromNanos(detected)
	return &inc, nil
}

// Incident implements incidents.Store.
func (s *Store) Incident(ctx context.Context, id int64) (*incidents.Incident, error) {
	inc, err := scanIncident(s.r.QueryRowContext(ctx, `SELECT `+incidentCols+` FROM incidents WHERE id = ?`, id))
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
	rows, err := s.r.QueryContext(ctx, `SELECT `+incidentCols+` FROM incidents ORDER BY id DESC LIMIT ?`, limit)
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

// Timeline implements incidents.Store.
func (s *Store) Timeline(ctx context.Context, id int64) ([]incidents.TimelineEntry, error) {
	rows, err := s.r.QueryContext(ctx,
		`SELECT id, incident_id, at, actor, kind, message FROM timeline WHERE incident_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []incidents.TimelineEntry{}
	for rows.Next() {
		var e incidents.TimelineEntry
		var at int64
		if err := rows.Scan(&e.ID, &e.IncidentID, &at, &e.Actor, &e.Kind, &e.Message); err != nil {
			return nil, err
		}
		e.At = fromNanos(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// ActionRuns implements incidents.Store.
func (s *Store) ActionRuns(ctx context.Context, id int64) ([]incidents.ActionRun, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+actionCols+` FROM action_runs WHERE incident_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	runs, err := scanActions(rows)
	if runs == nil {
		runs = []incidents.ActionRun{}
	}
	return runs, err
}
