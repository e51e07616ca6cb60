package journal

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Defaults for Options.
const (
	DefaultMaxEntryBytes = 1 << 20
	maxStderr            = 4096
	minBackoff           = time.Second
	maxBackoff           = 30 * time.Second
)

// Entry is one journal entry. Its byte slices are valid only until the
// handler returns.
type Entry struct {
	Message            []byte
	Host, Program, PID []byte
	// Time is the entry's realtime timestamp; zero if it had none.
	Time   time.Time
	Cursor string
}

// Options configures a Reader.
type Options struct {
	// Journalctl is the absolute path of journalctl.
	Journalctl string
	// Matches are passed to journalctl as they are; the config checked
	// them (FIELD=value or +).
	Matches []string
	// Files or Directory select journal files instead of the system
	// journal.
	Files     []string
	Directory string
	// Cursor resumes after this entry; empty means start as StartAtBeginning
	// says.
	Cursor string
	// StartAtBeginning reads the whole journal when there is no cursor;
	// otherwise only new entries are read.
	StartAtBeginning bool
	// MaxEntryBytes caps one JSON entry; larger entries are skipped and
	// counted. 0 means DefaultMaxEntryBytes.
	MaxEntryBytes int
	Logger        *slog.Logger
	// OnReady is called once journalctl has started the first time, or
	// the first attempt has failed (it is retried).
	OnReady func()
	// OnSkipped is called for each entry that was skipped (too large or
	// not JSON).
	OnSkipped func()
}

// Handler receives entries in journal order. An error stops the Reader.
type Handler func(ctx context.Context, e Entry) error

// Reader follows the journal.
type Reader struct {
	opts   Options
	cursor string
}

// New returns a Reader. It starts nothing.
func New(opts Options) *Reader {
	if opts.MaxEntryBytes <= 0 {
		opts.MaxEntryBytes = DefaultMaxEntryBytes
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Reader{opts: opts, cursor: opts.Cursor}
}

// Args returns journalctl's arguments for following the journal after
// cursor, or from its beginning when cursor is empty.
func (r *Reader) Args(cursor string) []string {
	args := []string{"--follow", "--output=json", "--no-pager", "--all", "--quiet"}
	if cursor != "" {
		args = append(args, "--after-cursor="+cursor)
	} else {
		args = append(args, "--lines=all")
	}
	return r.selection(args)
}

// selection appends the journal files and matches to args.
func (r *Reader) selection(args []string) []string {
	for _, f := range r.opts.Files {
		args = append(args, "--file="+f)
	}
	if r.opts.Directory != "" {
		args = append(args, "--directory="+r.opts.Directory)
	}
	// Matches come last, after "--", so none can be read as an option.
	if len(r.opts.Matches) > 0 {
		args = append(args, "--")
		args = append(args, r.opts.Matches...)
	}
	return args
}

// tail returns the cursor of the last entry that matches, or "" when there
// is none. Following after it is reading only new entries, with no gap
// between the start of journalctl and its seeking to the end.
func (r *Reader) tail(ctx context.Context) (string, error) {
	cmd := exec.CommandContext(ctx, r.opts.Journalctl, r.selection([]string{"--output=json", "--no-pager", "--all", "--quiet", "--lines=1"})...)
	cmd.Env = journalctlEnv
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	var w struct {
		Cursor string `json:"__CURSOR"`
	}
	if line := bytes.TrimSpace(out); len(line) > 0 {
		if err := json.Unmarshal(line, &w); err != nil {
			return "", fmt.Errorf("last entry: %w", err)
		}
	}
	return w.Cursor, nil
}

var journalctlEnv = []string{"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "SYSTEMD_COLORS=0"}

// Run follows the journal until ctx is done or a callback fails. drained is
// called whenever journalctl has no more output ready, so the caller can
// commit what it has.
func (r *Reader) Run(ctx context.Context, h Handler, drained func(context.Context) error) error {
	backoff := minBackoff
	ready := false
	markReady := func() {
		if !ready && r.opts.OnReady != nil {
			ready = true
			r.opts.OnReady()
		}
	}
	// Starting at the end: find the end first, then follow after it.
	atEnd := r.cursor == "" && !r.opts.StartAtBeginning
	for {
		var err error
		if atEnd {
			if r.cursor, err = r.tail(ctx); err == nil {
				atEnd = false
			}
		}
		started := false
		if err == nil {
			started, err = r.runOnce(ctx, h, drained, markReady)
		}
		if ctx.Err() != nil {
			return nil
		}
		var stop *handlerError
		if errors.As(err, &stop) {
			return stop.err
		}
		if started {
			backoff = minBackoff
		}
		r.opts.Logger.Warn("journalctl stopped; restarting", "err", err, "retry_in", backoff)
		// A journal that cannot be read yet must not hold the daemon's
		// readiness: it is retried.
		markReady()
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

type handlerError struct{ err error }

func (e *handlerError) Error() string { return e.err.Error() }

// runOnce runs journalctl until it exits; started reports whether it read
// anything.
func (r *Reader) runOnce(ctx context.Context, h Handler, drained func(context.Context) error, onStart func()) (started bool, err error) {
	cmd := exec.CommandContext(ctx, r.opts.Journalctl, r.Args(r.cursor)...)
	cmd.Env = journalctlEnv
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return false, err
	}
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		return false, fmt.Errorf("start %s: %w", r.opts.Journalctl, err)
	}
	onStart()
	readErr := r.read(ctx, bufio.NewReaderSize(stdout, 64<<10), h, drained, &started)
	waitErr := cmd.Wait()
	if readErr != nil {
		return started, readErr
	}
	msg := strings.TrimSpace(stderr.String())
	if waitErr != nil {
		return started, fmt.Errorf("%w: %s", waitErr, msg)
	}
	return started, fmt.Errorf("journalctl exited: %s", msg)
}

// wire is the part of an entry breachd reads.
type wire struct {
	Message  json.RawMessage `json:"MESSAGE"`
	Host     string          `json:"_HOSTNAME"`
	Ident    string          `json:"SYSLOG_IDENTIFIER"`
	Comm     string          `json:"_COMM"`
	PID      string          `json:"_PID"`
	Realtime string          `json:"__REALTIME_TIMESTAMP"`
	Cursor   string          `json:"__CURSOR"`
	SourceRT string          `json:"_SOURCE_REALTIME_TIMESTAMP"`
}

func (r *Reader) read(ctx context.Context, br *bufio.Reader, h Handler, drained func(context.Context) error, started *bool) error {
	var line []byte
	skipping := false
	for {
		chunk, err := br.ReadSlice('\n')
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			if !skipping {
				line = append(line, chunk...)
				if len(line) > r.opts.MaxEntryBytes {
					line, skipping = line[:0], true
					r.skipped("entry larger than the limit")
				}
			}
			continue
		case err != nil:
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if skipping {
			skipping = false
			continue
		}
		if len(line) > 0 {
			line = append(line, chunk...)
			chunk = line
		}
		if len(chunk) > r.opts.MaxEntryBytes {
			r.skipped("entry larger than the limit")
		} else if e, ok := r.decode(chunk); ok {
			*started = true
			if err := h(ctx, e); err != nil {
				return &handlerError{err}
			}
			r.cursor = e.Cursor
		}
		line = line[:0]
		if br.Buffered() == 0 && drained != nil {
			if err := drained(ctx); err != nil {
				return &handlerError{err}
			}
		}
	}
}

func (r *Reader) skipped(why string) {
	r.opts.Logger.Warn("journal entry skipped", "why", why)
	if r.opts.OnSkipped != nil {
		r.opts.OnSkipped()
	}
}

// decode reads one JSON entry. MESSAGE is a string, or an array of byte
// values when it is not valid UTF-8; an entry without one is skipped.
func (r *Reader) decode(b []byte) (Entry, bool) {
	var w wire
	if err := json.Unmarshal(b, &w); err != nil {
		r.skipped("not JSON: " + err.Error())
		return Entry{}, false
	}
	e := Entry{Host: []byte(w.Host), PID: []byte(w.PID), Cursor: w.Cursor}
	e.Program = []byte(w.Ident)
	if w.Ident == "" {
		e.Program = []byte(w.Comm)
	}
	msg := bytes.TrimSpace(w.Message)
	switch {
	case len(msg) == 0 || bytes.Equal(msg, []byte("null")):
		return Entry{}, false
	case msg[0] == '"':
		var s string
		if json.Unmarshal(msg, &s) != nil {
			return Entry{}, false
		}
		e.Message = []byte(s)
	case msg[0] == '[':
		var raw []byte
		var nums []int
		if json.Unmarshal(msg, &nums) != nil {
			return Entry{}, false
		}
		for _, n := range nums {
			raw = append(raw, byte(n))
		}
		e.Message = raw
	default:
		return Entry{}, false
	}
	// The time the program logged, when journald recorded it, else when
	// journald received it.
	for _, ts := range []string{w.SourceRT, w.Realtime} {
		if us, err := strconv.ParseInt(ts, 10, 64); err == nil && us > 0 {
			e.Time = time.UnixMicro(us).UTC()
			break
		}
	}
	return e, true
}

// limitedBuffer keeps the first maxStderr bytes written to it.
type limitedBuffer struct{ bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := maxStderr - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}
