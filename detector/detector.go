package detector

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/detector/logtail"
	"github.com/breachd/breachd/rules"
)

// FindingSink receives findings and returns once they are durable. An error
// makes the detector retry the same findings.
type FindingSink func(ctx context.Context, findings []rules.Finding) error

// Options configures a Detector.
type Options struct {
	Sources []*configs.FileSource
	Engine  *rules.Engine
	Sink    FindingSink
	// Now stamps events with the time their line was read.
	Now    func() time.Time
	Logger *slog.Logger
	// Registerer receives the detector's metrics; nil registers nothing.
	Registerer prometheus.Registerer
	// PollInterval is the file stat-poll period; 0 means the logtail
	// default.
	PollInterval time.Duration
	// MaxLineBytes caps a line; 0 means the logtail default.
	MaxLineBytes int
}

// Detector runs the sources.
type Detector struct {
	opts   Options
	logger *slog.Logger

	mu       sync.Mutex // serialises Engine.Evaluate across sources
	findings []rules.Finding

	ready      chan struct{}
	readyCount sync.WaitGroup

	linesRead      *prometheus.CounterVec
	linesTruncated *prometheus.CounterVec
	sinkFailures   prometheus.Counter
}

// New returns a Detector. It starts nothing.
func New(opts Options) *Detector {
	d := &Detector{opts: opts, logger: opts.Logger, ready: make(chan struct{})}
	if d.logger == nil {
		d.logger = slog.New(slog.DiscardHandler)
	}
	d.linesRead = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "breachd_detector_lines_read_total",
		Help: "Lines read and fully processed (evaluated, findings committed), by source.",
	}, []string{"source"})
	d.linesTruncated = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "breachd_detector_lines_truncated_total",
		Help: "Lines longer than the line limit, cut before evaluation, by source.",
	}, []string{"source"})
	d.sinkFailures = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "breachd_detector_sink_failures_total",
		Help: "Attempts to commit findings that failed and were retried.",
	})
	for _, s := range opts.Sources {
		d.linesRead.WithLabelValues(s.Name)
		d.linesTruncated.WithLabelValues(s.Name)
	}
	if opts.Registerer != nil {
		opts.Registerer.MustRegister(d.linesRead, d.linesTruncated, d.sinkFailures, newRuleCollector(opts.Engine))
	}
	return d
}

// Ready is closed once every source is followed: a line appended after
// that is read.
func (d *Detector) Ready() <-chan struct{} { return d.ready }

// Run follows every source until ctx is done. It must be called once.
func (d *Detector) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(d.opts.Sources))
	d.readyCount.Add(len(d.opts.Sources))
	go func() {
		d.readyCount.Wait()
		close(d.ready)
	}()
	for _, src := range d.opts.Sources {
		var once sync.Once
		done := func() { once.Do(d.readyCount.Done) }
		t := logtail.New(logtail.Options{
			Paths:        src.Paths,
			MaxLineBytes: d.opts.MaxLineBytes,
			PollInterval: d.opts.PollInterval,
			Logger:       d.logger.With("source", src.Name),
			OnReady:      done,
		})
		c := d.sourceCounters(src.Name)
		wg.Go(func() {
			defer done() // a source that failed early must not hold readiness forever
			errs <- t.Run(ctx, func(ctx context.Context, l logtail.Line) error {
				return d.handle(ctx, c, l)
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil && ctx.Err() == nil {
			return err
		}
	}
	return nil
}

// sourceCounters holds one source's name and metric series, resolved once
// so the hot path does no label lookups.
type sourceCounters struct {
	name            string
	read, truncated prometheus.Counter
}

func (d *Detector) sourceCounters(name string) *sourceCounters {
	return &sourceCounters{
		name:      name,
		read:      d.linesRead.WithLabelValues(name),
		truncated: d.linesTruncated.WithLabelValues(name),
	}
}

func (d *Detector) handle(ctx context.Context, src *sourceCounters, l logtail.Line) error {
	if l.Truncated {
		src.truncated.Inc()
	}
	d.mu.Lock()
	d.findings = d.opts.Engine.Evaluate(rules.Event{Source: src.name, Line: l.Text, Time: d.opts.Now()}, d.findings[:0])
	var out []rules.Finding
	if len(d.findings) > 0 {
		out = append(out, d.findings...)
	}
	d.mu.Unlock()
	if len(out) > 0 {
		if err := d.commit(ctx, out); err != nil {
			return err
		}
	}
	src.read.Inc()
	return nil
}

// commit hands findings to the sink, retrying with backoff until it
// succeeds or ctx ends: a line's findings are never dropped.
func (d *Detector) commit(ctx context.Context, findings []rules.Finding) error {
	backoff := 100 * time.Millisecond
	for {
		err := d.opts.Sink(ctx, findings)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		d.sinkFailures.Inc()
		d.logger.Error("cannot commit findings; retrying", "err", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 10*time.Second)
	}
}
