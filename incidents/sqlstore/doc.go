// Package sqlstore implements incidents.Store on SQLite (modernc.org/sqlite,
// pure Go) in WAL mode with synchronous=FULL: one writer connection whose
// transactions take the write lock at BEGIN, and a separate read-only pool
// for the API. The schema is created by numbered SQL migrations embedded in
// the binary and tracked in PRAGMA user_version, with Go steps where a
// migration needs one (linking an old timeline into the hash chain).
//
// Dedup, reopening and merging happen inside the writer's transaction; the
// timeline and the register are appended through their chain heads in the
// same transaction as the change they record, and triggers refuse to update
// or delete them; a timeline entry's content may be emptied only once it is
// older than the retention recorded in the database (migration 16).
// OpenReadOnly opens a copy for verifying and exporting.
//
// Open reads the write-ahead log by hand first (wal.go) and refuses one
// that is cut or damaged, which SQLite would silently shorten; Recover
// keeps its intact transactions after copying the files aside.
//
// Times are stored as Unix nanoseconds in UTC.
package sqlstore
