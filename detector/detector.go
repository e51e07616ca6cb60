package detector

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/detector/journal"
	"github.com/breachd/breachd/detector/logtail"
	"github.com/breachd/breachd/detector/parse"
	"github.com/breachd/breachd/detector/scrape"
	"github.com/breachd/breachd/detector/syslognet"
	"github.com/breachd/breachd/rules"
)

// maxBatchLines is how many lines are evaluated before their findings and
// position are committed even if the file has not been read to its end.
const maxBatchLines = 4096

// DefaultFlushTimeout bounds the final commit when the detector stops.
const DefaultFlushTimeout = 10 * time.Second

// A line's own timestamp is used as the event time unless it lies more than
// maxSkew after the time the line was read, or more than maxAge before it
// (a misparsed or garbage timestamp); then the read time is used.
const (
	maxSkew = 5 * time.Minute
	maxAge  = 366 * 24 * time.Hour
)

// Batch is what the detector commits at once: the findings of a run of
// lines and the positions just past them.
type Batch struct {
	Findings  []rules.Finding
	Positions []logtail.Position
	// Cursors are the journal cursors just past the entries, by source.
	Cursors []Cursor
	// State is the state of the rule keys the batch's lines changed
	// (rules.Engine.Changes), as it is just past them; empty unless the
	// engine tracks changes.
	State []rules.KeyState
}

// Cursor is the position of a journald source: the cursor of the last
// entry whose consequences are in the batch.
type Cursor struct {
	Source string
	Cursor string
}

// FindingSink commits a batch and returns once it is durable. An error makes
// the detector retry the same batch; it reads no further meanwhile.
type FindingSink func(ctx context.Context, b Batch) error

// Options configures a Detector.
type Options struct {
	Sources []*configs.Source
	Engine  *rules.Engine
	Sink    FindingSink
	// Positions are the committed positions to resume from, by path.
	Positions map[string]logtail.Position
	// Cursors are the committed journal cursors to resume after, by
	// source name.
	Cursors map[string]string
	// Now stamps events with the time their line was read.
	Now    func() time.Time
	Logger *slog.Logger
	// Metrics are the detector's metrics, kept across reloads; nil makes
	// new ones registered with Registerer (nil registers nothing).
	Metrics    *Metrics
	Registerer prometheus.Registerer
	// PollInterval is the file stat-poll period; 0 means the logtail
	// default.
	PollInterval time.Duration
	// FlushTimeout bounds the final commit when the detector stops; 0
	// means DefaultFlushTimeout.
	FlushTimeout time.Duration
	// MaxLineBytes caps a line; 0 means the logtail default.
	MaxLineBytes int
	// Stdin is what a stdin source reads (the daemon's standard input).
	Stdin io.Reader
	// TickInterval is how often rules that fire on silence (absent) are
	// checked; 0 means DefaultTickInterval.
	TickInterval time.Duration
	// Listen binds the sockets of a syslog source. nil binds new ones
	// that the detector closes when Run returns (or at Close). A daemon
	// that reloads passes its own, which keeps sockets across detectors
	// and closes them itself.
	Listen func(source string, opts syslognet.Options) (*syslognet.Server, error)
}

// DefaultTickInterval is how often absent rules are checked.
const DefaultTickInterval = 10 * time.Second

// Detector runs the sources.
type Detector struct {
	opts   Options
	logger *slog.Logger

	mu sync.Mutex // serialises Engine.Evaluate across sources

	ready      chan struct{}
	readyCount sync.WaitGroup

	m *Metrics

	listeners map[string]*syslognet.Server // by source
	// ownsListeners is set when the detector bound them (Options.Listen
	// is nil) and so closes them.
	ownsListeners bool
}

// New returns a Detector. It binds the sockets of network sources, so an
// address in use is an error here, but starts nothing; Close releases the
// sockets of a Detector that is never run.
func New(opts Options) (*Detector, error) {
	d := &Detector{opts: opts, logger: opts.Logger, ready: make(chan struct{}), listeners: map[string]*syslognet.Server{}, ownsListeners: opts.Listen == nil}
	if d.logger == nil {
		d.logger = slog.New(slog.DiscardHandler)
	}
	d.m = opts.Metrics
	if d.m == nil {
		d.m = NewMetrics(opts.Registerer)
		d.m.Configure(opts.Sources, opts.Engine)
	}
	for _, s := range opts.Sources {
		if s.Kind != configs.KindSyslog {
			continue
		}
		l, err := d.listen(s)
		if err != nil {
			d.Close()
			return nil, fmt.Errorf("source %q: %w", s.Name, err)
		}
		d.listeners[s.Name] = l
	}
	return d, nil
}

func (d *Detector) listen(s *configs.Source) (*syslognet.Server, error) {
	dropped := map[syslognet.DropReason]prometheus.Counter{}
	for _, r := range syslognet.DropReasons() {
		dropped[r] = d.m.dropped.WithLabelValues(s.Name, string(r))
	}
	conns := d.m.connections.WithLabelValues(s.Name)
	opts := syslognet.Options{
		UDP:             s.Syslog.UDP,
		TCP:             s.Syslog.TCP,
		MaxMessageBytes: s.Syslog.MaxMessageBytes,
		MaxConnections:  s.Syslog.MaxConnections,
		Logger:          d.logger.With("source", s.Name),
		OnDrop:          func(r syslognet.DropReason) { dropped[r].Inc() },
		OnConn:          func(delta int) { conns.Add(float64(delta)) },
	}
	if d.opts.Listen != nil {
		return d.opts.Listen(s.Name, opts)
	}
	return syslognet.Listen(opts)
}

// Close releases the sockets of network sources the detector bound. Run
// does it on return.
func (d *Detector) Close() error {
	if !d.ownsListeners {
		return nil
	}
	var errs []error
	for _, l := range d.listeners {
		errs = append(errs, l.Close())
	}
	return errors.Join(errs...)
}

// SyslogAddrs returns the bound UDP and TCP addresses of a syslog source.
func (d *Detector) SyslogAddrs(source string) (udp, tcp string) {
	if l := d.listeners[source]; l != nil {
		return l.UDPAddr(), l.TCPAddr()
	}
	return "", ""
}

// Ready is closed once every source is followed: a line appended after
// that is read.
func (d *Detector) Ready() <-chan struct{} { return d.ready }

// Run follows every source until ctx is done. It must be called once. On
// return, every line it evaluated has been committed, unless the final
// commit failed within its timeout (the lines are then read again at the
// next start).
func (d *Detector) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(d.opts.Sources))
	d.readyCount.Add(len(d.opts.Sources))
	go func() {
		d.readyCount.Wait()
		close(d.ready)
	}()
	for _, src := range d.opts.Sources {
		s := d.newSourceRun(src)
		var once sync.Once
		done := func() { once.Do(d.readyCount.Done) }
		var run func(context.Context) error
		switch src.Kind {
		case configs.KindJournald:
			run = d.journalRun(src, s, done)
		case configs.KindSyslog:
			run = d.syslogRun(src, s, done)
		case configs.KindStdin:
			run = d.stdinRun(s, done)
		case configs.KindScrape, configs.KindPromQL:
			run = d.metricsRun(src, s, done)
		default:
			run = d.fileRun(src, s, done)
		}
		up := d.m.sourceUp.WithLabelValues(src.Name)
		wg.Go(func() {
			defer done() // a source that failed early must not hold readiness forever
			up.Set(1)
			err := run(ctx)
			up.Set(0)
			if err != nil && ctx.Err() == nil {
				// The other sources keep running; this one is down until
				// breachd restarts, which the metric and the log say.
				d.logger.Error("source stopped", "source", src.Name, "err", err)
			}
			// Commit what was evaluated before stopping.
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cmp.Or(d.opts.FlushTimeout, DefaultFlushTimeout))
			defer cancel()
			if ferr := s.flush(fctx); ferr != nil && err == nil {
				d.logger.Warn("final commit failed; the last lines will be read again at the next start", "source", src.Name, "err", ferr)
			}
			errs <- err
		})
	}
	if d.opts.Engine.Timed() {
		wg.Go(func() { d.tickLoop(ctx) })
	}
	wg.Wait()
	if err := d.Close(); err != nil {
		d.logger.Warn("closing the syslog sockets", "err", err)
	}
	close(errs)
	for err := range errs {
		if err != nil && ctx.Err() == nil {
			return err
		}
	}
	// Every source has ended (standard input at its end): the daemon
	// keeps serving incidents and actions until it is stopped.
	<-ctx.Done()
	return nil
}

// fileRun returns the loop that tails a file source.
func (d *Detector) fileRun(src *configs.Source, s *sourceRun, ready func()) func(context.Context) error {
	resume := d.positionsOf(src)
	lag := d.m.lag.WithLabelValues(src.Name)
	t := logtail.New(logtail.Options{
		Paths:            src.Paths,
		Resume:           resume,
		StartAtBeginning: src.StartAt == configs.StartAtBeginning,
		MaxLineBytes:     s.maxLine,
		PollInterval:     d.opts.PollInterval,
		RotateGrace:      src.RotateGrace,
		Now:              d.opts.Now,
		Logger:           d.logger.With("source", src.Name),
		OnReady:          ready,
		OnDrained:        s.drained,
		Events:           s.fileEvent,
		OnLag:            func(n int64) { lag.Set(float64(n)) },
	})
	return func(ctx context.Context) error { return t.Run(ctx, s.handle) }
}

// positionsOf returns the stored positions of the files a source follows:
// its paths, and the files its patterns match.
func (d *Detector) positionsOf(src *configs.Source) map[string]logtail.Position {
	out := map[string]logtail.Position{}
	for key, pos := range d.opts.Positions {
		// The position in a path's rotated file goes with the path.
		path := key
		if of, ok := logtail.RotatedOf(key); ok {
			path = of
		}
		for _, p := range src.Paths {
			if ok, _ := filepath.Match(p, path); ok || p == path {
				out[key] = pos
				break
			}
		}
	}
	return out
}

// journalRun returns the loop that follows a journald source.
func (d *Detector) journalRun(src *configs.Source, s *sourceRun, ready func()) func(context.Context) error {
	s.cursor = d.opts.Cursors[src.Name]
	s.committedCursor = s.cursor
	r := journal.New(journal.Options{
		Journalctl:       src.Journald.Journalctl,
		Matches:          src.Journald.Matches,
		Files:            src.Journald.Files,
		Directory:        src.Journald.Directory,
		Cursor:           s.cursor,
		StartAtBeginning: src.StartAt == configs.StartAtBeginning,
		Logger:           d.logger.With("source", src.Name),
		OnReady:          ready,
		OnSkipped:        s.parseFailures.Inc,
	})
	return func(ctx context.Context) error { return r.Run(ctx, s.handleEntry, s.flush) }
}

// stdinRun returns the loop that reads a stdin source. At the end of the
// input the source is done; the other sources keep running.
func (d *Detector) stdinRun(s *sourceRun, ready func()) func(context.Context) error {
	return func(ctx context.Context) error {
		ready()
		if d.opts.Stdin == nil {
			return nil
		}
		err := logtail.ReadStream(ctx, d.opts.Stdin, "-", s.maxLine, s.handleStream, s.flush)
		if err == nil {
			d.logger.Info("end of standard input", "source", s.name)
		}
		return err
	}
}

// metricsRun returns the loop that scrapes or queries a metrics source.
// Each sample is an event: the line is the sample in exposition format
// (name{labels} value), the fields metric, value, target and the declared
// labels.
func (d *Detector) metricsRun(src *configs.Source, s *sourceRun, ready func()) func(context.Context) error {
	m := src.Metrics
	up := d.m.scrapeUp.MustCurryWith(prometheus.Labels{"source": src.Name})
	dur := d.m.scrapeDuration.MustCurryWith(prometheus.Labels{"source": src.Name})
	opts := scrape.Options{
		Targets:  m.Targets,
		Query:    m.Query,
		Metrics:  m.Metrics,
		Interval: m.Interval,
		Timeout:  m.Timeout,
		Now:      d.opts.Now,
		Logger:   d.logger.With("source", src.Name),
		OnHealth: func(h scrape.Health) {
			v := 0.0
			if h.Up {
				v = 1
			}
			up.WithLabelValues(redacted(h.Target)).Set(v)
			dur.WithLabelValues(redacted(h.Target)).Set(h.Duration.Seconds())
		},
	}
	labels := m.Labels
	h := func(ctx context.Context, smp scrape.Sample) error {
		var line []byte
		line, s.vals = smp.Event(labels, s.vals)
		now := d.opts.Now()
		ev := rules.Event{Source: s.name, Line: line, Fields: s.vals, Time: eventTime(smp.Time, now)}
		return s.evaluate(ctx, ev, now)
	}
	return func(ctx context.Context) error {
		ready()
		if src.Kind == configs.KindPromQL {
			return scrape.NewQuerier(opts).Run(ctx, h, s.flush)
		}
		return scrape.NewScraper(opts).Run(ctx, h, s.flush)
	}
}

// redacted hides the password of a URL used as a label.
func redacted(target string) string {
	if u, err := url.Parse(target); err == nil {
		return u.Redacted()
	}
	return target
}

// syslogRun returns the loop that serves a syslog source.
func (d *Detector) syslogRun(src *configs.Source, s *sourceRun, ready func()) func(context.Context) error {
	l := d.listeners[src.Name]
	s.network = parse.NewNetworkSyslogParser(src.Location)
	return func(ctx context.Context) error {
		ready() // the sockets are bound: messages sent from now on are received
		return l.Run(ctx, s.handleMessage, s.flush)
	}
}

// sourceRun is one source's batch and metric series. It is used only by
// that source's tailer goroutine.
type sourceRun struct {
	d                     *Detector
	name                  string
	parser                *LineParser
	network               *parse.NetworkSyslogParser
	sender                []byte
	read, truncated       prometheus.Counter
	parseFailures         prometheus.Counter
	rotations, truncation prometheus.Counter
	released              prometheus.Counter
	commits               prometheus.Counter
	bytesRead             prometheus.Counter
	lastRead              prometheus.Gauge
	evalDuration          prometheus.Observer
	sampled               int // lines since the last timed evaluation

	bytes  int       // read since the last commit
	readAt time.Time // when the last line was read

	findings  []rules.Finding
	lines     int
	positions map[string]logtail.Position // uncommitted, by path
	committed map[string]logtail.Position // last committed, by path
	// committedAt is when the last batch was committed (monotonic).
	committedAt time.Time
	// cursor is the journal cursor of the last entry in the batch;
	// committedCursor the last one committed.
	cursor, committedCursor string
	maxLine                 int
	scratch                 []rules.Finding
	vals                    [][]byte // the event's field values, reused
	path                    []byte   // the file of the last line read, reused
	batch                   Batch
}

func (d *Detector) newSourceRun(src *configs.Source) *sourceRun {
	s := &sourceRun{
		d:             d,
		name:          src.Name,
		read:          d.m.linesRead.WithLabelValues(src.Name),
		truncated:     d.m.linesTruncated.WithLabelValues(src.Name),
		parseFailures: d.m.parseFailures.WithLabelValues(src.Name),
		rotations:     d.m.rotations.WithLabelValues(src.Name),
		truncation:    d.m.truncations.WithLabelValues(src.Name),
		released:      d.m.released.WithLabelValues(src.Name),
		commits:       d.m.commits.WithLabelValues(src.Name),
		bytesRead:     d.m.bytesRead.WithLabelValues(src.Name),
		lastRead:      d.m.lastRead.WithLabelValues(src.Name),
		evalDuration:  d.m.evalDuration.WithLabelValues(src.Name),
		positions:     map[string]logtail.Position{},
		committed:     map[string]logtail.Position{},
		maxLine:       cmp.Or(src.MaxLineBytes, d.opts.MaxLineBytes, logtail.DefaultMaxLineBytes),
	}

	for p, pos := range d.positionsOf(src) {
		s.committed[p] = pos
	}
	s.parser = NewLineParser(src)
	s.parser.OnChoose(func(path string, f AutoFormat) {
		level := slog.LevelInfo
		if !f.Timed() {
			level = slog.LevelWarn // windows then measure reading, not events
		}
		d.logger.Log(context.Background(), level, "format recognised", "source", src.Name, "path", path, "format", f.String(), "timed", f.Timed())
	})
	return s
}

func (s *sourceRun) fileEvent(e logtail.Event) {
	switch e {
	case logtail.Rotated:
		s.rotations.Inc()
	case logtail.Truncated:
		s.truncation.Inc()
	case logtail.Released:
		s.released.Inc()
	}
}

// handle evaluates one line and adds its findings and position to the
// batch.
func (s *sourceRun) handle(ctx context.Context, l logtail.Line) error {
	// The position goes into the batch first: evaluating may commit it.
	s.positions[l.Pos.Path] = l.Pos
	return s.handleLine(ctx, l, l.Pos.Path)
}

// handleStream evaluates one line of a file or of standard input.
func (s *sourceRun) handleStream(ctx context.Context, l logtail.Line) error {
	return s.handleLine(ctx, l, "")
}

// handleLine evaluates one line read from path ("" for standard input),
// the file a rule's seen_in names (a rotated file's under its own path).
func (s *sourceRun) handleLine(ctx context.Context, l logtail.Line, path string) error {
	if l.Truncated {
		s.truncated.Inc()
	}
	now := s.d.opts.Now()
	s.parser.File(l.Pos.Path)
	if p, ok := logtail.RotatedOf(path); ok {
		path = p
	}
	ev := rules.Event{Source: s.name, Line: l.Text, Path: s.pathBytes(path), Time: now}
	if !s.parser.Parse(&ev, now) {
		s.parseFailures.Inc()
	}
	return s.evaluate(ctx, ev, now)
}

// handleEntry evaluates one journal entry and adds its findings and cursor
// to the batch.
func (s *sourceRun) handleEntry(ctx context.Context, e journal.Entry) error {
	now := s.d.opts.Now()
	msg := e.Message
	if len(msg) > s.maxLine {
		msg = msg[:s.maxLine]
		s.truncated.Inc()
	}
	s.vals = append(s.vals[:0], e.Host, e.Program, e.PID)
	ev := rules.Event{Source: s.name, Line: msg, Message: msg, Fields: s.vals, Time: now}
	if !e.Time.IsZero() {
		ev.Time = eventTime(e.Time, now)
	}
	s.cursor = e.Cursor
	return s.evaluate(ctx, ev, now)
}

// handleMessage evaluates one syslog message received over the network.
func (s *sourceRun) handleMessage(ctx context.Context, m syslognet.Message) error {
	if m.Truncated {
		s.truncated.Inc()
	}
	now := s.d.opts.Now()
	s.sender = m.Sender.AppendTo(s.sender[:0])
	ev := rules.Event{Source: s.name, Line: m.Data, Time: now}
	if h, ok := s.network.Parse(m.Data, now); ok {
		s.vals = append(s.vals[:0], h.Host, h.Program, h.PID, s.sender)
		ev.Message, ev.Time = h.Message, eventTime(h.Time, now)
	} else {
		// An RFC 3164 message with a time but no tag keeps its time, as
		// a file's line does.
		if !h.Time.IsZero() {
			ev.Time = eventTime(h.Time, now)
		}
		s.parseFailures.Inc()
		s.vals = append(s.vals[:0], nil, nil, nil, s.sender)
	}
	ev.Fields = s.vals
	return s.evaluate(ctx, ev, now)
}

// evaluate runs the rules on one event and adds its findings to the batch,
// committing when the batch is full.
func (s *sourceRun) evaluate(ctx context.Context, ev rules.Event, now time.Time) error {
	d := s.d
	s.bytes += len(ev.Line)
	s.readAt = now
	d.mu.Lock()
	s.sampled++
	if s.sampled == evalSampleEvery {
		s.sampled = 0
		t0 := d.opts.Now()
		s.scratch = d.opts.Engine.Evaluate(ev, s.scratch[:0])
		s.evalDuration.Observe(d.opts.Now().Sub(t0).Seconds())
	} else {
		s.scratch = d.opts.Engine.Evaluate(ev, s.scratch[:0])
	}
	d.mu.Unlock()
	s.findings = append(s.findings, s.scratch...)
	s.lines++
	if s.lines >= maxBatchLines {
		return s.flush(ctx)
	}
	return nil
}

// positionEvery is how long the position of lines without findings may
// wait for its commit. Such a commit is not needed before the next line is
// read (after a crash those lines are read again, which only rebuilds the
// windows the crash lost), and it is an fsync that the next line, maybe the
// 5th failure, would wait behind.
const positionEvery = time.Second

// drained is called when the tailer has read to the end of a file (and at
// each poll): a batch with findings is committed now with the current
// positions; one without, at the latest positionEvery after the last
// commit (a later poll calls drained again), or with the next findings.
func (s *sourceRun) drained(ctx context.Context, positions []logtail.Position) error {
	for _, p := range positions {
		s.positions[p.Path] = p
	}
	if len(s.findings) == 0 && time.Since(s.committedAt) < positionEvery {
		return nil
	}
	return s.flush(ctx)
}

// flush commits the batch if it holds lines or a position that moved.
func (s *sourceRun) flush(ctx context.Context) error {
	s.batch.Findings = s.findings
	s.batch.Positions = s.batch.Positions[:0]
	for path, p := range s.positions {
		if c, ok := s.committed[path]; !ok || c != p {
			s.batch.Positions = append(s.batch.Positions, p)
		}
	}
	s.batch.Cursors = s.batch.Cursors[:0]
	if s.cursor != s.committedCursor {
		s.batch.Cursors = append(s.batch.Cursors, Cursor{Source: s.name, Cursor: s.cursor})
	}
	// The state the lines up to these positions left, for the keys they
	// changed: committed with the positions, it is what reading again
	// from them would rebuild. Changes hands each change over once, so
	// those of a commit that failed stay in the batch (later ones after
	// them, which the store applies in order) until one succeeds.
	s.d.mu.Lock()
	s.batch.State = s.d.opts.Engine.Changes(s.name, s.batch.State)
	s.d.mu.Unlock()
	if s.lines == 0 && len(s.findings) == 0 && len(s.batch.Positions) == 0 && len(s.batch.Cursors) == 0 && len(s.batch.State) == 0 {
		clear(s.positions)
		return nil
	}
	if err := s.d.commit(ctx, s.batch); err != nil {
		return err
	}
	for _, p := range s.batch.Positions {
		s.committed[p.Path] = p
	}
	s.committedCursor = s.cursor
	s.committedAt = time.Now() // for the batching of position commits only, never an event's time
	s.read.Add(float64(s.lines))
	s.bytesRead.Add(float64(s.bytes))
	s.bytes = 0
	if !s.readAt.IsZero() {
		s.lastRead.Set(float64(s.readAt.UnixNano()) / 1e9)
	}
	s.commits.Inc()
	clear(s.batch.State)
	s.batch.State = s.batch.State[:0]
	clear(s.findings) // drop references to committed findings
	s.findings = s.findings[:0]
	s.lines = 0
	clear(s.positions)
	return nil
}

// tickLoop checks the rules that fire on silence, with the clock, until
// ctx is done, and commits what they report.
func (d *Detector) tickLoop(ctx context.Context) {
	interval := cmp.Or(d.opts.TickInterval, DefaultTickInterval)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	var findings []rules.Finding
	var state []rules.KeyState
	for {
		d.mu.Lock()
		findings = d.opts.Engine.Tick(d.opts.Now(), findings[:0])
		state = d.opts.Engine.Changes(rules.TickSource, state[:0])
		d.mu.Unlock()
		if len(findings) > 0 || len(state) > 0 {
			if err := d.commit(ctx, Batch{Findings: findings, State: state}); err != nil {
				return // ctx ended
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// commit hands a batch to the sink, retrying with backoff until it
// succeeds or ctx ends: a line's findings are never dropped.
func (d *Detector) commit(ctx context.Context, b Batch) error {
	backoff := 100 * time.Millisecond
	for {
		err := d.opts.Sink(ctx, b)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		d.m.sinkFailures.Inc()
		d.logger.Error("cannot commit findings; retrying", "err", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 10*time.Second)
	}
}

// pathBytes returns path as bytes, reusing the last conversion: a source
// reads one file for many lines, and the hot path does not allocate.
func (s *sourceRun) pathBytes(path string) []byte {
	if path == "" {
		return nil
	}
	if string(s.path) != path {
		s.path = []byte(path)
	}
	return s.path
}
