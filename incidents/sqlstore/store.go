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
			_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // it returns that error: the pool drops the connection
			err = errors.Join(err, rerr)
		}
	}()
	return inTx(func() (*sql.Tx, error) { return conn.BeginTx(ctx, nil) }, fn)
}
