package logtail

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// session runs a Tailer until stop is called and returns the last positions
// it reported, as a restarted breachd would load them.
type session struct {
	t     *testing.T
	lines chan got
	stop  func() map[string]Position
}

func runSession(t *testing.T, path string, resume map[string]Position) *session {
	t.Helper()
	return runSessionWith(t, Options{Paths: []string{path}, Resume: resume})
}

// runSessionWith is runSession with more options; it sets OnReady and
// OnDrained, and a long poll unless PollInterval is set.
func runSessionWith(t *testing.T, opts Options) *session {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	last := map[string]Position{}
	s := &session{t: t, lines: make(chan got, 1000)}
	ready := make(chan struct{})
	done := make(chan error, 1)
	if opts.PollInterval == 0 {
		opts.PollInterval = time.Hour
	}
	opts.OnReady = func() { close(ready) }
	opts.OnDrained = func(_ context.Context, ps []Position) error {
		mu.Lock()
		for _, p := range ps {
			last[p.Path] = p
		}
		mu.Unlock()
		return nil
	}
	tl := New(opts)
	go func() {
		done <- tl.Run(ctx, func(_ context.Context, l Line) error {
			s.lines <- got{string(l.Text), l.Truncated, l.Pos.Offset, l.Pos.Path}
			return nil
		})
	}()
	<-ready
	s.stop = func() map[string]Position {
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		return last
	}
	return s
}

func TestResumeAtCommittedOffset(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	appendTo(t, path, "")
	s := runSession(t, path, nil)
	appendTo(t, path, "one\ntwo\npart")
	expect(t, s.lines, "one", "two")
	// The held partial line is completed, not lost or split.
	appendTo(t, path, "-ial\n")
	expect(t, s.lines, "part-ial")
	pos := s.stop()
	// Written while breachd was down.
	appendTo(t, path, "three\n")
	s = runSession(t, path, pos)
	defer s.stop()
	expect(t, s.lines, "three")
}

func TestResumeReadsFileRotatedWhileDown(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	appendTo(t, path, "")
	s := runSession(t, path, nil)
	appendTo(t, path, "before\n")
	expect(t, s.lines, "before")
	pos := s.stop()
	appendTo(t, path, "unread in the old file\n")
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	appendTo(t, path, "in the new file\n")
	s = runSession(t, path, pos)
	defer s.stop()
	expect(t, s.lines, "unread in the old file", "in the new file")
}

func TestResumeAfterTruncationWhileDown(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	appendTo(t, path, "")
	s := runSession(t, path, nil)
	appendTo(t, path, strings.Repeat("x", 100)+"\n")
	expect(t, s.lines, strings.Repeat("x", 100))
	pos := s.stop()
	// copytruncate while down, then the file grows back past the old
	// offset with other content: the fingerprint tells.
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	appendTo(t, path, strings.Repeat("y", 150)+"\n")
	s = runSession(t, path, pos)
	defer s.stop()
	expect(t, s.lines, strings.Repeat("y", 150))
}

func TestResumeWhenFileReplacedAndOldOneGone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	appendTo(t, path, "")
	s := runSession(t, path, nil)
	appendTo(t, path, "before\n")
	expect(t, s.lines, "before")
	pos := s.stop()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	appendTo(t, path, "new file line\n")
	s = runSession(t, path, pos)
	defer s.stop()
	expect(t, s.lines, "new file line")
}

func TestTruncatedAndRegrownWhileRunning(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	appendTo(t, path, "")
	s := runSession(t, path, nil)
	defer s.stop()
	appendTo(t, path, "first line of the old content\n")
	expect(t, s.lines, "first line of the old content")
	// Truncate and write more than before in one go, faster than a size
	// check could notice.
	f, err := os.OpenFile(path, os.O_TRUNC|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("new content that is longer than the old one\n")
	f.Close()
	expect(t, s.lines, "new content that is longer than the old one")
}

func TestResumeWhenTruncatedThenRotatedWhileDown(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	appendTo(t, path, "")
	s := runSession(t, path, nil)
	appendTo(t, path, "old content\n")
	expect(t, s.lines, "old content")
	pos := s.stop()
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	appendTo(t, path, "written after the truncation\n")
	if err := os.Rename(path, path+"-20261123"); err != nil {
		t.Fatal(err)
	}
	appendTo(t, path, "in the new file\n")
	s = runSession(t, path, pos)
	defer s.stop()
	expect(t, s.lines, "written after the truncation", "in the new file")
}

// TestFileThatAppearedBeforeTheFirstCommitIsReadFromItsStart: a followed
// path with no file at start has an empty position; a file written there
// before the next start (breachd killed before it read it) is read from
// its start, not skipped to its end as a file first seen at start is.
func TestFileThatAppearedBeforeTheFirstCommitIsReadFromItsStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	s := runSession(t, path, nil)
	pos := s.stop()
	if p, ok := pos[path]; !ok || p.Ino != 0 || p.Offset != 0 {
		t.Fatalf("position of the missing file = %+v, %v; want an empty one", p, ok)
	}
	appendTo(t, path, "written while breachd was down\n")
	s = runSession(t, path, pos)
	defer s.stop()
	expect(t, s.lines, "written while breachd was down")
}
