package logtail

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Defaults for Options.
const (
	DefaultMaxLineBytes = 256 << 10
	DefaultPollInterval = time.Second
	// DefaultRotateGrace is how long a rotated file is kept open after it
	// last grew; MaxRotateGrace bounds Options.RotateGrace.
	DefaultRotateGrace = 5 * time.Second
	MaxRotateGrace     = 5 * time.Minute
	// FingerprintBytes is how much of a file's start identifies it.
	FingerprintBytes = 1024
	readChunk        = 64 << 10
)

// Position is how far a file has been read: the offset just past the last
// complete line handed out, and what identifies the file (device, inode and
// a hash of its first bytes, which catches inode reuse and a truncated file
// that grew back past the offset).
type Position struct {
	// Path is the followed path, or RotatedKey(path) for the file rotated
	// away from it (or the copy a copytruncate left) while it is read.
	Path     string
	Dev, Ino uint64
	Offset   int64
	// FPLen is how many leading bytes FP hashes (at most FingerprintBytes).
	FPLen int
	FP    [sha256.Size]byte
}

// Line is one line read from a file. Text excludes the newline and is valid
// only until the handler returns.
type Line struct {
	Text []byte
	// Pos is the file's position just past this line. For a line cut at
	// MaxLineBytes before its newline was read it is the offset just past
	// the bytes read of it: a restart there skips the rest of the line (a
	// position whose previous byte is not a newline lies inside a cut
	// line), so the line is handed out once.
	Pos Position
	// Truncated is set when the line was longer than MaxLineBytes; Text
	// holds its first MaxLineBytes bytes.
	Truncated bool
}

// Handler receives lines in file order. An error stops the Tailer.
type Handler func(ctx context.Context, l Line) error

// Options configures a Tailer.
type Options struct {
	// Paths are the files to follow. A path with glob metacharacters
	// (filepath.Match syntax) follows every regular file it matches, now
	// and later; compressed files and files already followed under another
	// name (a rotated file the glob also matches) are skipped.
	Paths []string
	// Resume holds stored positions by path: reading continues there.
	Resume map[string]Position
	// StartAtBeginning reads a file that exists at start and has no stored
	// position from its beginning; by default such a file is read from its
	// end.
	StartAtBeginning bool
	// MaxLineBytes caps a line; 0 means DefaultMaxLineBytes.
	MaxLineBytes int
	// PollInterval is the stat-poll period; 0 means DefaultPollInterval.
	PollInterval time.Duration
	// RotateGrace is how long a file renamed or deleted away from its
	// path is still read after it last grew (writers append to it until
	// they reopen); 0 means DefaultRotateGrace, and it is capped at
	// MaxRotateGrace.
	RotateGrace time.Duration
	// Now is the clock the grace is measured with; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
	// OnReady, if set, is called once the files are watched and opened:
	// from then on every appended line will be read.
	OnReady func()
	// OnDrained, if set, is called whenever a file has been read to its
	// end, with the positions of every open file. An error stops the
	// Tailer.
	OnDrained func(ctx context.Context, positions []Position) error
	// Events, if set, receives rotations and truncations as they are
	// noticed, for metrics.
	Events func(Event)
	// OnLag, if set, receives at every poll the bytes written to the
	// followed files and not yet read past (summed over the files).
	OnLag func(bytes int64)
}

// Event is something that happened to a followed file.
type Event int

// Events reported through Options.Events.
const (
	// Rotated: the path now names another file (rename or delete and
	// recreate); the old one was read to its end first, and is read on
	// until it has been idle for RotateGrace.
	Rotated Event = iota
	// Truncated: the file shrank below the read offset or its first bytes
	// changed; reading restarted at 0.
	Truncated
	// Released: a rotated file was let go after RotateGrace without
	// growing.
	Released
)

// Tailer follows a set of files.
type Tailer struct {
	opts  Options
	files map[string]*file
	paths []string // followed paths, in the order they were added
	globs []string // the patterns among opts.Paths
	// seen holds the files (device, inode) followed so far, so a pattern
	// that also matches rotated names does not follow a file again under
	// its new name. Entries of files that no longer exist are pruned.
	seen      map[[2]uint64]bool
	positions []Position
}

type file struct {
	path       string
	f          *os.File
	dev, ino   uint64
	pos        int64 // offset of the next byte to read
	lineEnd    int64 // offset just past the last complete line
	fpLen      int
	fp         [sha256.Size]byte
	pending    []byte
	discarding bool
	glob       bool // found by a pattern: dropped when gone
	retired    bool // a rotated file or copy, read for the grace only
	// old is the file that was at path before the last rotation (or the
	// copy a copytruncate left), still read until it has not grown for
	// RotateGrace; its positions are reported under RotatedKey(path).
	old *file
	// grewAt is when old last grew (or was retired).
	grewAt time.Time
}

// New returns a Tailer. It opens nothing until Run.
func New(opts Options) *Tailer {
	if opts.MaxLineBytes <= 0 {
		opts.MaxLineBytes = DefaultMaxLineBytes
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = DefaultPollInterval
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.RotateGrace <= 0 {
		opts.RotateGrace = DefaultRotateGrace
	}
	opts.RotateGrace = min(opts.RotateGrace, MaxRotateGrace)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Tailer{opts: opts, files: make(map[string]*file), seen: make(map[[2]uint64]bool)}
}

// Run follows the files until ctx is done or a callback fails. A file with
// a stored position resumes there (see Options.Resume); other files that
// exist when Run starts are read from their end unless StartAtBeginning is
// set; files that appear later, and files that replace them after rotation,
// are read from their start.
func (t *Tailer) Run(ctx context.Context, h Handler) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("fsnotify: %w", err)
	}
	defer w.Close()
	defer t.closeAll()

	// Watch first, then open: a file created in between is not missed.
	watched := map[string]bool{}
	t.watchDirs(w, watched)
	buf := make([]byte, readChunk)
	for _, p := range t.opts.Paths {
		if isGlob(p) {
			t.globs = append(t.globs, p)
			continue
		}
		t.add(p, true)
	}
	t.expand(true)
	// Lines appended between the open above and the first event are read
	// by this first sync, which also reports the starting positions.
	if err := t.syncAll(ctx, h, buf); err != nil {
		return err
	}
	if t.opts.OnReady != nil {
		t.opts.OnReady()
	}

	tick := time.NewTicker(t.opts.PollInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if ev.Op == fsnotify.Chmod {
				continue
			}
			fl, ok := t.files[ev.Name]
			if !ok && ev.Has(fsnotify.Create) && t.matchesGlob(ev.Name) {
				fl, ok = t.addMatch(ev.Name, false), true
			}
			if ok && fl != nil {
				if err := t.sync(ctx, fl, h, buf); err != nil {
					return err
				}
			}
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			// On overflow events were lost: re-check everything.
			t.opts.Logger.Warn("file watch error; re-reading all files", "err", err)
			if err := t.syncAll(ctx, h, buf); err != nil {
				return err
			}
		case <-tick.C:
			t.watchDirs(w, watched)
			t.expand(false)
			if err := t.syncAll(ctx, h, buf); err != nil {
				return err
			}
			t.reportLag()
		}
	}
}

// watchDirs watches the folder of every path and pattern, and the folder
// of a symlink's target (writes to the target are not events in the link's
// folder). A folder whose name is itself a pattern is left to the poll.
func (t *Tailer) watchDirs(w *fsnotify.Watcher, watched map[string]bool) {
	dirs := make([]string, 0, len(t.opts.Paths)+len(t.paths))
	for _, p := range t.opts.Paths {
		dirs = append(dirs, filepath.Dir(p))
	}
	for _, p := range t.paths {
		if target, err := filepath.EvalSymlinks(p); err == nil && target != p {
			dirs = append(dirs, filepath.Dir(target))
		}
	}
	for _, dir := range dirs {
		if watched[dir] || isGlob(dir) {
			continue
		}
		if err := w.Add(dir); err != nil {
			continue // the directory may appear later; the poll covers it meanwhile
		}
		watched[dir] = true
	}
}

// reportLag sums, over the open files, the bytes past the last complete
// line read.
func (t *Tailer) reportLag() {
	if t.opts.OnLag == nil {
		return
	}
	var lag int64
	for _, fl := range t.files {
		for _, f := range []*file{fl, fl.old} {
			if f == nil || f.f == nil {
				continue
			}
			if st, err := f.f.Stat(); err == nil && st.Size() > f.mark() {
				lag += st.Size() - f.mark()
			}
		}
	}
	t.opts.OnLag(lag)
}

// remember records fl's file as followed, when patterns need to know.
func (t *Tailer) remember(fl *file) {
	if len(t.globs) > 0 {
		t.seen[[2]uint64{fl.dev, fl.ino}] = true
	}
}

func isGlob(p string) bool { return strings.ContainsAny(p, "*?[") }

// add starts following path. At start a file without a stored position is
// read from its end unless StartAtBeginning; a file found later is read
// from its start.
func (t *Tailer) add(path string, atStart bool) *file {
	fl := &file{path: path}
	t.files[path] = fl
	t.paths = append(t.paths, path)
	if pos, ok := t.opts.Resume[path]; ok {
		rot, hasRot := t.opts.Resume[RotatedKey(path)]
		if hasRot && rot.Dev == pos.Dev && rot.Ino == pos.Ino {
			// The rotation was noticed and lines of the old file were
			// committed under the rotated key, but not yet the new
			// file's position: the rotated key is the later one.
			pos, hasRot = rot, false
			pos.Path = path
		}
		if hasRot {
			t.resumeRotated(fl, rot)
		}
		t.resume(fl, pos)
		return fl
	}
	if err := t.open(fl, atStart && !t.opts.StartAtBeginning); err != nil && !os.IsNotExist(err) {
		t.opts.Logger.Warn("cannot open log file; will retry", "path", path, "err", err)
	}
	return fl
}

// expand follows the files that the patterns match and that are not yet
// followed, and stops following matched files that are gone and read to
// their end.
func (t *Tailer) expand(atStart bool) {
	if len(t.globs) == 0 {
		return
	}
	exists := map[[2]uint64]bool{}
	for _, g := range t.globs {
		matches, _ := filepath.Glob(g)
		for _, m := range matches {
			if st, err := os.Stat(m); err == nil {
				dev, ino := ids(st)
				exists[[2]uint64{dev, ino}] = true
			}
			if _, ok := t.files[m]; !ok {
				t.addMatch(m, atStart)
			}
		}
	}
	for _, fl := range t.files {
		if fl.f != nil {
			exists[[2]uint64{fl.dev, fl.ino}] = true
		}
	}
	for id := range t.seen {
		if !exists[id] {
			delete(t.seen, id)
		}
	}
	kept := t.paths[:0]
	for _, p := range t.paths {
		fl := t.files[p]
		if fl.glob && fl.old == nil && fl.gone() {
			if fl.f != nil {
				fl.f.Close()
			}
			delete(t.files, p)
			continue
		}
		kept = append(kept, p)
	}
	clear(t.paths[len(kept):])
	t.paths = kept
}

func (t *Tailer) matchesGlob(path string) bool {
	for _, g := range t.globs {
		if ok, _ := filepath.Match(g, path); ok {
			return true
		}
	}
	return false
}

// addMatch follows a file a pattern matched, unless it is compressed, not a
// regular file, or a file already followed under another name. It returns
// nil when the file is skipped.
func (t *Tailer) addMatch(path string, atStart bool) *file {
	if compressed(path) {
		return nil
	}
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return nil
	}
	if dev, ino := ids(st); t.seen[[2]uint64{dev, ino}] {
		return nil
	}
	fl := t.add(path, atStart)
	fl.glob = true
	return fl
}

// gone reports whether the path no longer names the open file (or any
// file) and the open file has been read to its end.
func (fl *file) gone() bool {
	st, err := os.Stat(fl.path)
	if err == nil && fl.f != nil {
		if dev, ino := ids(st); dev == fl.dev && ino == fl.ino {
			return false
		}
	}
	if err == nil {
		return false // another file at the path: followed as a rotation
	}
	if fl.f == nil {
		return true
	}
	cur, err := fl.f.Stat()
	return err != nil || cur.Size() <= fl.pos
}

func compressed(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".gz", ".bz2", ".xz", ".zst", ".lz4", ".zip":
		return true
	}
	return false
}

func (t *Tailer) syncAll(ctx context.Context, h Handler, buf []byte) error {
	for _, p := range t.paths {
		if err := t.sync(ctx, t.files[p], h, buf); err != nil {
			return err
		}
	}
	return nil
}

// sync reads what is new in fl, following rotation and truncation, then
// reports positions.
func (t *Tailer) sync(ctx context.Context, fl *file, h Handler, buf []byte) error {
	if err := t.follow(ctx, fl, h, buf); err != nil {
		return err
	}
	if fl.old != nil && t.opts.Now().Sub(fl.grewAt) >= t.opts.RotateGrace {
		t.release(fl)
	}
	if t.opts.OnDrained == nil {
		return nil
	}
	t.positions = t.positions[:0]
	for _, p := range t.paths {
		f := t.files[p]
		if f.old != nil {
			t.positions = append(t.positions, f.old.position(f.old.mark()))
		}
		switch {
		case f.f != nil:
			t.positions = append(t.positions, f.position(f.mark()))
		case !f.glob:
			// A followed path with no file yet: its empty position says
			// so, and a file found there at the next start appeared while
			// breachd was down (or before it read the first line), so it
			// is read from its start, not its end.
			t.positions = append(t.positions, Position{Path: p})
		}
	}
	return t.opts.OnDrained(ctx, t.positions)
}

func (t *Tailer) follow(ctx context.Context, fl *file, h Handler, buf []byte) error {
	// The rotated file first: what it holds now comes before what the
	// new file holds.
	if err := t.drainOld(ctx, fl, h, buf); err != nil {
		return err
	}
	st, statErr := os.Stat(fl.path)
	if fl.f == nil {
		if statErr != nil || t.open(fl, false) != nil {
			return nil
		}
		return t.drain(ctx, fl, h, buf)
	}
	if statErr != nil {
		// Gone (renamed away or deleted): keep reading the old descriptor,
		// a writer may still append to it until the new file appears.
		return t.drain(ctx, fl, h, buf)
	}
	if dev, ino := ids(st); dev != fl.dev || ino != fl.ino {
		// Rotated: read the old file to its end, keep reading it for the
		// grace (the writer may not have reopened yet), start the new one.
		if err := t.drain(ctx, fl, h, buf); err != nil {
			return err
		}
		t.opts.Logger.Info("log file rotated; the old file is still read until it has been idle for the grace", "path", fl.path, "grace", t.opts.RotateGrace)
		t.event(Rotated)
		if err := t.retire(ctx, fl, fl.detach(), h, buf); err != nil {
			return err
		}
		if t.open(fl, false) != nil {
			return nil
		}
		return t.drain(ctx, fl, h, buf)
	}
	// Same file. Check for truncation before reading: a truncated file
	// that grew back past the offset must not be read from its middle.
	if st.Size() < fl.pos || !fl.checkStart() {
		if ok, err := t.truncated(ctx, fl, st.Size(), h, buf); !ok {
			return err
		}
	}
	return t.drain(ctx, fl, h, buf)
}

// truncated restarts fl at 0 after a truncation. The lines between the
// last position and the truncation are read first from the copy a
// copytruncate left next to the file, when there is one (see openCopy).
func (t *Tailer) truncated(ctx context.Context, fl *file, size int64, h Handler, buf []byte) (bool, error) {
	t.opts.Logger.Info("log file truncated; reading from the start", "path", fl.path, "size", size, "offset", fl.pos)
	t.event(Truncated)
	if !fl.retired {
		if cp := t.openCopy(fl); cp != nil {
			t.opts.Logger.Info("reading the rest of the truncated file from its copy", "path", fl.path, "copy", cp.f.Name(), "offset", cp.pos)
			if err := t.retire(ctx, fl, cp, h, buf); err != nil {
				return false, err
			}
		}
	}
	if _, err := fl.f.Seek(0, io.SeekStart); err != nil {
		return false, nil
	}
	fl.reset(0)
	fl.fpLen = 0
	return true, nil
}

func (t *Tailer) event(e Event) {
	if t.opts.Events != nil {
		t.opts.Events(e)
	}
}

// open opens fl.path at its end or its start.
func (t *Tailer) open(fl *file, atEnd bool) error { return t.openFile(fl, fl.path, atEnd) }

// openFile opens path, which is fl.path or a rotated sibling of it, as fl.
func (t *Tailer) openFile(fl *file, path string, atEnd bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return fmt.Errorf("%s is not a regular file", path)
	}
	var pos int64
	if atEnd {
		if pos, err = f.Seek(0, io.SeekEnd); err != nil {
			f.Close()
			return err
		}
	}
	fl.f = f
	fl.dev, fl.ino = ids(st)
	t.remember(fl)
	fl.reset(pos)
	fl.fpLen = 0
	fl.checkStart()
	return nil
}

// resume reopens the file a stored position names. If the path still names
// that file, reading continues at the offset. If the file was rotated away
// while breachd was down, it is looked for among its rotated siblings
// (path.N, path-DATE) and drained from the offset first; the file now at
// the path is then read from its start.
func (t *Tailer) resume(fl *file, pos Position) {
	log := t.opts.Logger.With("path", fl.path)
	if pos.Dev == 0 && pos.Ino == 0 {
		// Followed before, with no file yet: every line in it is new.
		if err := t.open(fl, false); err == nil {
			log.Info("log file appeared while breachd was down; reading it from its start")
		}
		return
	}
	if st, err := os.Stat(fl.path); err == nil {
		if dev, ino := ids(st); dev == pos.Dev && ino == pos.Ino {
			if t.openAt(fl, fl.path, pos) {
				return
			}
			log.Warn("log file changed while breachd was down (truncated or replaced); reading it from the start")
			if fl.old == nil {
				was := &file{path: fl.path, dev: pos.Dev, ino: pos.Ino, pos: pos.Offset, lineEnd: pos.Offset, fpLen: pos.FPLen, fp: pos.FP}
				if cp := t.openCopy(was); cp != nil {
					log.Info("the file was copied before it was truncated; reading the rest of the copy first", "copy", cp.f.Name(), "offset", pos.Offset)
					fl.old, fl.grewAt = cp, t.opts.Now()
				}
			}
			if t.open(fl, false) != nil {
				log.Warn("cannot reopen log file")
			}
			return
		}
	}
	if old := findRotated(fl.path, pos); old != "" {
		if t.openAt(fl, old, pos) {
			log.Info("log file was rotated while breachd was down; reading the rest of the old file first", "old", old)
			return
		}
		// The same file, but its start changed: it was truncated before it
		// was rotated. Read all of it, then the new file.
		if t.openFile(fl, old, false) == nil {
			log.Warn("log file was truncated and rotated while breachd was down; reading the old file from its start", "old", old)
			return
		}
	}
	log.Warn("log file was replaced while breachd was down and the old file was not found; its unread lines are lost", "offset", pos.Offset)
	if err := t.open(fl, false); err != nil && !os.IsNotExist(err) {
		log.Warn("cannot open log file; will retry", "err", err)
	}
}

// openAt opens path as fl at pos if it still is the file pos describes.
func (t *Tailer) openAt(fl *file, path string, pos Position) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	st, err := f.Stat()
	if err != nil || st.Size() < pos.Offset || !st.Mode().IsRegular() {
		f.Close()
		return false
	}
	fl.f, fl.fpLen, fl.fp = f, pos.FPLen, pos.FP
	fl.dev, fl.ino = ids(st)
	t.remember(fl)
	if !fl.checkStart() {
		f.Close()
		fl.f = nil
		return false
	}
	if _, err := f.Seek(pos.Offset, io.SeekStart); err != nil {
		f.Close()
		fl.f = nil
		return false
	}
	fl.reset(pos.Offset)
	// A position inside a line is past the cut part of an over-long
	// line: the rest of that line is skipped.
	fl.discarding = insideLine(f, pos.Offset)
	return true
}

func ids(st os.FileInfo) (uint64, uint64) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(s.Dev), s.Ino
	}
	return 0, 0
}

func (t *Tailer) closeAll() {
	for _, fl := range t.files {
		if fl.f != nil {
			fl.f.Close()
		}
		if fl.old != nil {
			fl.old.f.Close()
		}
	}
}

func (fl *file) reset(pos int64) {
	fl.pos, fl.lineEnd, fl.pending, fl.discarding = pos, pos, fl.pending[:0], false
}

// mark is the offset a restart resumes at: just past the last complete
// line, or, while the rest of a cut line is skipped, just past what was
// read of it (the cut line was handed out).
func (fl *file) mark() int64 {
	if fl.discarding {
		return fl.pos
	}
	return fl.lineEnd
}

func (fl *file) position(offset int64) Position {
	return Position{Path: fl.path, Dev: fl.dev, Ino: fl.ino, Offset: offset, FPLen: fl.fpLen, FP: fl.fp}
}

// checkStart reports whether the file still begins with the bytes its
// fingerprint was taken from, and extends the fingerprint while the file is
// shorter than FingerprintBytes. The old prefix is verified before the
// fingerprint grows, so a file truncated and rewritten between two reads
// is never taken for the same file.
func (fl *file) checkStart() bool {
	var b [FingerprintBytes]byte
	n, _ := fl.f.ReadAt(b[:], 0)
	if n < fl.fpLen || fl.fpLen > 0 && sha256.Sum256(b[:fl.fpLen]) != fl.fp {
		return false
	}
	if n > fl.fpLen {
		fl.fpLen, fl.fp = n, sha256.Sum256(b[:n])
	}
	return true
}

// drain reads fl to EOF, handing every complete line to h.
func (t *Tailer) drain(ctx context.Context, fl *file, h Handler, buf []byte) error {
	for {
		n, err := fl.f.Read(buf)
		if n > 0 {
			// The file may have been truncated and rewritten since the
			// last read: then what was just read is the new content seen
			// from the old offset. Drop it and start again at 0.
			if !fl.checkStart() {
				if ok, err := t.truncated(ctx, fl, -1, h, buf); !ok {
					return err
				}
				continue
			}
			if err := t.split(ctx, fl, buf[:n], h); err != nil {
				return err
			}
		}
		if err == io.EOF || n == 0 {
			return nil
		}
		if err != nil {
			t.opts.Logger.Warn("read error", "path", fl.path, "err", err)
			return nil
		}
	}
}

// split cuts data into lines, holding an incomplete last line in
// fl.pending and cutting lines longer than MaxLineBytes.
func (t *Tailer) split(ctx context.Context, fl *file, data []byte, h Handler) error {
	limit := t.opts.MaxLineBytes
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			fl.pos += int64(len(data))
			if fl.discarding {
				return nil
			}
			room := limit - len(fl.pending)
			if len(data) <= room {
				fl.pending = append(fl.pending, data...)
				return nil
			}
			fl.pending = append(fl.pending, data[:room]...)
			fl.discarding = true
			err := h(ctx, Line{Text: fl.pending, Pos: fl.position(fl.pos), Truncated: true})
			fl.pending = fl.pending[:0]
			return err
		}
		line := data[:i]
		data = data[i+1:]
		fl.pos += int64(i + 1)
		if fl.discarding {
			// The end of a line already handed out truncated.
			fl.discarding = false
			fl.lineEnd = fl.pos
			continue
		}
		truncated := false
		if len(fl.pending) > 0 {
			room := limit - len(fl.pending)
			if len(line) > room {
				line, truncated = line[:room], true
			}
			fl.pending = append(fl.pending, line...)
			line = fl.pending
		} else if len(line) > limit {
			line, truncated = line[:limit], true
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		fl.lineEnd = fl.pos
		err := h(ctx, Line{Text: line, Pos: fl.position(fl.pos), Truncated: truncated})
		fl.pending = fl.pending[:0]
		if err != nil {
			return err
		}
	}
	return nil
}
