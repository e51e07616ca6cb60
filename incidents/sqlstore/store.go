package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
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

// afterMigration runs Go code a migration needs, in its transaction.
var afterMigration = map[int]func(context.Context, *sql.Tx) error{
	4: backfillTimelineChain,
}

// Store is an incidents.Store on a SQLite file.
type Store struct {
	w *sql.DB // one connection: SQLite has one writer
	r *sql.DB // read-only pool

	// stmts holds the writer's prepared statements of every commit
	// (hotQueries), prepared at Open and read-only after.
	stmts map[string]*sql.Stmt
	// rstmts are the readers' prepared statements of the path from an
	// incident's commit to its containment (readQueries).
	rstmts map[string]*sql.Stmt
}

// rquery and rqueryRow run query on the readers, prepared when it is one
// of readQueries.
func (s *Store) rquery(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := s.rstmts[query]; st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.r.QueryContext(ctx, query, args...)
}

func (s *Store) rqueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := s.rstmts[query]; st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.r.QueryRowContext(ctx, query, args...)
}

// prepare prepares the hot queries on the writer's connection. It runs
// before any transaction: the writer has a single connection.
func (s *Store) prepare(ctx context.Context) error {
	s.stmts = make(map[string]*sql.Stmt)
	for _, q := range hotQueries() {
		st, err := s.w.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", q, err)
		}
		s.stmts[q] = st
	}
	return nil
}

// prepared returns the statement of query for tx, or nil when query is
// not one of the hot queries.
func (s *Store) prepared(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	if st := s.stmts[query]; st != nil {
		return tx.StmtContext(ctx, st)
	}
	return nil
}

// exec and queryRow run a cached statement in tx.
func (s *Store) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st := s.prepared(ctx, tx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}

func (s *Store) queryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	if st := s.prepared(ctx, tx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, query, args...)
}

var _ incidents.Store = (*Store)(nil)

func dsn(file string, extra ...string) string {
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

// Open opens (creating if needed) the database at file and migrates it. A
// damaged write-ahead log is refused with a *WALError (see CheckWAL).
func Open(ctx context.Context, file string) (*Store, error) {
	// Before SQLite reads a damaged log and drops its tail for good.
	if err := checkWALBeforeOpen(file); err != nil {
		return nil, err
	}
	w, err := openWriter(file)
	if err != nil {
		return nil, err
	}
	s := &Store{w: w}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("migrate %s: %w", file, err)
	}
	if err := s.prepare(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	r, err := sql.Open("sqlite", dsn(file, "_pragma=query_only(1)"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	r.SetMaxOpenConns(4)
	s.r = r
	s.rstmts = make(map[string]*sql.Stmt)
	for _, q := range readQueries() {
		st, err := r.PrepareContext(ctx, q)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("open %s: prepare %q: %w", file, q, err)
		}
		s.rstmts[q] = st
	}
	return s, nil
}

func openWriter(file string) (*sql.DB, error) {
	w, err := sql.Open("sqlite", dsn(file, "_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	w.SetMaxOpenConns(1)
	return w, nil
}

// OpenReadOnly opens an existing database without migrating or writing it,
// for verifying and exporting a copy. It must be at the current schema.
func OpenReadOnly(ctx context.Context, file string) (*Store, error) {
	if _, err := os.Stat(file); err != nil {
		return nil, err
	}
	r, err := sql.Open("sqlite", "file:"+file+"?mode=ro&_pragma=busy_timeout(5000)&_pragma=query_only(1)")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	var version int
	if err := r.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		r.Close()
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	if latest := latestMigration(); version != latest {
		r.Close()
		return nil, fmt.Errorf("%s is at schema %d, this breachd reads %d: run the daemon of this version on it once (it migrates), or use the matching breachd", file, version, latest)
	}
	return &Store{w: r, r: r}, nil
}

func latestMigration() int {
	names, _ := fs.Glob(migrationFS, "migrations/*.sql")
	latest := 0
	for _, name := range names {
		if n, err := strconv.Atoi(strings.SplitN(path.Base(name), "_", 2)[0]); err == nil && n > latest {
			latest = n
		}
	}
	return latest
}

// Close closes the database.
func (s *Store) Close() error {
	for _, st := range s.stmts {
		st.Close()
	}
	for _, st := range s.rstmts {
		st.Close()
	}
	if s.r == s.w {
		return s.r.Close()
	}
	return errors.Join(s.r.Close(), s.w.Close())
}

// Backup writes a consistent copy of the database file to dest, which
// must not exist, while the daemon goes on writing: SQLite's VACUUM INTO
// reads one snapshot. The copy is compact and needs no WAL file.
func Backup(ctx context.Context, file, dest string) error {
	if _, err := os.Stat(file); err != nil {
		return err
	}
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("%s exists; name a new file", dest)
	}
	// Read-only, but not query_only: that pragma refuses VACUUM INTO.
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return fmt.Errorf("open %s: %w", file, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", dest); err != nil {
		return fmt.Errorf("back up to %s: %w", dest, err)
	}
	return nil
}

// IntegrityCheck runs SQLite's integrity check and returns its answer
// ("ok" when the file is sound).
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var res string
	err := s.r.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res)
	return res, err
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
		if after := afterMigration[n]; after != nil {
			if err := after(ctx, tx); err != nil {
				tx.Rollback()
				return fmt.Errorf("migration %s: %w", name, err)
			}
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

// backfillTimelineChain links the timeline entries written before the
// chain existed, in their order.
func backfillTimelineChain(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, incident_id, at, actor, kind, message FROM timeline ORDER BY id`)
	if err != nil {
		return err
	}
	var entries []incidents.TimelineEntry
	for rows.Next() {
		var e incidents.TimelineEntry
		var at int64
		if err := rows.Scan(&e.ID, &e.IncidentID, &at, &e.Actor, &e.Kind, &e.Message); err != nil {
			rows.Close()
			return err
		}
		e.At = fromNanos(at)
		entries = append(entries, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	prev := incidents.GenesisHash
	for i, e := range entries {
		seq := int64(i + 1)
		content := incidents.TimelineContentHash(e)
		hash := incidents.ChainHash(incidents.ChainTimeline, seq, prev, content)
		if _, err := tx.ExecContext(ctx, `UPDATE timeline SET seq = ?, content_hash = ?, prev_hash = ?, hash = ? WHERE id = ?`,
			seq, content, prev, hash, e.ID); err != nil {
			return err
		}
		prev = hash
	}
	if len(entries) > 0 {
		_, err = tx.ExecContext(ctx, `INSERT INTO chain_heads (chain, seq, hash) VALUES (?, ?, ?)`,
			incidents.ChainTimeline, len(entries), prev)
	}
	return err
}

func nanos(t time.Time) int64 { return t.UTC().UnixNano() }

func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }

func optNanos(t *time.Time) any {
	if t == nil {
		return nil
	}
	return nanos(*t)
}

func fromOptNanos(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := fromNanos(n.Int64)
	return &t
}

func jsonString(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// tx runs fn in a write transaction.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	return inTx(func() (*sql.Tx, error) { return s.w.BeginTx(ctx, nil) }, fn)
}

// inTx runs fn in the transaction begin starts, committing it when fn
// succeeds and rolling it back otherwise.
func inTx(begin func() (*sql.Tx, error), fn func(*sql.Tx) error) (err error) {
	tx, err := begin()
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// txUnsynced is tx with a commit that is written to the write-ahead log but
// not fsynced (synchronous NORMAL for this one transaction, on the writer
// connection held throughout so that no other commit runs unsynced). It
// survives the process being killed; the next synced commit, any other,
// makes it durable against power loss too. Only for records of state that
// a power loss erases anyway (a block in the kernel).
func (s *Store) txUnsynced(ctx context.Context, fn func(*sql.Tx) error) (err error) {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = NORMAL"); err != nil {
		return err
	}
	defer func() {
		if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA synchronous = FULL"); rerr != nil {
			// A connection left unsynced must serve no other commit.
			conn.Raw(func(any) error { return driver.ErrBadConn })
			err = errors.Join(err, rerr)
		}
	}()
	return inTx(func() (*sql.Tx, error) { return conn.BeginTx(ctx, nil) }, fn)
}

// head returns the last entry of a chain.
func head(ctx context.Context, q queryer, chain string) (int64, string, error) {
	var seq int64
	var hash string
	err := q.QueryRowContext(ctx, `SELECT seq, hash FROM chain_heads WHERE chain = ?`, chain).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, incidents.GenesisHash, nil
	}
	return seq, hash, err
}

// headTx is head through the statement cache.
func (s *Store) headTx(ctx context.Context, tx *sql.Tx, chain string) (int64, string, error) {
	var seq int64
	var hash string
	err := s.queryRow(ctx, tx, sqlHead, chain).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, incidents.GenesisHash, nil
	}
	return seq, hash, err
}

func (s *Store) setHead(ctx context.Context, tx *sql.Tx, chain string, seq int64, hash string) error {
	_, err := s.exec(ctx, tx, sqlSetHead, chain, seq, hash)
	return err
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// appendTimeline links e into the timeline chain and stores it.
func (s *Store) appendTimeline(ctx context.Context, tx *sql.Tx, e incidents.TimelineEntry) (incidents.TimelineEntry, error) {
	seq, prev, err := s.headTx(ctx, tx, incidents.ChainTimeline)
	if err != nil {
		return e, err
	}
	e.Seq = seq + 1
	e.At = e.At.UTC()
	e.ContentHash = incidents.TimelineContentHash(e)
	e.PrevHash = prev
	e.Hash = incidents.TimelineHash(e.Seq, prev, e.ContentHash, e.IncidentID, e.At)
	data := "{}"
	if len(e.Data) > 0 {
		if data, err = jsonString(e.Data); err != nil {
			return e, err
		}
	}
	err = s.queryRow(ctx, tx,
		sqlInsertTimeline,
		e.IncidentID, nanos(e.At), e.Actor, e.Kind, e.Message, e.Seq, data, e.Supersedes, e.ContentHash, e.PrevHash, e.Hash).Scan(&e.ID)
	if err != nil {
		return e, err
	}
	return e, s.setHead(ctx, tx, incidents.ChainTimeline, e.Seq, e.Hash)
}

func (s *Store) addTimeline(ctx context.Context, tx *sql.Tx, id int64, at time.Time, actor, kind, msg string, data map[string]string) error {
	_, err := s.appendTimeline(ctx, tx, incidents.TimelineEntry{IncidentID: id, At: at, Actor: actor, Kind: kind, Message: msg, Data: data})
	return err
}

// appendRegister links e into the register chain and stores it.
func (s *Store) appendRegister(ctx context.Context, tx *sql.Tx, e incidents.RegisterEntry) (incidents.RegisterEntry, error) {
	seq, prev, err := s.headTx(ctx, tx, incidents.ChainRegister)
	if err != nil {
		return e, err
	}
	e.Seq = seq + 1
	e.At = e.At.UTC()
	if e.Record.DataCategories == nil {
		e.Record.DataCategories = []string{}
	}
	e.ContentHash = incidents.RegisterContentHash(e)
	e.PrevHash = prev
	e.Hash = incidents.ChainHash(incidents.ChainRegister, e.Seq, prev, e.ContentHash)
	rec, err := jsonString(e.Record)
	if err != nil {
		return e, err
	}
	err = s.queryRow(ctx, tx,
		sqlInsertRegister,
		e.Seq, nanos(e.At), e.IncidentID, e.Kind, e.Actor, rec, e.Supersedes, e.ContentHash, e.PrevHash, e.Hash).Scan(&e.ID)
	if err != nil {
		return e, err
	}
	return e, s.setHead(ctx, tx, incidents.ChainRegister, e.Seq, e.Hash)
}

// Record implements incidents.Store.
func (s *Store) Record(ctx context.Context, items []incidents.NewIncident, progress incidents.Progress, at time.Time) ([]incidents.Outcome, error) {
	out := make([]incidents.Outcome, len(items))
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for i, it := range items {
			o, err := s.record(ctx, tx, it, at)
			if err != nil {
				return err
			}
			out[i] = o
		}
		return s.storeProgress(ctx, tx, progress, at)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) storeProgress(ctx context.Context, tx *sql.Tx, progress incidents.Progress, at time.Time) error {
	for _, p := range progress.Files {
		// dev and ino are stored by their bit pattern: SQLite integers are
		// signed.
		if _, err := s.exec(ctx, tx,
			sqlFilePosition,
			p.Path, int64(p.Dev), int64(p.Ino), p.Offset, p.FPLen, p.FP, nanos(at)); err != nil {
			return err
		}
	}
	for _, c := range progress.Cursors {
		if _, err := s.exec(ctx, tx,
			sqlSourceCursor,
			c.Source, c.Cursor, nanos(at)); err != nil {
			return err
		}
	}
	return s.storeRuleState(ctx, tx, progress.Rules)
}

// record stores one finding: attach, reopen or open.
func (s *Store) record(ctx context.Context, tx *sql.Tx, it incidents.NewIncident, at time.Time) (incidents.Outcome, error) {
	inc := it.Incident
	// 1. Attach to the active incident of this fingerprint, or to the one
	// an incident of this fingerprint was merged into.
	var id int64
	err := s.queryRow(ctx, tx,
		sqlAttach,
		inc.FindingCount, nanos(inc.LastSeen), nanos(at), inc.Fingerprint, inc.Fingerprint).Scan(&id)
	if err == nil {
		return incidents.Outcome{IncidentID: id}, s.addEvidence(ctx, tx, id, inc.LastSeen, inc.Evidence, it.EvidenceCap)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return incidents.Outcome{}, err
	}
	// 2. Reopen the last incident of this fingerprint if it was closed
	// within reopen_within.
	if it.ReopenWithin > 0 {
		var closedAt sql.NullInt64
		err := s.queryRow(ctx, tx,
			sqlLastClosed, inc.Fingerprint).Scan(&id, &closedAt)
		switch {
		case err == nil && closedAt.Valid && fromNanos(closedAt.Int64).Add(it.ReopenWithin).After(inc.LastSeen):
			if _, err := s.exec(ctx, tx,
				sqlReopen,
				inc.FindingCount, nanos(inc.LastSeen), nanos(at), id); err != nil {
				return incidents.Outcome{}, err
			}
			msg := fmt.Sprintf("Reopened by rule %s: a new finding came %s after the incident was closed (reopen_within %s)",
				inc.Rule, inc.LastSeen.Sub(fromNanos(closedAt.Int64)).Round(time.Second), it.ReopenWithin)
			if err := s.addTimeline(ctx, tx, id, at, "breachd", "reopened", msg, map[string]string{"from": "closed", "to": "open"}); err != nil {
				return incidents.Outcome{}, err
			}
			return incidents.Outcome{IncidentID: id, Reopened: true}, s.addEvidence(ctx, tx, id, inc.LastSeen, inc.Evidence, it.EvidenceCap)
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return incidents.Outcome{}, err
		}
	}
	// 3. Open a new incident.
	id, stored, err := s.insertIncident(ctx, tx, inc, at)
	if err != nil {
		return incidents.Outcome{}, err
	}
	out := incidents.Outcome{IncidentID: id, Opened: true, Incident: &stored}
	msg := fmt.Sprintf("Opened by rule %s (%s, %s): %s", inc.Rule, inc.Severity, inc.Category, inc.Title)
	data := map[string]string{"suggested_risk": string(inc.SuggestedRisk)}
	if inc.SuggestedRiskReason != "" {
		msg += fmt.Sprintf("; suggested risk %s: %s", inc.SuggestedRisk, inc.SuggestedRiskReason)
		data["suggested_risk_reason"] = inc.SuggestedRiskReason
	}
	if err := s.addTimeline(ctx, tx, id, at, "breachd", "opened", msg, data); err != nil {
		return incidents.Outcome{}, err
	}
	if inc.Evidence != "" { // a new incident has room: no count needed
		if _, err := s.exec(ctx, tx, sqlInsertEvidence, id, nanos(inc.FirstSeen), inc.Evidence); err != nil {
			return incidents.Outcome{}, err
		}
	}
	fields, err := jsonString(inc.Fields)
	if err != nil {
		return incidents.Outcome{}, err
	}
	for _, a := range it.Actions {
		state, result := incidents.ActionPending, ""
		var finished any
		if it.DryRun {
			state, result, finished = incidents.ActionDryRun, "dry run: the rule is in dry-run mode; nothing was executed", nanos(at)
		}
		res, err := s.exec(ctx, tx,
			sqlInsertActionRun,
			id, a, fields, string(state), result, nanos(at), finished)
		if err != nil {
			return incidents.Outcome{}, err
		}
		if state != incidents.ActionPending {
			continue
		}
		run := incidents.ActionRun{IncidentID: id, Action: a, Fields: inc.Fields, State: state, CreatedAt: fromNanos(nanos(at))}
		if run.ID, err = res.LastInsertId(); err != nil {
			return incidents.Outcome{}, err
		}
		out.Runs = append(out.Runs, run)
	}
	if err := s.linkEntities(ctx, tx, id, it.Entities); err != nil {
		return incidents.Outcome{}, err
	}
	if err := s.enqueue(ctx, tx, id, it.Page, at); err != nil {
		return incidents.Outcome{}, err
	}
	return out, nil
}

// enqueue commits the messages a new incident owes, each with its
// idempotency key (incident, route, channel, event, version).
func (s *Store) enqueue(ctx context.Context, tx *sql.Tx, id int64, pages []incidents.Page, at time.Time) error {
	for _, p := range pages {
		if _, err := s.exec(ctx, tx, sqlInsertMessage, id, p.Channel, p.Route, "incident.opened",
			fmt.Sprintf("breachd-incident-%d-%s-%s-opened-v1", id, p.Route, p.Channel), nanos(at), nanos(at), nil, "", ""); err != nil {
			return err
		}
	}
	return nil
}

// insertIncident inserts inc and returns its id and the incident as
// stored, as Store.Incident would read it back.
func (s *Store) insertIncident(ctx context.Context, tx *sql.Tx, inc incidents.Incident, at time.Time) (int64, incidents.Incident, error) {
	fields, err := jsonString(inc.Fields)
	if err != nil {
		return 0, inc, err
	}
	scope, err := jsonString(inc.Scope)
	if err != nil {
		return 0, inc, err
	}
	if inc.Origin == "" {
		inc.Origin = incidents.OriginRule
	}
	if inc.Risk == "" {
		inc.Risk = incidents.RiskUnassessed
	}
	if inc.SuggestedRisk == "" {
		inc.SuggestedRisk = incidents.RiskUnassessed
	}
	occurred := inc.OccurredAt
	if occurred == nil && !inc.FirstSeen.IsZero() {
		occurred = &inc.FirstSeen
	}
	if occurred != nil && occurred.After(at) {
		// A log line stamped by a clock a little ahead of the
		// daemon's (within the parser's leeway): the breach did not
		// occur after the daemon became aware of it. occurred_at is
		// then the detection's time; first_seen keeps the line's.
		o := at
		occurred = &o
	}
	var id int64
	err = s.queryRow(ctx, tx,
		sqlInsertIncident,
		inc.Fingerprint, inc.Rule, inc.GroupKey, inc.Title, inc.Category, inc.Severity, fields, inc.Evidence,
		inc.FindingCount, nanos(inc.FirstSeen), nanos(inc.LastSeen), nanos(at), inc.Origin, inc.Reporter, inc.Description,
		inc.Host, optNanos(occurred), nanos(at), nanos(at), string(inc.Risk), string(inc.SuggestedRisk), scope,
		inc.CostExposure, inc.Currency).Scan(&id)
	inc.ID, inc.OccurredAt = id, occurred
	inc.DetectedAt, inc.AwareAt, inc.UpdatedAt = fromNanos(nanos(at)), fromNanos(nanos(at)), fromNanos(nanos(at))
	inc.FirstSeen, inc.LastSeen = fromNanos(nanos(inc.FirstSeen)), fromNanos(nanos(inc.LastSeen))
	if inc.Status == "" {
		inc.Status = incidents.StatusOpen
	}
	inc.Facts = incidents.Facts{Effects: []string{}} // not inserted: facts come later
	inc.SuggestedRiskReason = ""                     // not a column: it is on the opened entry
	return id, inc, err
}

// addEvidence keeps line unless the incident already holds cap lines, in
// which case it is counted.
func (s *Store) addEvidence(ctx context.Context, tx *sql.Tx, id int64, at time.Time, line string, cap int) error {
	if line == "" {
		return nil
	}
	if cap <= 0 {
		cap = 20
	}
	var n int
	if err := s.queryRow(ctx, tx, sqlCountEvidence, id).Scan(&n); err != nil {
		return err
	}
	if n >= cap {
		_, err := s.exec(ctx, tx, sqlEvidenceDropped, id)
		return err
	}
	_, err := s.exec(ctx, tx, sqlInsertEvidence, id, nanos(at), line)
	return err
}

// maxLinks bounds the incidents related by one entity value on each side
// of an incident: the 50 opened just before it and the 50 just after.
const maxLinks = 50

// linkEntities records the incident's entities; Related reads the links
// from them. One insert per value and nothing else: an incident whose user
// is root shares it with thousands, on the path to its containment.
func (s *Store) linkEntities(ctx context.Context, tx *sql.Tx, id int64, entities map[string]string) error {
	for kind, value := range entities {
		if value == "" {
			continue
		}
		if _, err := s.exec(ctx, tx, sqlInsertEntity, kind, value, id); err != nil {
			return err
		}
	}
	return nil
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

func (s *Store) link(ctx context.Context, tx *sql.Tx, x, y int64, kind, value string, at time.Time) error {
	if x == y {
		return nil
	}
	_, err := s.exec(ctx, tx, sqlInsertLink,
		min(x, y), max(x, y), kind, value, nanos(at))
	return err
}

// Open implements incidents.Store.
func (s *Store) Open(ctx context.Context, inc incidents.Incident, pages []incidents.Page, c incidents.Change) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		inc.Origin = incidents.OriginManual
		inc.Fingerprint = fmt.Sprintf("manual/%d", c.At.UnixNano())
		if inc.FirstSeen.IsZero() {
			inc.FirstSeen = c.At
		}
		inc.LastSeen = inc.FirstSeen
		var err error
		if id, _, err = s.insertIncident(ctx, tx, inc, c.At); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE incidents SET fingerprint = ? WHERE id = ?`, fmt.Sprintf("manual/%d", id), id); err != nil {
			return err
		}
		msg := fmt.Sprintf("Opened by hand by %s (%s, %s): %s", c.Actor, inc.Severity, inc.Category, inc.Title)
		if inc.Reporter != "" {
			msg += "; reported by " + inc.Reporter
		}
		if err := s.enqueue(ctx, tx, id, pages, c.At); err != nil {
			return err
		}
		data := map[string]string{"reporter": inc.Reporter, "reason": c.Reason, "suggested_risk": string(inc.SuggestedRisk)}
		if inc.SuggestedRiskReason != "" {
			msg += fmt.Sprintf("; suggested risk %s: %s", inc.SuggestedRisk, inc.SuggestedRiskReason)
			data["suggested_risk_reason"] = inc.SuggestedRiskReason
		}
		return s.addTimeline(ctx, tx, id, c.At, c.Actor, "opened", msg, data)
	})
	return id, err
}

// incidentTx reads an incident inside a transaction.
func incidentTx(ctx context.Context, tx *sql.Tx, id int64) (*incidents.Incident, error) {
	inc, err := scanIncident(tx.QueryRowContext(ctx, `SELECT `+incidentCols+` FROM incidents WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("incident %d: %w", id, incidents.ErrNotFound)
	}
	return inc, err
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

// Transition implements incidents.Store.
func (s *Store) Transition(ctx context.Context, id int64, to incidents.Status, resolution string, c incidents.Change) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		inc, err := incidentTx(ctx, tx, id)
		if err != nil {
			return err
		}
		obs, err := obligations(ctx, tx, id)
		if err != nil {
			return err
		}
		var undecided []incidents.Obligation
		for _, o := range obs {
			if !o.State.Decided() {
				undecided = append(undecided, o)
			}
		}
		if err := incidents.CheckTransition(inc, to, resolution, undecided, c.Reason); err != nil {
			return err
		}
		if to == incidents.StatusClosed {
			breach, assessed, documented, err := registered(ctx, tx, inc)
			if err != nil {
				return err
			}
			if err := incidents.CheckRegistered(inc, breach, documented); err != nil {
				return err
			}
			if err := incidents.CheckNearMissRegistered(inc, assessed, documented); err != nil {
				return err
			}
		}
		at := nanos(c.At)
		switch to {
		case incidents.StatusContained:
			_, err = tx.ExecContext(ctx, `UPDATE incidents SET status = ?, contained_at = coalesce(contained_at, ?), updated_at = ? WHERE id = ?`, to, at, at, id)
		case incidents.StatusClosed, incidents.StatusFalsePositive:
			_, err = tx.ExecContext(ctx, `UPDATE incidents SET status = ?, closed_at = ?, resolution = ?, updated_at = ? WHERE id = ?`, to, at, resolution, at, id)
		case incidents.StatusOpen:
			// Reopening needs the fingerprint free among active incidents.
			var other int64
			err = tx.QueryRowContext(ctx, `SELECT id FROM incidents WHERE fingerprint = ? AND status NOT IN ('closed', 'false_positive')`, inc.Fingerprint).Scan(&other)
			if err == nil {
				return fmt.Errorf("%w: incident %d of the same detection is already open; work on it or merge", incidents.ErrConflict, other)
			}
			_, err = tx.ExecContext(ctx, `UPDATE incidents SET status = 'open', closed_at = NULL, reopened = reopened + 1, updated_at = ? WHERE id = ?`, at, id)
		default:
			_, err = tx.ExecContext(ctx, `UPDATE incidents SET status = ?, updated_at = ? WHERE id = ?`, to, at, id)
		}
		if err != nil {
			return err
		}
		// The channels paged on the incident hear how it ends: contained
		// acknowledges, closed and false_positive resolve, reopened
		// triggers again. Same transaction, same idempotency scheme.
		if event := followUp(to); event != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (incident_id, channel, route, event, idempotency_key, next_attempt_at, created_at)
				SELECT incident_id, channel, route, ?, 'breachd-incident-' || incident_id || '-' || route || '-' || channel || '-' || ? || '-v' || (
				    SELECT count(*) + 1 FROM outbox o2 WHERE o2.incident_id = outbox.incident_id AND o2.event = ? AND o2.route = outbox.route AND o2.channel = outbox.channel),
				    ?, ?
				FROM outbox WHERE incident_id = ? AND event = 'incident.opened'`,
				event, strings.TrimPrefix(event, "incident."), event, at, at, id); err != nil {
				return err
			}
		}
		msg := fmt.Sprintf("%s → %s", inc.Status, to)
		if resolution != "" {
			msg += "; resolution: " + resolution
		}
		if c.Reason != "" {
			msg += "; reason: " + c.Reason
		}
		return s.addTimeline(ctx, tx, id, c.At, c.Actor, "transition", msg,
			map[string]string{"from": string(inc.Status), "to": string(to), "resolution": resolution, "reason": c.Reason})
	})
}

// followUp is the outbox event a transition to status sends.
func followUp(to incidents.Status) string {
	switch to {
	case incidents.StatusContained:
		return "incident.acknowledged"
	case incidents.StatusClosed, incidents.StatusFalsePositive:
		return "incident.resolved"
	case incidents.StatusOpen:
		return "incident.reopened"
	}
	return ""
}

// Assess implements incidents.Store.
func (s *Store) Assess(ctx context.Context, id int64, a incidents.Assessment, c incidents.Change) error {
	if !incidents.ValidRisk(a.Risk) {
		return fmt.Errorf("%w: risk %q; use none, risk or high", incidents.ErrInvalid, a.Risk)
	}
	if strings.TrimSpace(c.Reason) == "" {
		return fmt.Errorf("%w: a risk decision needs a reason (P5, P18)", incidents.ErrInvalid)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		inc, err := incidentTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if inc.MergedInto != nil {
			return fmt.Errorf("%w: incident %d was merged into incident %d; assess that one", incidents.ErrConflict, id, *inc.MergedInto)
		}
		if !a.Register {
			// Once the DPO has decided, the next decision is the DPO's.
			if err := dpoDecided(ctx, tx, id); err != nil {
				return err
			}
		}
		personal := inc.Scope.PersonalData()
		if a.PersonalData != nil {
			personal = *a.PersonalData
		}
		kind := incidents.RegisterKindFor(personal, inc.Scope, a.Risk)
		breach := kind == incidents.RegisterBreach
		at := nanos(c.At)
		if _, err := tx.ExecContext(ctx,
			`UPDATE incidents SET risk = ?, risk_reason = ?, risk_by = ?, personal_data = ?, determined_at = coalesce(determined_at, ?), updated_at = ?,
			     consequences = CASE WHEN ? != '' THEN ? ELSE consequences END, measures = CASE WHEN ? != '' THEN ? ELSE measures END
			 WHERE id = ?`,
			string(a.Risk), c.Reason, c.Actor, breach, at, at, a.Consequences, a.Consequences, a.Measures, a.Measures, id); err != nil {
			return err
		}
		what := map[bool]string{true: "a personal-data breach", false: "not a personal-data breach: a near miss"}[breach]
		register := kind
		if !a.Register {
			what += "; the register entry waits for the DPO, whose own decision records it"
			register = "waiting for the DPO"
		}
		msg := fmt.Sprintf("Risk %s (suggested %s, was %s); %s; reason: %s", a.Risk, inc.SuggestedRisk, inc.Risk, what, c.Reason)
		if err := s.addTimeline(ctx, tx, id, c.At, c.Actor, "risk", msg, map[string]string{
			"risk": string(a.Risk), "previous": string(inc.Risk), "suggested": string(inc.SuggestedRisk),
			"personal_data": strconv.FormatBool(personal), "register": register, "reason": c.Reason,
		}); err != nil {
			return err
		}
		if !a.Register {
			return nil
		}
		// The register entry; a reassessment supersedes the last one.
		var prev sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT max(id) FROM register WHERE incident_id = ?`, id).Scan(&prev); err != nil {
			return err
		}
		e := incidents.RegisterEntry{
			At: c.At, IncidentID: &id, Kind: kind, Actor: c.Actor,
			Record: incidents.Record{
				Nature:         fmt.Sprintf("%s: %s (%s)", inc.Category, inc.Title, inc.Severity),
				DataCategories: inc.Scope.DataCategories, DataSubjects: inc.Scope.DataSubjects, Records: inc.Scope.Records,
				Risk: a.Risk, Consequences: a.Consequences, Measures: a.Measures, Reason: c.Reason,
			},
		}
		// Said with the decision, or else as the notices' facts have them.
		if e.Record.Consequences == "" {
			e.Record.Consequences = inc.Facts.Consequences
		}
		if e.Record.Measures == "" {
			e.Record.Measures = inc.Facts.Measures
		}
		if e.Record.Notified, err = notifiedOf(ctx, tx, id); err != nil {
			return err
		}
		if prev.Valid {
			e.Supersedes = &prev.Int64
		}
		_, err = s.appendRegister(ctx, tx, e)
		return err
	})
}

// dpoDecided refuses a risk decision of anyone but the DPO once the DPO
// has made one on incident id (a risk entry whose register is not
// waiting for the DPO), naming that decision and what to do instead.
func dpoDecided(ctx context.Context, tx *sql.Tx, id int64) error {
	var actor, risk, personal string
	var at int64
	err := tx.QueryRowContext(ctx, `SELECT actor, at, coalesce(json_extract(data, '$.risk'), ''), coalesce(json_extract(data, '$.personal_data'), '')
		FROM timeline WHERE incident_id = ? AND kind = 'risk' AND json_valid(data) AND coalesce(json_extract(data, '$.register'), '') != 'waiting for the DPO'
		ORDER BY id DESC LIMIT 1`, id).Scan(&actor, &at, &risk, &personal)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: the DPO %s decided incident %d's risk (%s, personal data %s) at %s; only the DPO makes the next risk decision. Add a note for the DPO instead (breachd incidents note %d \"...\"), and the DPO re-assesses",
		incidents.ErrForbidden, actor, id, risk, personal, time.Unix(0, at).UTC().Format(time.RFC3339), id)
}

// Note implements incidents.Store.
func (s *Store) Note(ctx context.Context, id int64, kind, text string, supersedes *int64, c incidents.Change) (incidents.TimelineEntry, error) {
	var e incidents.TimelineEntry
	if strings.TrimSpace(text) == "" {
		return e, fmt.Errorf("%w: the text is empty", incidents.ErrInvalid)
	}
	if kind != "note" && kind != "decision" {
		return e, fmt.Errorf("%w: kind %q; use note or decision", incidents.ErrInvalid, kind)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := incidentTx(ctx, tx, id); err != nil {
			return err
		}
		data := map[string]string{}
		if supersedes != nil {
			var owner int64
			err := tx.QueryRowContext(ctx, `SELECT t.incident_id FROM timeline t JOIN incidents i ON i.id = t.incident_id
				WHERE t.id = ? AND (i.id = ? OR i.merged_into = ?)`, *supersedes, id, id).Scan(&owner)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("%w: timeline entry %d is not in incident %d", incidents.ErrNotFound, *supersedes, id)
			}
			if err != nil {
				return err
			}
			data["corrects"] = kind
			kind = "correction"
		}
		if c.Reason != "" {
			data["reason"] = c.Reason
		}
		var err error
		e, err = s.appendTimeline(ctx, tx, incidents.TimelineEntry{
			IncidentID: id, At: c.At, Actor: c.Actor, Kind: kind, Message: text, Data: data, Supersedes: supersedes,
		})
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE incidents SET updated_at = ? WHERE id = ?`, nanos(c.At), id)
		return err
	})
	return e, err
}

// SetScope implements incidents.Store.
func (s *Store) SetScope(ctx context.Context, id int64, sc incidents.Scope, cost float64, suggested incidents.Risk, c incidents.Change) error {
	if strings.TrimSpace(c.Reason) == "" {
		return fmt.Errorf("%w: a scope change needs a reason", incidents.ErrInvalid)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		inc, err := incidentTx(ctx, tx, id)
		if err != nil {
			return err
		}
		old, err := jsonString(inc.Scope)
		if err != nil {
			return err
		}
		now, err := jsonString(sc)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE incidents SET scope = ?, cost_exposure = ?, suggested_risk = ?, updated_at = ? WHERE id = ?`,
			now, cost, string(suggested), nanos(c.At), id); err != nil {
			return err
		}
		msg := fmt.Sprintf("Scope: assets %v, %d data subjects, %d records, categories %v, encrypted %t, keys exposed %t; suggested risk %s; reason: %s",
			sc.Assets, sc.DataSubjects, sc.Records, sc.DataCategories, sc.Encrypted, sc.KeysExposed, suggested, c.Reason)
		return s.addTimeline(ctx, tx, id, c.At, c.Actor, "scope", msg, map[string]string{
			"old": old, "new": now, "cost_exposure": strconv.FormatFloat(cost, 'f', 2, 64), "reason": c.Reason,
		})
	})
}

// SetFacts implements incidents.Store.
func (s *Store) SetFacts(ctx context.Context, id int64, p incidents.FactsPatch, c incidents.Change) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		inc, err := incidentTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if inc.Facts.Effects == nil {
			inc.Facts.Effects = []string{}
		}
		f := p.Apply(inc.Facts)
		if f.Effects == nil {
			f.Effects = []string{}
		}
		if f.Equal(inc.Facts) {
			return fmt.Errorf("%w: the facts already say this; nothing was written", incidents.ErrUnchanged)
		}
		if err := f.Check(); err != nil {
			return err
		}
		effects, err := jsonString(f.Effects)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE incidents SET nature = ?, consequences = ?, measures = ?, effects = ?, effects_other = ?, caused_by = ?, delay_reason = ?, updated_at = ? WHERE id = ?`,
			f.Nature, f.Consequences, f.Measures, effects, f.EffectsOther, f.CausedBy, f.DelayReason, nanos(c.At), id); err != nil {
			return err
		}
		old, _ := jsonString(inc.Facts)
		now, _ := jsonString(f)
		return s.addTimeline(ctx, tx, id, c.At, c.Actor, "facts", "Notice facts updated; reason: "+c.Reason,
			map[string]string{"old": old, "new": now, "reason": c.Reason})
	})
}

// Clocks a person may set with SetClock.
const (
	ClockAware    = incidents.ClockAware
	ClockOccurred = incidents.ClockOccurred
)

// SetClock implements incidents.Store.
func (s *Store) SetClock(ctx context.Context, id int64, clock string, t time.Time, c incidents.Change) error {
	if clock != ClockAware && clock != ClockOccurred {
		return fmt.Errorf("%w: clock %q; use aware_at or occurred_at", incidents.ErrInvalid, clock)
	}
	if strings.TrimSpace(c.Reason) == "" {
		return fmt.Errorf("%w: changing %s needs a reason: the deadlines run from it", incidents.ErrInvalid, clock)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		inc, err := incidentTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := incidents.CheckClock(inc, clock, t, c.At); err != nil {
			return err
		}
		if clock == ClockAware {
			first, err := collect(ctx, tx, scanObligation, `SELECT `+obligationCols+` FROM obligations
				WHERE incident_id = ? AND state = 'sent' AND delivered_at IS NOT NULL ORDER BY delivered_at, id LIMIT 1`, id)
			if err != nil {
				return err
			}
			if len(first) > 0 {
				if err := incidents.CheckAwareAfterDelivery(t, &first[0]); err != nil {
					return err
				}
			}
		}
		old := ""
		switch clock {
		case ClockAware:
			old = inc.AwareAt.Format(time.RFC3339Nano)
		case ClockOccurred:
			if inc.OccurredAt != nil {
				old = inc.OccurredAt.Format(time.RFC3339Nano)
			}
		}
		// clock is one of two constants, never user text.
		if _, err := tx.ExecContext(ctx, `UPDATE incidents SET `+clock+` = ?, updated_at = ? WHERE id = ?`, nanos(t), nanos(c.At), id); err != nil {
			return err
		}
		msg := fmt.Sprintf("%s set to %s (was %s); reason: %s", clock, t.UTC().Format(time.RFC3339), old, c.Reason)
		return s.addTimeline(ctx, tx, id, c.At, c.Actor, "clock", msg, map[string]string{
			"clock": clock, "old": old, "new": t.UTC().Format(time.RFC3339Nano), "reason": c.Reason,
		})
	})
}

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
			msg := fmt.Sprintf("Retention: %d evidence lines and %d timeline entries from before %s removed; their hashes remain in the chain",
				lines, entries, cutoff.UTC().Format(time.RFC3339))
			if err := s.addTimeline(ctx, tx, id, c.At, c.Actor, "purge", msg, map[string]string{
				"evidence_lines": strconv.FormatInt(lines, 10), "timeline_entries": strconv.FormatInt(entries, 10),
				"cutoff": cutoff.UTC().Format(time.RFC3339Nano),
			}); err != nil {
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
		where = append(where, "status IN (?"+strings.Repeat(", ?", len(opts.Status)-1)+")")
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
	q := `SELECT ` + incidentCols + ` FROM incidents`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, limit)
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

// AllTimeline returns every timeline entry in chain order, for export.
func (s *Store) AllTimeline(ctx context.Context) ([]incidents.TimelineEntry, error) {
	return collect(ctx, s.r, timelineEntry, `SELECT `+timelineCols+` FROM timeline ORDER BY id`)
}

func timelineEntry(rows *sql.Rows) (incidents.TimelineEntry, error) {
	e, _, err := scanTimeline(rows)
	return e, err
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

// Evidence implements incidents.Store.
func (s *Store) Evidence(ctx context.Context, id int64) ([]incidents.EvidenceLine, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, at, line, purged_at FROM evidence WHERE incident_id = ? ORDER BY id`, id)
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
		return s.addTimeline(ctx, tx, incident, c.At, c.Actor, "obligation",
			fmt.Sprintf("Obligation %s → %s: %s; reason: %s", policy, recipient, state, c.Reason),
			map[string]string{"policy": policy, "recipient": recipient, "state": string(state), "reason": c.Reason})
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
