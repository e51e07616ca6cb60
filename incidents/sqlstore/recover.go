package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/breachd/breachd/incidents"
)

// WALError is Open's answer when the database's write-ahead log is damaged:
// opening would let SQLite drop what follows the damage for good.
type WALError struct{ Report WALReport }

func (e *WALError) Error() string {
	return "the write-ahead log is damaged: " + e.Report.Path + ": " + e.Report.Problem
}

// RecoverReport says what Recover kept.
type RecoverReport struct {
	WAL WALReport
	// Backup is the folder holding the files as they were.
	Backup string
	// Incidents is how many incidents the database holds after recovery,
	// LastIncident the newest one's id, and TimelineSeq and RegisterSeq
	// the last entry of each chain.
	Incidents, LastIncident  int64
	TimelineSeq, RegisterSeq int64
	Verification             incidents.Verification
	Integrity                string
}

// Recover copies the database file and its -wal and -shm into backup (a
// folder that must not exist), then cuts the log after its last intact
// transaction (or removes it when its header is damaged) and opens the
// database so SQLite replays what is intact; it migrates it, verifies the
// hash chains and runs the integrity check. The originals are copied,
// synced, before anything changes.
func Recover(ctx context.Context, db, backup string) (RecoverReport, error) {
	rep := RecoverReport{Backup: backup}
	if _, err := os.Stat(db); err != nil {
		return rep, err
	}
	wal, err := CheckWAL(db)
	rep.WAL = wal
	if err != nil {
		return rep, err
	}
	if err := os.Mkdir(backup, 0o700); err != nil {
		return rep, fmt.Errorf("keep the originals: %w (name a folder that does not exist)", err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := copySynced(db+suffix, filepath.Join(backup, filepath.Base(db)+suffix)); err != nil {
			return rep, fmt.Errorf("keep the originals: %w", err)
		}
	}
	if err := syncDir(backup); err != nil {
		return rep, err
	}
	switch {
	case wal.Size == 0:
	case wal.PageSize == 0: // the header is gone: nothing in the log is usable
		if err := os.Remove(wal.Path); err != nil {
			return rep, err
		}
	default:
		if err := os.Truncate(wal.Path, wal.KeptEnd); err != nil {
			return rep, err
		}
	}
	// A wal-index that counts more frames than are left would be rebuilt
	// anyway; removing it makes the replay read the log itself.
	if err := os.Remove(db + "-shm"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return rep, err
	}
	s, err := Open(ctx, db)
	if err != nil {
		return rep, err
	}
	defer s.Close()
	if _, err := s.w.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return rep, fmt.Errorf("checkpoint: %w", err)
	}
	q := s.w.QueryRowContext(ctx, `SELECT count(*), coalesce(max(id), 0),
		(SELECT coalesce(max(seq), 0) FROM timeline), (SELECT coalesce(max(seq), 0) FROM register) FROM incidents`)
	if err := q.Scan(&rep.Incidents, &rep.LastIncident, &rep.TimelineSeq, &rep.RegisterSeq); err != nil {
		return rep, err
	}
	if rep.Verification, err = s.Verify(ctx); err != nil {
		return rep, err
	}
	if err := s.w.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&rep.Integrity); err != nil {
		return rep, err
	}
	return rep, nil
}

func copySynced(from, to string) error {
	src, err := os.Open(from)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// checkWALBeforeOpen refuses a database whose log is damaged.
func checkWALBeforeOpen(file string) error {
	rep, err := CheckWAL(file)
	if err != nil {
		return fmt.Errorf("read the write-ahead log of %s: %w", file, err)
	}
	if rep.Damaged {
		return &WALError{Report: rep}
	}
	return nil
}

// Preview is Recover on a copy in a temporary folder: what recovering db
// would keep, with db left as it is.
func Preview(ctx context.Context, db string) (RecoverReport, error) {
	tmp, err := os.MkdirTemp("", "breachd-store-check-")
	if err != nil {
		return RecoverReport{}, err
	}
	defer os.RemoveAll(tmp)
	cp := filepath.Join(tmp, filepath.Base(db))
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := copySynced(db+suffix, cp+suffix); err != nil {
			return RecoverReport{}, err
		}
	}
	rep, err := Recover(ctx, cp, filepath.Join(tmp, "originals"))
	rep.Backup = ""
	rep.WAL.Path = db + "-wal"
	return rep, err
}
