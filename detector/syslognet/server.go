package syslognet

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"
)

// Defaults for Options.
const (
	DefaultMaxMessageBytes = 64 << 10
	DefaultMaxConnections  = 256
	DefaultQueue           = 16384
	DefaultIdleTimeout     = 10 * time.Minute
)

// Message is one received message. It is owned by the handler.
type Message struct {
	Data []byte
	// Sender is the address of the peer that sent it.
	Sender netip.Addr
	// Truncated is set when the message was longer than the cap and was
	// cut.
	Truncated bool
}

// DropReason says why a message or connection was dropped.
type DropReason string

// Drop reasons.
const (
	DropQueueFull  DropReason = "queue_full"
	DropConnLimit  DropReason = "connection_limit"
	DropFrameError DropReason = "frame_error"
)

// DropReasons returns every DropReason.
func DropReasons() []DropReason {
	return []DropReason{DropQueueFull, DropConnLimit, DropFrameError}
}

// Options configures a Server.
type Options struct {
	// UDP and TCP are the addresses to listen on; at least one is set.
	UDP, TCP string
	// MaxMessageBytes caps a message; longer ones are cut. 0 means
	// DefaultMaxMessageBytes.
	MaxMessageBytes int
	// MaxConnections caps concurrent TCP connections; further ones are
	// closed at once. 0 means DefaultMaxConnections.
	MaxConnections int
	// Queue is how many received messages may wait for the handler. 0
	// means DefaultQueue.
	Queue int
	// IdleTimeout closes a TCP connection that sent nothing for this long.
	// 0 means DefaultIdleTimeout.
	IdleTimeout time.Duration
	Logger      *slog.Logger
	// OnDrop is called for each message or connection dropped.
	OnDrop func(DropReason)
	// OnReceive is called with the size of each message queued.
	OnReceive func(bytes int)
	// OnConn is called with +1 when a connection is accepted and -1 when
	// it ends.
	OnConn func(delta int)
}

// Server receives syslog messages. Listen binds its sockets; the first Run
// starts the readers, which then receive into the queue until Close, so
// the sockets, the queue and the TCP connections outlive a Run: a daemon
// that reloads its config runs the same Server again with the new
// generation's handler, and what arrives between two Runs waits in the
// queue (or the kernel's buffer) instead of being lost.
type Server struct {
	opts  Options
	udp   net.PacketConn
	tcp   net.Listener
	queue chan Message

	start     sync.Once
	readers   sync.WaitGroup
	done      chan struct{} // closed by Close
	closeOnce sync.Once
	closeErr  error
}

// Listen binds the configured sockets. It starts no goroutines; Run does.
func Listen(opts Options) (*Server, error) {
	if opts.MaxMessageBytes <= 0 {
		opts.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if opts.MaxConnections <= 0 {
		opts.MaxConnections = DefaultMaxConnections
	}
	if opts.Queue <= 0 {
		opts.Queue = DefaultQueue
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	for _, f := range []*func(DropReason){&opts.OnDrop} {
		if *f == nil {
			*f = func(DropReason) {}
		}
	}
	if opts.OnReceive == nil {
		opts.OnReceive = func(int) {}
	}
	if opts.OnConn == nil {
		opts.OnConn = func(int) {}
	}
	if opts.UDP == "" && opts.TCP == "" {
		return nil, errors.New("no address to listen on")
	}
	s := &Server{opts: opts, queue: make(chan Message, opts.Queue), done: make(chan struct{})}
	var err error
	if opts.UDP != "" {
		if s.udp, err = net.ListenPacket("udp", opts.UDP); err != nil {
			return nil, err // net's error names the protocol and the address
		}
	}
	if opts.TCP != "" {
		if s.tcp, err = net.Listen("tcp", opts.TCP); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// UDPAddr and TCPAddr return the bound addresses, or "" when not listening.
func (s *Server) UDPAddr() string {
	if s.udp == nil {
		return ""
	}
	return s.udp.LocalAddr().String()
}

// TCPAddr returns the bound TCP address, or "".
func (s *Server) TCPAddr() string {
	if s.tcp == nil {
		return ""
	}
	return s.tcp.Addr().String()
}

// Close closes the sockets and the TCP connections and waits for the
// readers to end; messages still queued are discarded. It may be called
// more than once, and must not be while a Run is in progress.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		close(s.done)
		var errs []error
		if s.udp != nil {
			errs = append(errs, s.udp.Close())
		}
		if s.tcp != nil {
			errs = append(errs, s.tcp.Close())
		}
		s.readers.Wait()
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

// closed reports whether Close was called.
func (s *Server) closed() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// Handler receives messages one at a time, in the order they were queued.
// An error stops the Server.
type Handler func(ctx context.Context, m Message) error

// Run hands queued messages to h until ctx is done, h fails or the Server
// is closed. drained is called whenever the queue is empty after a
// message, so the caller can commit what it has. When ctx is done, the
// messages queued at that moment are still handed to h; the ones that
// arrive later wait for the next Run. The first Run starts the readers,
// which run until Close. Runs must not overlap.
func (s *Server) Run(ctx context.Context, h Handler, drained func(context.Context) error) error {
	s.start.Do(func() {
		if s.closed() {
			return
		}
		if s.udp != nil {
			s.readers.Go(s.serveUDP)
		}
		if s.tcp != nil {
			s.readers.Go(s.serveTCP)
		}
	})
	for {
		select {
		case <-ctx.Done():
			// What was received before the stop is still evaluated.
			dctx := context.WithoutCancel(ctx)
			for range len(s.queue) {
				if err := h(dctx, <-s.queue); err != nil {
					return err
				}
			}
			return nil
		case <-s.done:
			return nil
		case m := <-s.queue:
			if err := h(ctx, m); err != nil {
				return err
			}
			if len(s.queue) == 0 && drained != nil {
				if err := drained(ctx); err != nil {
					return err
				}
			}
		}
	}
}

// enqueue hands a message to the consumer, or drops it when the queue is
// full.
func (s *Server) enqueue(m Message) {
	select {
	case s.queue <- m:
		s.opts.OnReceive(len(m.Data))
	default:
		s.opts.OnDrop(DropQueueFull)
	}
}

func (s *Server) serveUDP() {
	buf := make([]byte, s.opts.MaxMessageBytes+1)
	for {
		n, addr, err := s.udp.ReadFrom(buf)
		if err != nil {
			if s.closed() || errors.Is(err, net.ErrClosed) {
				return
			}
			s.opts.Logger.Warn("udp read", "err", err)
			continue
		}
		data := buf[:n]
		m := Message{Sender: addrOf(addr)}
		if len(data) > s.opts.MaxMessageBytes {
			data, m.Truncated = data[:s.opts.MaxMessageBytes], true
		}
		data = trimTrailer(data)
		if len(data) == 0 {
			continue
		}
		m.Data = append([]byte(nil), data...)
		s.enqueue(m)
	}
}

func (s *Server) serveTCP() {
	slots := make(chan struct{}, s.opts.MaxConnections)
	var conns sync.Map
	defer func() {
		conns.Range(func(k, _ any) bool {
			k.(net.Conn).Close()
			return true
		})
	}()
	for {
		c, err := s.tcp.Accept()
		if err != nil {
			if s.closed() || errors.Is(err, net.ErrClosed) {
				return
			}
			s.opts.Logger.Warn("tcp accept", "err", err)
			continue
		}
		select {
		case slots <- struct{}{}:
		default:
			s.opts.OnDrop(DropConnLimit)
			c.Close()
			continue
		}
		conns.Store(c, nil)
		s.opts.OnConn(1)
		s.readers.Go(func() {
			defer func() {
				c.Close()
				conns.Delete(c)
				s.opts.OnConn(-1)
				<-slots
			}()
			err := s.readStream(c, addrOf(c.RemoteAddr()))
			if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) && !s.closed() {
				s.opts.Logger.Debug("tcp connection ended", "remote", c.RemoteAddr().String(), "err", err)
			}
		})
	}
}

// deadliner is the part of net.Conn readStream needs; tests pass a pipe.
type deadliner interface {
	io.Reader
	SetReadDeadline(time.Time) error
}

func (s *Server) readStream(c deadliner, sender netip.Addr) error {
	fr := NewFramer(&idleReader{c: c, idle: s.opts.IdleTimeout}, s.opts.MaxMessageBytes)
	for !s.closed() {
		data, truncated, err := fr.Next()
		if err != nil {
			if errors.Is(err, ErrFrame) {
				s.opts.OnDrop(DropFrameError)
			}
			return err
		}
		if len(data) == 0 {
			continue
		}
		s.enqueue(Message{Data: append([]byte(nil), data...), Sender: sender, Truncated: truncated})
	}
	return net.ErrClosed
}

// idleReader sets a read deadline before each read.
type idleReader struct {
	c    deadliner
	idle time.Duration
}

func (r *idleReader) Read(p []byte) (int, error) {
	if err := r.c.SetReadDeadline(time.Now().Add(r.idle)); err != nil {
		return 0, err
	}
	return r.c.Read(p)
}

func addrOf(a net.Addr) netip.Addr {
	if ap, err := netip.ParseAddrPort(a.String()); err == nil {
		return ap.Addr().Unmap()
	}
	return netip.Addr{}
}

// trimTrailer drops trailing newlines, carriage returns and NULs, which
// some senders append.
func trimTrailer(b []byte) []byte {
	for len(b) > 0 {
		switch b[len(b)-1] {
		case '\n', '\r', 0:
			b = b[:len(b)-1]
		default:
			return b
		}
	}
	return b
}

// ErrFrame is returned by Framer.Next for a stream that cannot be framed:
// an octet count that is not a number. The connection is closed.
var ErrFrame = errors.New("invalid octet-counted frame")

// Framer splits a TCP stream into messages (RFC 6587): a frame starting
// with a digit is octet-counted ("LEN SP MSG"), any other is terminated by a
// newline. Messages longer than the cap are cut and the rest is skipped
// without being buffered.
type Framer struct {
	r   *bufio.Reader
	max int
	buf []byte
}

// NewFramer returns a Framer reading r with messages capped at max bytes.
func NewFramer(r io.Reader, max int) *Framer {
	return &Framer{r: bufio.NewReaderSize(r, 64<<10), max: max}
}

// Next returns the next message, valid until the next call, and whether it
// was cut. It returns io.EOF at the end of the stream.
func (f *Framer) Next() ([]byte, bool, error) {
	c, err := f.r.Peek(1)
	if err != nil {
		return nil, false, err
	}
	if c[0] >= '1' && c[0] <= '9' {
		return f.octetCounted()
	}
	return f.line()
}

func (f *Framer) octetCounted() ([]byte, bool, error) {
	n := 0
	for digits := 0; ; digits++ {
		c, err := f.r.ReadByte()
		if err != nil {
			return nil, false, err
		}
		if c == ' ' && digits > 0 {
			break
		}
		if c < '0' || c > '9' || digits >= 9 {
			return nil, false, ErrFrame
		}
		n = n*10 + int(c-'0')
	}
	keep := min(n, f.max)
	if cap(f.buf) < keep {
		f.buf = make([]byte, keep)
	}
	f.buf = f.buf[:keep]
	if _, err := io.ReadFull(f.r, f.buf); err != nil {
		return nil, false, unexpected(err)
	}
	if n > keep {
		if _, err := f.r.Discard(n - keep); err != nil {
			return nil, false, unexpected(err)
		}
	}
	return trimTrailer(f.buf), n > keep, nil
}

func (f *Framer) line() ([]byte, bool, error) {
	f.buf = f.buf[:0]
	total := 0
	for {
		chunk, err := f.r.ReadSlice('\n')
		total += len(chunk)
		if room := f.max - len(f.buf); room > 0 {
			f.buf = append(f.buf, chunk[:min(room, len(chunk))]...)
		}
		switch {
		case err == nil:
			return trimTrailer(f.buf), total-1 > f.max, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && total > 0:
			// A last message without its newline.
			return trimTrailer(f.buf), total > f.max, nil
		default:
			return nil, false, err
		}
	}
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
