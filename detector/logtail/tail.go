package logtail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Defaults for Options.
const (
	DefaultMaxLineBytes = 256 << 10
	DefaultPollInterval = time.Second
	readChunk           = 64 << 10
)

// Line is one line read from a file. Text excludes the newline and is valid
// only until the handler returns.
type Line struct {
	Path string
	Text []byte
	// Offset is the file offset just past the line's newline.
	Offset int64
	// Truncated is set when the line was longer than MaxLineBytes; Text
	// holds its first MaxLineBytes bytes.
	Truncated bool
}

// Handler receives lines in file order. An error stops the Tailer.
type Handler func(ctx context.Context, l Line) error

// Options configures a Tailer.
type Options struct {
	// Paths are the files to follow.
	Paths []string
	// MaxLineBytes caps a line; 0 means DefaultMaxLineBytes.
	MaxLineBytes int
	// PollInterval is the stat-poll period; 0 means DefaultPollInterval.
	PollInterval time.Duration
	Logger       *slog.Logger
	// OnReady, if set, is called once the files are watched and opened:
	// from then on every appended line will be read.
	OnReady func()
}

// Tailer follows a set of files.
type Tailer struct {
	opts  Options
	files map[string]*file
}

type file struct {
	path       string
	f          *os.File
	dev, ino   uint64
	pos        int64 // offset of the next byte to read
	pending    []byte
	discarding bool
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
	return &Tailer{opts: opts, files: make(map[string]*file)}
}

// Run follows the files until ctx is done or h fails. Files that exist when
// Run starts are read from their end; files that appear later, and files
// that replace them after rotation, are read from their start.
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
		fl := &file{path: p}
		t.files[p] = fl
		if err := t.open(fl, true); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.opts.Logger.Warn("cannot open log file; will retry", "path", p, "err", err)
		}
	}
	// Lines appended between the open above and the first event are read
	// by this first sync.
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
			if fl, ok := t.files[ev.Name]; ok {
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
			if err := t.syncAll(ctx, h, buf); err != nil {
				return err
			}
		}
	}
}

func (t *Tailer) watchDirs(w *fsnotify.Watcher, watched map[string]bool) {
	for _, p := range t.opts.Paths {
		dir := filepath.Dir(p)
		if watched[dir] {
			continue
		}
		if err := w.Add(dir); err != nil {
			continue // the directory may appear later; the poll covers it meanwhile
		}
		watched[dir] = true
	}
}

func (t *Tailer) syncAll(ctx context.Context, h Handler, buf []byte) error {
	for _, p := range t.opts.Paths {
		if err := t.sync(ctx, t.files[p], h, buf); err != nil {
			return err
		}
	}
	return nil
}

// sync reads what is new in fl and follows rotation and truncation.
func (t *Tailer) sync(ctx context.Context, fl *file, h Handler, buf []byte) error {
	if fl.f != nil {
		if err := t.drain(ctx, fl, h, buf); err != nil {
			return err
		}
	}
	st, err := os.Stat(fl.path)
	if err != nil {
		// Gone (renamed away or deleted): keep the old descriptor, a
		// writer may still append to it until the new file appears.
		return nil
	}
	dev, ino := ids(st)
	switch {
	case fl.f == nil:
		if err := t.open(fl, false); err != nil {
			return nil
		}
	case dev != fl.dev || ino != fl.ino:
		t.opts.Logger.Info("log file rotated", "path", fl.path)
		fl.f.Close()
		fl.f = nil
		if err := t.open(fl, false); err != nil {
			return nil
		}
	case st.Size() < fl.pos:
		t.opts.Logger.Info("log file truncated; reading from the start", "path", fl.path, "size", st.Size(), "offset", fl.pos)
		if _, err := fl.f.Seek(0, io.SeekStart); err != nil {
			return nil
		}
		fl.pos, fl.pending, fl.discarding = 0, fl.pending[:0], false
	}
	return t.drain(ctx, fl, h, buf)
}

func (t *Tailer) open(fl *file, atEnd bool) error {
	f, err := os.Open(fl.path)
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
		return fmt.Errorf("%s is not a regular file", fl.path)
	}
	var pos int64
	if atEnd {
		if pos, err = f.Seek(0, io.SeekEnd); err != nil {
			f.Close()
			return err
		}
	}
	fl.f, fl.pos, fl.pending, fl.discarding = f, pos, fl.pending[:0], false
	fl.dev, fl.ino = ids(st)
	return nil
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
	}
}

// drain reads fl to EOF, handing every complete line to h.
func (t *Tailer) drain(ctx context.Context, fl *file, h Handler, buf []byte) error {
	for {
		n, err := fl.f.Read(buf)
		if n > 0 {
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
			err := h(ctx, Line{Path: fl.path, Text: fl.pending, Offset: fl.pos, Truncated: true})
			fl.pending = fl.pending[:0]
			return err
		}
		line := data[:i]
		data = data[i+1:]
		fl.pos += int64(i + 1)
		if fl.discarding {
			fl.discarding = false
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
		err := h(ctx, Line{Path: fl.path, Text: line, Offset: fl.pos, Truncated: truncated})
		fl.pending = fl.pending[:0]
		if err != nil {
			return err
		}
	}
	return nil
}
