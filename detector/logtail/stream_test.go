package logtail

import (
	"context"
	"io"
	"testing"
)

func TestReadStream(t *testing.T) {
	pr, pw := io.Pipe()
	var lines []got
	drains := 0
	done := make(chan error, 1)
	go func() {
		done <- ReadStream(context.Background(), pr, "stdin", 8, func(_ context.Context, l Line) error {
			lines = append(lines, got{string(l.Text), l.Truncated, l.Pos.Offset, l.Pos.Path})
			return nil
		}, func(context.Context) error { drains++; return nil })
	}()
	for _, w := range []string{"one\ntw", "o\r\n", "a very long line\n", "\x00\xff\n", "last"} {
		pw.Write([]byte(w))
	}
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	want := []got{{"one", false, 4, "stdin"}, {"two", false, 9, "stdin"}, {"a very l", true, 26, "stdin"}, {"\x00\xff", false, 29, "stdin"}, {"last", false, 33, "stdin"}}
	if len(lines) != len(want) {
		t.Fatalf("lines = %+v", lines)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d = %+v, want %+v", i, lines[i], want[i])
		}
	}
	if drains != 6 {
		t.Errorf("drained %d times, want once per read and once at EOF (6)", drains)
	}
}

func TestReadStreamStopsOnCancel(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	seen := make(chan string, 1)
	go func() {
		done <- ReadStream(ctx, pr, "stdin", 0, func(_ context.Context, l Line) error {
			seen <- string(l.Text)
			return nil
		}, nil)
	}()
	pw.Write([]byte("x\n"))
	if s := <-seen; s != "x" {
		t.Fatalf("read %q", s)
	}
	cancel() // the reader is blocked in Read: Run must return anyway
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
