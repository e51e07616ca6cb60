package logtail

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testClock is a time the test moves.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func waitEvent(t *testing.T, events <-chan Event, want Event) {
	t.Helper()
	select {
	case e := <-events:
		if e != want {
			t.Fatalf("event %d, want %d", e, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for event %d", want)
	}
}

// TestRotatedFileIsReadUntilIdleForTheGrace: after a rename rotation the
// writer appends 100 more lines to the renamed file before it reopens; all
// of them are read, before the new file's next lines, and reported under
// the rotated key. Once the renamed file has not grown for the grace (on
// the injected clock) it is let go, and what is written to it then is not
// read.
func TestRotatedFileIsReadUntilIdleForTheGrace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	appendTo(t, path, "")
	clk := &testClock{now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	events := make(chan Event, 10)
	// passed says a pass ended with the rotated file open: the pass that
	// noticed the rotation read the new file to its end then, and what is
	// written after it is read in the next pass, the rotated file first.
	passed := make(chan struct{}, 100)
	lines := follow(t, Options{Paths: []string{path}, RotateGrace: 5 * time.Second, Now: clk.Now,
		Events: func(e Event) { events <- e },
		OnDrained: func(_ context.Context, ps []Position) error {
			for _, p := range ps {
				if p.Path == RotatedKey(path) {
					select {
					case passed <- struct{}{}:
					default:
					}
				}
			}
			return nil
		}})
	w, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.WriteString("before\n"); err != nil {
		t.Fatal(err)
	}
	expect(t, lines, "before")
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	appendTo(t, path, "first in the new file\n")
	expect(t, lines, "first in the new file")
	waitEvent(t, events, Rotated)
	select {
	case <-passed:
	case <-time.After(10 * time.Second):
		t.Fatal("the pass that noticed the rotation did not end")
	}

	var want []string
	for i := range 100 {
		want = append(want, fmt.Sprintf("late %d", i))
		if _, err := w.WriteString(want[i] + "\n"); err != nil {
			t.Fatal(err)
		}
	}
	clk.Add(4 * time.Second) // within the grace
	appendTo(t, path, "second in the new file\n")
	g := expect(t, lines, append(want, "second in the new file")...)
	if end := int64(len("before\n") + len(strings.Join(want, "\n")) + 1); g[99].offset != end {
		t.Errorf("late line 99 at offset %d, want %d", g[99].offset, end)
	}
	if g[0].path != RotatedKey(path) || g[100].path != path {
		t.Errorf("late lines reported under %q, new file's under %q", g[0].path, g[100].path)
	}

	// Idle for the grace: the next pass lets the old file go.
	clk.Add(5 * time.Second)
	appendTo(t, path, "third in the new file\n")
	expect(t, lines, "third in the new file")
	waitEvent(t, events, Released)
	if _, err := w.WriteString("after the release\n"); err != nil {
		t.Fatal(err)
	}
	expectNothingMore(t, lines, path, "sentinel")
	select {
	case e := <-events:
		t.Errorf("unexpected event %d", e)
	default:
	}
}

// TestCopyTruncateReadsTheRestFromTheCopy: lines written just before a
// copytruncate, not yet read when the file is truncated (the handler is
// busy), are read from the copy, before the truncated file's new lines;
// three times, with the older copies shifted to .2, .3.
func TestCopyTruncateReadsTheRestFromTheCopy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	appendTo(t, path, "")
	gate := make(chan struct{})
	lines := make(chan got, 1000)
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	done := make(chan error, 1)
	tl := New(Options{Paths: []string{path}, PollInterval: time.Hour, OnReady: func() { close(ready) }})
	go func() {
		done <- tl.Run(ctx, func(_ context.Context, l Line) error {
			lines <- got{string(l.Text), l.Truncated, l.Pos.Offset, l.Pos.Path}
			if strings.HasPrefix(string(l.Text), "hold") {
				<-gate
			}
			return nil
		})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	<-ready
	for round := 1; round <= 3; round++ {
		hold := fmt.Sprintf("hold %d", round)
		appendTo(t, path, hold+"\n")
		expect(t, lines, hold) // the handler now holds the tailer
		unread := []string{fmt.Sprintf("unread %d.1", round), fmt.Sprintf("unread %d.2", round)}
		appendTo(t, path, strings.Join(unread, "\n")+"\n")
		for i := round - 1; i >= 1; i-- {
			if err := os.Rename(fmt.Sprintf("%s.%d", path, i), fmt.Sprintf("%s.%d", path, i+1)); err != nil {
				t.Fatal(err)
			}
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path+".1", data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(path, 0); err != nil {
			t.Fatal(err)
		}
		after := fmt.Sprintf("after truncation %d", round)
		appendTo(t, path, after+"\n")
		gate <- struct{}{}
		g := expect(t, lines, unread[0], unread[1], after)
		if g[0].path != RotatedKey(path) || g[2].path != path {
			t.Errorf("round %d: copy's lines under %q, the file's under %q", round, g[0].path, g[2].path)
		}
	}
	appendTo(t, path, "sentinel\n")
	expect(t, lines, "sentinel")
}

// TestCutLineIsNotReadAgainAfterRestart: a line cut at MaxLineBytes before
// its newline was written is handed out once; the position reported for
// it is past the bytes read, and a restart there skips the rest of the
// line.
func TestCutLineIsNotReadAgainAfterRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	appendTo(t, path, "")
	s := runSessionWith(t, Options{Paths: []string{path}, MaxLineBytes: 16})
	appendTo(t, path, "first\n"+strings.Repeat("x", 100))
	g := expect(t, s.lines, "first", strings.Repeat("x", 16))
	if !g[1].truncated || g[1].offset != 106 {
		t.Errorf("cut line: %+v, want truncated at offset 106", g[1])
	}
	pos := s.stop()
	if pos[path].Offset != 106 {
		t.Errorf("reported position %d, want 106", pos[path].Offset)
	}
	appendTo(t, path, "yyy\nnext\n")
	s = runSessionWith(t, Options{Paths: []string{path}, MaxLineBytes: 16, Resume: pos})
	defer s.stop()
	expect(t, s.lines, "next")
	expectNothingMore(t, s.lines, path, "sentinel")
}

// TestRotatedDrainResumesAfterRestart: stopped while a rotated file is
// still read, a restart reads it on from its stored position (the rotated
// key) and the new file from its own: nothing lost, nothing twice.
func TestRotatedDrainResumesAfterRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	appendTo(t, path, "")
	s := runSession(t, path, nil)
	appendTo(t, path, "before\n")
	expect(t, s.lines, "before")
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	appendTo(t, path, "new 1\n")
	expect(t, s.lines, "new 1")
	appendTo(t, path+".1", "late 1\n")
	appendTo(t, path, "new 2\n")
	expect(t, s.lines, "late 1", "new 2")
	pos := s.stop()
	if p, ok := pos[RotatedKey(path)]; !ok || p.Offset != int64(len("before\nlate 1\n")) {
		t.Fatalf("positions %+v: want the rotated file's under %q", pos, RotatedKey(path))
	}
	// Written while down.
	appendTo(t, path+".1", "late 2\n")
	appendTo(t, path, "new 3\n")
	s = runSession(t, path, pos)
	defer s.stop()
	expect(t, s.lines, "late 2", "new 3")
	expectNothingMore(t, s.lines, path, "sentinel")
}

// TestResumeWhenBothKeysNameTheRotatedFile: a commit can hold lines of the
// rotated file (under the rotated key) before the new file's position; the
// path's key then still names the old file at an earlier offset. The
// rotated key's offset wins: nothing is read twice.
func TestResumeWhenBothKeysNameTheRotatedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	appendTo(t, path, "")
	s := runSession(t, path, nil)
	appendTo(t, path, "l1\n")
	expect(t, s.lines, "l1")
	early := s.stop()[path]
	s = runSession(t, path, map[string]Position{path: early})
	appendTo(t, path, "l2\nl3\n")
	expect(t, s.lines, "l2", "l3")
	later := s.stop()[path]
	later.Path = RotatedKey(path)
	appendTo(t, path, "l4\n")
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	appendTo(t, path, "n1\n")
	s = runSession(t, path, map[string]Position{path: early, RotatedKey(path): later})
	defer s.stop()
	expect(t, s.lines, "l4", "n1")
	expectNothingMore(t, s.lines, path, "sentinel")
}

// TestResumeReadsTheCopyOfAFileTruncatedWhileDown: copytruncate while
// breachd is down: the lines after the stored position are read from the
// copy, then the truncated file from its start.
func TestResumeReadsTheCopyOfAFileTruncatedWhileDown(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	appendTo(t, path, "")
	s := runSession(t, path, nil)
	appendTo(t, path, "a1\n")
	expect(t, s.lines, "a1")
	pos := s.stop()
	appendTo(t, path, "a2\n")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+"-20261123", data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	appendTo(t, path, "b1\n")
	s = runSession(t, path, pos)
	defer s.stop()
	expect(t, s.lines, "a2", "b1")
	expectNothingMore(t, s.lines, path, "sentinel")
}
