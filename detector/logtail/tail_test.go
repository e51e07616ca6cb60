package logtail

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type got struct {
	text      string
	truncated bool
	offset    int64
	path      string
}

// follow runs a Tailer on path and returns a channel of the lines it reads
// and a function that waits for it to be ready. The poll interval is long:
// these tests pass on fsnotify events alone unless they say otherwise.
func follow(t *testing.T, opts Options) <-chan got {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	lines := make(chan got, 1000)
	ready := make(chan struct{})
	opts.OnReady = func() { close(ready) }
	if opts.PollInterval == 0 {
		opts.PollInterval = time.Hour
	}
	done := make(chan error, 1)
	go func() {
		done <- New(opts).Run(ctx, func(_ context.Context, l Line) error {
			lines <- got{string(l.Text), l.Truncated, l.Pos.Offset, l.Pos.Path}
			return nil
		})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
		t.Fatal("tailer not ready")
	}
	return lines
}

func expect(t *testing.T, lines <-chan got, want ...string) []got {
	t.Helper()
	var out []got
	for _, w := range want {
		select {
		case g := <-lines:
			if g.text != w {
				t.Fatalf("read %q, want %q", g.text, w)
			}
			out = append(out, g)
		case <-time.After(10 * time.Second):
			t.Fatalf("timed out waiting for %q", w)
		}
	}
	return out
}

func expectNothingMore(t *testing.T, lines <-chan got, path string, sentinel string) {
	t.Helper()
	// Appending a sentinel and reading it next proves nothing else came.
	appendTo(t, path, sentinel+"\n")
	expect(t, lines, sentinel)
}

func appendTo(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

func TestExistingFileIsReadFromItsEnd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	appendTo(t, path, "old line\n")
	lines := follow(t, Options{Paths: []string{path}})
	appendTo(t, path, "new 1\nnew 2\n")
	g := expect(t, lines, "new 1", "new 2")
	if g[1].offset != int64(len("old line\nnew 1\nnew 2\n")) {
		t.Errorf("offset = %d", g[1].offset)
	}
}

func TestFileCreatedLaterIsReadFromItsStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	lines := follow(t, Options{Paths: []string{path}})
	appendTo(t, path, "first\nsecond\n")
	expect(t, lines, "first", "second")
}

func TestPartialLineIsHeldUntilItsNewline(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	lines := follow(t, Options{Paths: []string{path}})
	appendTo(t, path, "hel")
	appendTo(t, path, "lo wor")
	appendTo(t, path, "ld\r\nnext\n")
	expect(t, lines, "hello world", "next")
}

func TestLongLinesAreCutAndTheRestSkipped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	lines := follow(t, Options{Paths: []string{path}, MaxLineBytes: 16})
	// One long line in a single write, one spread over several writes, one
	// exactly at the limit.
	appendTo(t, path, strings.Repeat("a", 100)+"\n")
	appendTo(t, path, strings.Repeat("b", 10))
	appendTo(t, path, strings.Repeat("b", 10))
	appendTo(t, path, strings.Repeat("b", 10)+"\n"+strings.Repeat("c", 16)+"\nshort\n")
	g := expect(t, lines, strings.Repeat("a", 16), strings.Repeat("b", 16), strings.Repeat("c", 16), "short")
	if !g[0].truncated || !g[1].truncated || g[2].truncated || g[3].truncated {
		t.Errorf("truncated flags = %v", g)
	}
}

func TestTenMegabyteLineUsesBoundedMemory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	lines := follow(t, Options{Paths: []string{path}})
	appendTo(t, path, strings.Repeat("x", 10<<20)+"\nafter\n")
	g := expect(t, lines, strings.Repeat("x", DefaultMaxLineBytes), "after")
	if !g[0].truncated {
		t.Error("10 MB line not marked truncated")
	}
}

func TestBinaryGarbagePassesThrough(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	lines := follow(t, Options{Paths: []string{path}})
	garbage := "\x00\xff\xfe\x1b[31mred\x00"
	appendTo(t, path, garbage+"\nok\n")
	expect(t, lines, garbage, "ok")
}

func TestRenameRotationDrainsTheOldFileFirst(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.log")
	appendTo(t, path, "")
	lines := follow(t, Options{Paths: []string{path}})
	appendTo(t, path, "before\n")
	expect(t, lines, "before")
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	// The writer still holds the old file and writes to it once more.
	appendTo(t, path+".1", "late write to the old file\n")
	appendTo(t, path, "in the new file\n")
	expect(t, lines, "late write to the old file", "in the new file")
	expectNothingMore(t, lines, path, "sentinel")
}

func TestCopyTruncateStartsAgainAtZero(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	appendTo(t, path, "")
	lines := follow(t, Options{Paths: []string{path}})
	appendTo(t, path, "a fairly long line before truncation\n")
	expect(t, lines, "a fairly long line before truncation")
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	appendTo(t, path, "short\n")
	expect(t, lines, "short")
}

func TestDeleteAndRecreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	appendTo(t, path, "")
	lines := follow(t, Options{Paths: []string{path}})
	appendTo(t, path, "one\n")
	expect(t, lines, "one")
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	appendTo(t, path, "two\n")
	expect(t, lines, "two")
}

func TestPollFindsFilesInADirectoryCreatedLater(t *testing.T) {
	// No watch can be placed on a folder that does not exist yet: the stat
	// poll is what finds the file.
	dir := filepath.Join(t.TempDir(), "later")
	path := filepath.Join(dir, "a.log")
	lines := follow(t, Options{Paths: []string{path}, PollInterval: 20 * time.Millisecond})
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	appendTo(t, path, "found\n")
	expect(t, lines, "found")
}

func TestSplitOffsets(t *testing.T) {
	tl := New(Options{MaxLineBytes: 8})
	fl := &file{path: "x"}
	var out []got
	h := func(_ context.Context, l Line) error {
		out = append(out, got{string(l.Text), l.Truncated, l.Pos.Offset, l.Pos.Path})
		return nil
	}
	data := []byte("ab\ncdefghijkl\nm")
	for _, chunk := range bytes.SplitAfter(data, []byte("f")) {
		if err := tl.split(context.Background(), fl, chunk, h); err != nil {
			t.Fatal(err)
		}
	}
	want := []got{{"ab", false, 3, "x"}, {"cdefghij", true, 14, "x"}}
	if len(out) != 2 || out[0] != want[0] || out[1] != want[1] || string(fl.pending) != "m" {
		t.Errorf("lines = %+v pending %q, want %+v and pending \"m\"", out, fl.pending, want)
	}
}

// BenchmarkSplit measures cutting a read buffer of auth-log lines into lines
// (the tailer's per-byte work), with a no-op handler.
func BenchmarkSplit(b *testing.B) {
	var buf bytes.Buffer
	for buf.Len() < readChunk {
		buf.WriteString("Nov 23 10:00:00 web1 sshd[4242]: Failed password for invalid user admin from 203.0.113.7 port 40022 ssh2\n")
	}
	data := buf.Bytes()[:readChunk]
	tl := New(Options{})
	fl := &file{path: "x"}
	h := func(context.Context, Line) error { return nil }
	ctx := context.Background()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if err := tl.split(ctx, fl, data, h); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGlobFollowsNewFilesOnce: a pattern follows files that exist at start
// (from their end) and files created later (from their start); it skips
// compressed files, and a rotated file that the pattern also matches is not
// read again under its new name.
func TestGlobFollowsNewFilesOnce(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	appendTo(t, a, "old a\n")
	appendTo(t, filepath.Join(dir, "a.log.2.gz"), "compressed\n")
	lines := follow(t, Options{Paths: []string{filepath.Join(dir, "*.log*")}})

	appendTo(t, a, "a1\n")
	if g := expect(t, lines, "a1"); g[0].path != a {
		t.Errorf("a1 from %s", g[0].path)
	}
	appendTo(t, b, "b1\nb2\n")
	if g := expect(t, lines, "b1", "b2"); g[0].path != b {
		t.Errorf("b1 from %s", g[0].path)
	}
	// Rotate a.log to a.log.1, which the pattern matches too.
	if err := os.Rename(a, a+".1"); err != nil {
		t.Fatal(err)
	}
	appendTo(t, a+".1", "late a\n")
	appendTo(t, a, "new a\n")
	expect(t, lines, "late a", "new a")
	expectNothingMore(t, lines, b, "sentinel")
	// Files deleted and read to the end are no longer followed; a new
	// file with the same name is read from its start.
	if err := os.Remove(b); err != nil {
		t.Fatal(err)
	}
	appendTo(t, b, "b again\n")
	expect(t, lines, "b again")
}

// TestSymlinkedPath follows a symlink: writes to its target (in another
// folder) are read, and pointing the link at another file is a rotation.
func TestSymlinkedPath(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	if err := os.Mkdir(real, 0o700); err != nil {
		t.Fatal(err)
	}
	t1, t2, link := filepath.Join(real, "t1.log"), filepath.Join(real, "t2.log"), filepath.Join(dir, "app.log")
	appendTo(t, t1, "")
	if err := os.Symlink(t1, link); err != nil {
		t.Fatal(err)
	}
	lines := follow(t, Options{Paths: []string{link}, PollInterval: 20 * time.Millisecond})
	appendTo(t, t1, "one\n")
	expect(t, lines, "one")
	appendTo(t, t2, "two\n")
	// Written just before the switch, possibly not yet read: the old
	// target is finished before the new one is read.
	appendTo(t, t1, "late one\n")
	tmp := filepath.Join(dir, "app.log.tmp")
	if err := os.Symlink(t2, tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, link); err != nil { // ln -sfn, atomically
		t.Fatal(err)
	}
	expect(t, lines, "late one", "two")
}

// TestLagReported: at each poll the bytes not yet read past are reported;
// a partial last line is lag until its newline arrives.
func TestLagReported(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.log")
	appendTo(t, path, "")
	lags := make(chan int64, 100)
	lines := follow(t, Options{Paths: []string{path}, PollInterval: 10 * time.Millisecond, OnLag: func(n int64) {
		select {
		case lags <- n:
		default:
		}
	}})
	appendTo(t, path, "done\npartial")
	expect(t, lines, "done")
	deadline := time.After(10 * time.Second)
	for {
		select {
		case n := <-lags:
			if n == int64(len("partial")) {
				return
			}
		case <-deadline:
			t.Fatal("lag of the partial line never reported")
		}
	}
}
