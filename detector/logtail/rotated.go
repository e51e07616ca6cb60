package logtail

import (
	"context"
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// rotatedPrefix marks the key under which the position of a path's rotated
// file is reported. Followed paths are absolute, so no key is a path.
const rotatedPrefix = "rotated:"

// RotatedKey is the key (Position.Path) under which the position in the
// file rotated away from path is reported while it is still read, and
// stored: one per path, next to path's own.
func RotatedKey(path string) string { return rotatedPrefix + path }

// RotatedOf returns the path whose rotated file key names, and whether key
// is such a key.
func RotatedOf(key string) (string, bool) { return strings.CutPrefix(key, rotatedPrefix) }

// detach takes fl's open file away from it, as a rotated file reported
// under RotatedKey(fl.path); fl is left with no file.
func (fl *file) detach() *file {
	old := &file{path: RotatedKey(fl.path), f: fl.f, dev: fl.dev, ino: fl.ino, pos: fl.pos, lineEnd: fl.lineEnd,
		fpLen: fl.fpLen, fp: fl.fp, pending: fl.pending, discarding: fl.discarding, retired: true}
	fl.f, fl.pending, fl.discarding = nil, nil, false
	return old
}

// retire makes nf the rotated file of fl, read until it has been idle for
// the grace. A rotated file fl already had is read to its end and let go
// first (one rotated file per path: a path rotated twice within the grace
// keeps the newer). nf is read to its end now, before fl goes on.
func (t *Tailer) retire(ctx context.Context, fl, nf *file, h Handler, buf []byte) error {
	if fl.old != nil {
		if err := t.drain(ctx, fl.old, h, buf); err != nil {
			nf.f.Close()
			return err
		}
		t.release(fl)
	}
	nf.retired = true
	fl.old, fl.grewAt = nf, t.opts.Now()
	return t.drain(ctx, nf, h, buf)
}

// drainOld reads what fl's rotated file gained, and notes when it grew.
func (t *Tailer) drainOld(ctx context.Context, fl *file, h Handler, buf []byte) error {
	old := fl.old
	if old == nil {
		return nil
	}
	before := old.pos
	if err := t.drain(ctx, old, h, buf); err != nil {
		return err
	}
	if old.pos != before {
		fl.grewAt = t.opts.Now()
	}
	return nil
}

// release lets fl's rotated file go. Its last position stays reported
// until then; a partial last line in it is dropped (it never got its
// newline).
func (t *Tailer) release(fl *file) {
	old := fl.old
	t.opts.Logger.Info("rotated log file let go: idle for the grace", "path", fl.path, "offset", old.lineEnd,
		"grace", t.opts.RotateGrace, "unterminated_bytes", old.pos-old.mark())
	old.f.Close()
	fl.old = nil
	t.event(Released)
}

// resumeRotated reopens, at start, the rotated file a stored position under
// RotatedKey(fl.path) names (found among fl's rotated siblings by device
// and inode, with the same first bytes), so that it is read from there for
// the grace. A file that is gone or changed is skipped: its position was
// that of a file already let go, or the rest of it is lost.
func (t *Tailer) resumeRotated(fl *file, pos Position) {
	if st, err := os.Stat(fl.path); err == nil {
		if dev, ino := ids(st); dev == pos.Dev && ino == pos.Ino {
			return // not rotated: the path's own position covers it
		}
	}
	path := findRotated(fl.path, pos)
	if path == "" {
		return
	}
	nf := &file{path: RotatedKey(fl.path), retired: true}
	if !t.openAt(nf, path, pos) {
		return
	}
	t.opts.Logger.Info("reading a rotated log file for the grace, from its stored position", "path", fl.path, "old", path, "offset", pos.Offset)
	fl.old, fl.grewAt = nf, t.opts.Now()
}

// openCopy looks, when fl was found truncated, for the copy a copytruncate
// made of it: a sibling (path.N, path-SUFFIX; not compressed) that is
// another file, is at least as long as the last position, and begins with
// the bytes fl's fingerprint was taken from. It returns the copy opened at
// the last position, or nil. Without a fingerprint (the file was empty)
// no copy can be recognised.
func (t *Tailer) openCopy(fl *file) *file {
	if fl.fpLen == 0 {
		return nil
	}
	var candidates []string
	for _, pattern := range []string{fl.path + ".*", fl.path + "-*"} {
		m, _ := filepath.Glob(pattern)
		candidates = append(candidates, m...)
	}
	var b [FingerprintBytes]byte
	for _, c := range candidates {
		if compressed(c) {
			continue
		}
		f, err := os.Open(c)
		if err != nil {
			continue
		}
		st, err := f.Stat()
		dev, ino := uint64(0), uint64(0)
		if err == nil {
			dev, ino = ids(st)
		}
		// Skipped: the file itself, the rotated file already read, and a
		// file a pattern of the source already follows (it is read whole).
		if err != nil || !st.Mode().IsRegular() || st.Size() < fl.mark() || dev == fl.dev && ino == fl.ino ||
			fl.old != nil && fl.old.dev == dev && fl.old.ino == ino || t.seen[[2]uint64{dev, ino}] {
			f.Close()
			continue
		}
		if n, _ := f.ReadAt(b[:fl.fpLen], 0); n != fl.fpLen || sha256.Sum256(b[:n]) != fl.fp {
			f.Close()
			continue
		}
		if _, err := f.Seek(fl.mark(), io.SeekStart); err != nil {
			f.Close()
			continue
		}
		cp := &file{path: RotatedKey(fl.path), f: f, dev: dev, ino: ino, fpLen: fl.fpLen, fp: fl.fp, retired: true}
		t.remember(cp)
		cp.reset(fl.mark())
		// From the last position: inside a cut line, the rest of it is
		// skipped in the copy too.
		cp.discarding = insideLine(f, fl.mark())
		return cp
	}
	return nil
}

// insideLine reports whether offset off of f lies inside a line (the byte
// before it is not a newline): a stored position there is past the cut
// part of an over-long line, whose rest is to be skipped.
func insideLine(f *os.File, off int64) bool {
	var prev [1]byte
	if off <= 0 {
		return false
	}
	_, err := f.ReadAt(prev[:], off-1)
	return err == nil && prev[0] != '\n'
}

// findRotated returns a sibling of path that is the file pos describes.
// Compressed siblings are skipped: a compressed file is a new file.
func findRotated(path string, pos Position) string {
	var candidates []string
	for _, pattern := range []string{path + ".*", path + "-*"} {
		m, _ := filepath.Glob(pattern)
		candidates = append(candidates, m...)
	}
	for _, c := range candidates {
		if compressed(c) {
			continue
		}
		st, err := os.Stat(c)
		if err != nil {
			continue
		}
		if dev, ino := ids(st); dev == pos.Dev && ino == pos.Ino {
			return c
		}
	}
	return ""
}
