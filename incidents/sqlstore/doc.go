// Package sqlstore implements incidents.Store on SQLite (modernc.org/sqlite,
// pure Go) in WAL mode with synchronous=FULL: one writer connection whose
// transactions take the write lock at BEGIN, and a separate read-only pool
// for the API. The schema is created by numbered SQL migrations embedded in
// the binary and tracked in PRAGMA user_version.
//
// Times are stored as Unix nanoseconds in UTC.
package sqlstore
