package syslognet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFramer(t *testing.T) {
	long := strings.Repeat("x", 30)
	tests := []struct {
		name, stream string
		want         []string
		truncated    []bool
		err          error
	}{
		{"newline", "<13>a\n<13>b\r\n", []string{"<13>a", "<13>b"}, []bool{false, false}, io.EOF},
		{"octet counted", "5 <13>a6 <13>bc", []string{"<13>a", "<13>bc"}, []bool{false, false}, io.EOF},
		{"mixed per frame", "5 <13>a<13>b\n6 <13>cd", []string{"<13>a", "<13>b", "<13>cd"}, []bool{false, false, false}, io.EOF},
		{"last line without newline", "<13>a\n<13>b", []string{"<13>a", "<13>b"}, []bool{false, false}, io.EOF},
		{"octet counted newline inside", "10 <13>a\nb\nc\n\n", []string{"<13>a\nb\nc", ""}, []bool{false, false}, io.EOF},
		{"long line cut", long + "\nok\n", []string{long[:16], "ok"}, []bool{true, false}, io.EOF},
		{"exactly the cap", long[:16] + "\n", []string{long[:16]}, []bool{false}, io.EOF},
		{"long count cut", "30 " + long + "5 <13>a", []string{long[:16], "<13>a"}, []bool{true, false}, io.EOF},
		{"bad count", "12x <13>a", nil, nil, ErrFrame},
		{"count too long", "1234567890 x", nil, nil, ErrFrame},
		{"short frame", "10 <13>a", nil, nil, io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewFramer(strings.NewReader(tt.stream), 16)
			var got []string
			var cut []bool
			for {
				m, tr, err := f.Next()
				if err != nil {
					if !errors.Is(err, tt.err) {
						t.Errorf("error = %v, want %v", err, tt.err)
					}
					break
				}
				got = append(got, string(m))
				cut = append(cut, tr)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) || fmt.Sprint(cut) != fmt.Sprint(tt.truncated) {
				t.Errorf("got %q %v, want %q %v", got, cut, tt.want, tt.truncated)
			}
		})
	}
}

func FuzzFramer(f *testing.F) {
	for _, s := range []string{"5 <13>a6 <13>bc", "<13>a\n<13>b\r\n", "11 <13>a\nb\nc\n\n", "99999 x", "1234567890 x", "\n\n\n", "0 \n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, stream []byte) {
		const max = 32
		fr := NewFramer(bytes.NewReader(stream), max)
		consumed := 0
		for range len(stream) + 1 {
			m, _, err := fr.Next()
			if err != nil {
				return
			}
			if len(m) > max {
				t.Fatalf("message of %d bytes over the cap %d", len(m), max)
			}
			consumed++
		}
		t.Fatalf("%d messages from %d bytes: the framer does not advance", consumed, len(stream))
	})
}

type received struct {
	mu   sync.Mutex
	msgs []Message
	ch   chan struct{}
}

func (r *received) handle(_ context.Context, m Message) error {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
	r.ch <- struct{}{}
	return nil
}

func serve(t *testing.T, opts Options) (*Server, *received) {
	t.Helper()
	s, err := Listen(opts)
	if err != nil {
		t.Fatal(err)
	}
	r := &received{ch: make(chan struct{}, 1000)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, r.handle, nil) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s, r
}

func (r *received) wait(t *testing.T, n int) []Message {
	t.Helper()
	for range n {
		select {
		case <-r.ch:
		case <-time.After(15 * time.Second):
			t.Fatalf("timed out waiting for %d messages", n)
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Message(nil), r.msgs...)
}

// TestRealLogger sends with util-linux's logger, the syslog client most
// admins test a receiver with, in both RFCs and both TCP framings.
func TestRealLogger(t *testing.T) {
	logger, err := exec.LookPath("logger")
	if err != nil {
		t.Skip("logger is not installed (Debian package bsdutils)")
	}
	s, r := serve(t, Options{UDP: "127.0.0.1:0", TCP: "127.0.0.1:0"})
	port := func(addr string) string { _, p, _ := net.SplitHostPort(addr); return p }
	sends := []struct {
		args []string
		want string // the start of the message as received
	}{
		{[]string{"--udp", "--port", port(s.UDPAddr()), "--rfc3164"}, "<38>"},
		{[]string{"--tcp", "--port", port(s.TCPAddr()), "--rfc5424", "--octet-count"}, "<38>1 "},
		{[]string{"--tcp", "--port", port(s.TCPAddr()), "--rfc3164"}, "<38>"},
	}
	for i, send := range sends {
		msg := fmt.Sprintf("Failed password for root from 203.0.113.%d port 22 ssh2", i)
		args := append([]string{"--server", "127.0.0.1", "--tag", "sshd", "--id=4242", "-p", "auth.info"}, send.args...)
		if out, err := exec.Command(logger, append(args, msg)...).CombinedOutput(); err != nil {
			t.Fatalf("logger %v: %v: %s", args, err, out)
		}
		got := r.wait(t, 1)[i]
		if !bytes.HasPrefix(got.Data, []byte(send.want)) || !bytes.HasSuffix(got.Data, []byte(msg)) ||
			!bytes.Contains(got.Data, []byte("sshd")) || got.Sender.String() != "127.0.0.1" || got.Truncated {
			t.Errorf("logger %v: received %q from %v, want %q...%q", send.args, got.Data, got.Sender, send.want, msg)
		}
	}
}

func TestConnectionLimit(t *testing.T) {
	var mu sync.Mutex
	drops := map[DropReason]int{}
	s, r := serve(t, Options{TCP: "127.0.0.1:0", MaxConnections: 1, OnDrop: func(d DropReason) {
		mu.Lock()
		drops[d]++
		mu.Unlock()
	}})
	c1, err := net.Dial("tcp", s.TCPAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	fmt.Fprint(c1, "<13>first\n")
	r.wait(t, 1) // c1 holds the only slot
	c2, err := net.Dial("tcp", s.TCPAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	c2.SetReadDeadline(time.Now().Add(15 * time.Second))
	if _, err := c2.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Errorf("second connection: read error %v, want EOF (closed by the server)", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if drops[DropConnLimit] != 1 {
		t.Errorf("drops = %v, want one connection_limit", drops)
	}
}

func TestQueueFullDropsAndCounts(t *testing.T) {
	s, err := Listen(Options{UDP: "127.0.0.1:0", Queue: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var dropped, queued int
	s.opts.OnDrop = func(DropReason) { dropped++ }
	s.opts.OnReceive = func(int) { queued++ }
	// Without a consumer, the third message does not fit.
	for i := range 3 {
		s.enqueue(Message{Data: []byte{byte(i)}})
	}
	if queued != 2 || dropped != 1 {
		t.Errorf("queued %d, dropped %d; want 2 and 1", queued, dropped)
	}
}

// TestSocketsOutliveARun: the sockets, the queue and a TCP connection stay
// between two Runs (a reload): what arrives while no Run is in progress
// is handed to the next one, nothing is lost or handed twice, and only
// Close ends the connection.
func TestSocketsOutliveARun(t *testing.T) {
	s, err := Listen(Options{UDP: "127.0.0.1:0", TCP: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	udp, err := net.Dial("udp", s.UDPAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer udp.Close()
	tcp, err := net.Dial("tcp", s.TCPAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer tcp.Close()
	run := func(r *received) (stop func()) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx, r.handle, nil) }()
		return func() {
			cancel()
			if err := <-done; err != nil {
				t.Error(err)
			}
		}
	}
	send := func(from, to int) {
		for i := from; i < to; i++ {
			fmt.Fprintf(udp, "<13>udp %d", i)
			fmt.Fprintf(tcp, "<13>tcp %d\n", i)
		}
	}
	first := &received{ch: make(chan struct{}, 1000)}
	stop := run(first)
	send(0, 10)
	first.wait(t, 20)
	stop()
	// Between the runs: received into the queue, for the next run.
	send(10, 20)
	second := &received{ch: make(chan struct{}, 1000)}
	stop = run(second)
	send(20, 30)
	got := second.wait(t, 40)
	stop()
	seen := map[string]int{}
	for _, m := range append(first.msgs, got...) {
		seen[string(m.Data)]++
	}
	for i := range 30 {
		for _, proto := range []string{"udp", "tcp"} {
			if n := seen[fmt.Sprintf("<13>%s %d", proto, i)]; n != 1 {
				t.Errorf("%s message %d handed %d times, want 1", proto, i, n)
			}
		}
	}
	if len(first.msgs) != 20 || len(got) != 40 {
		t.Errorf("first run %d messages, second %d; want 20 and 40", len(first.msgs), len(got))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	tcp.SetReadDeadline(time.Now().Add(15 * time.Second))
	if _, err := tcp.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Errorf("after Close: TCP read %v, want EOF", err)
	}
}
