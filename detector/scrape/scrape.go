package scrape

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/api"
	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// DefaultMaxBytes caps a scraped body or a query response.
const DefaultMaxBytes = 16 << 20

// Label is one label of a sample.
type Label struct{ Name, Value string }

// Sample is one value of one series.
type Sample struct {
	// Metric is the metric name; empty for a PromQL result without one
	// (an aggregation).
	Metric string
	// Labels are sorted by name, without __name__.
	Labels []Label
	Value  float64
	// Time is the sample's own timestamp if it has one, else the time of
	// the scrape or query.
	Time time.Time
	// Target is the URL scraped, or the Prometheus server queried.
	Target string
}

// Label returns the value of the named label, or "".
func (s *Sample) Label(name string) string {
	for _, l := range s.Labels {
		if l.Name == name {
			return l.Value
		}
	}
	return ""
}

// String formats the sample like the exposition format:
// name{a="x",b="y"} value.
func (s *Sample) String() string {
	var b strings.Builder
	b.WriteString(s.Metric)
	if len(s.Labels) > 0 {
		b.WriteByte('{')
		for i, l := range s.Labels {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(l.Name)
			b.WriteString("=")
			b.WriteString(strconv.Quote(l.Value))
		}
		b.WriteByte('}')
	}
	b.WriteByte(' ')
	b.WriteString(FormatValue(s.Value))
	return b.String()
}

// FormatValue formats a sample value as Prometheus does.
func FormatValue(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Handler receives samples. An error stops the loop.
type Handler func(ctx context.Context, s Sample) error

// Health is the outcome of one scrape or query.
type Health struct {
	Target   string
	Up       bool
	Duration time.Duration
	Samples  int
	Err      error
}

// Options configures a Scraper or a Querier.
type Options struct {
	// Targets are the exposition URLs (Scraper), or one Prometheus base
	// URL (Querier).
	Targets []string
	// Query is the PromQL expression (Querier).
	Query string
	// Metrics keeps only these metric names (Scraper); empty keeps all.
	Metrics []string
	// Interval between rounds, Timeout of each request.
	Interval, Timeout time.Duration
	// MaxBytes caps a response body; 0 means DefaultMaxBytes.
	MaxBytes int64
	// Client makes the requests; nil means a client without redirects.
	Client *http.Client
	// Now is the clock for sample times.
	Now    func() time.Time
	Logger *slog.Logger
	// OnHealth is called after each scrape or query.
	OnHealth func(Health)
}

func (o *Options) defaults() {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.Client == nil {
		o.Client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.OnHealth == nil {
		o.OnHealth = func(Health) {}
	}
}

// Scraper scrapes exposition endpoints.
type Scraper struct{ opts Options }

// NewScraper returns a Scraper. It starts nothing.
func NewScraper(opts Options) *Scraper {
	opts.defaults()
	return &Scraper{opts: opts}
}

// Run scrapes every target once per interval, starting at once, until ctx
// is done or h fails. Each scrape delivers an "up" sample (1 or 0) for the
// target, as Prometheus records it, then the target's samples; drained is
// called after each round.
func (s *Scraper) Run(ctx context.Context, h Handler, drained func(context.Context) error) error {
	return loop(ctx, s.opts.Interval, func(ctx context.Context) error {
		for _, target := range s.opts.Targets {
			if err := s.scrape(ctx, target, h); err != nil {
				return err
			}
		}
		if drained != nil {
			return drained(ctx)
		}
		return nil
	})
}

// loop runs round now and then every interval.
func loop(ctx context.Context, interval time.Duration, round func(context.Context) error) error {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		if err := round(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

func (s *Scraper) scrape(ctx context.Context, target string, h Handler) error {
	start := time.Now()
	now := s.opts.Now()
	samples, err := s.fetch(ctx, target, now)
	health := Health{Target: target, Up: err == nil, Duration: time.Since(start), Samples: len(samples), Err: err}
	s.opts.OnHealth(health)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		s.opts.Logger.Warn("scrape failed", "target", target, "err", err)
	}
	up := Sample{Metric: "up", Value: 0, Time: now, Target: target}
	if health.Up {
		up.Value = 1
	}
	if err := h(ctx, up); err != nil {
		return err
	}
	for _, smp := range samples {
		if err := h(ctx, smp); err != nil {
			return err
		}
	}
	return nil
}

func (s *Scraper) fetch(ctx context.Context, target string, now time.Time) ([]Sample, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1")
	req.Header.Set("X-Prometheus-Scrape-Timeout-Seconds", strconv.FormatFloat(s.opts.Timeout.Seconds(), 'f', -1, 64))
	resp, err := s.opts.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %s", resp.Status)
	}
	body := &capped{r: resp.Body, left: s.opts.MaxBytes}
	out, err := ParseText(body, s.opts.Metrics, target, now)
	if body.over {
		return nil, fmt.Errorf("response larger than %d bytes", s.opts.MaxBytes)
	}
	return out, err
}

// ParseText reads the Prometheus text exposition format into samples,
// keeping only the named metrics (all when metrics is empty), sorted by
// name. Samples without a timestamp get now.
func ParseText(r io.Reader, metrics []string, target string, now time.Time) ([]Sample, error) {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(r)
	if err != nil {
		return nil, err
	}
	var out []Sample
	names := make([]string, 0, len(families))
	for name := range families {
		if len(metrics) == 0 || slices.Contains(metrics, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		out = appendFamily(out, families[name], target, now)
	}
	return out, nil
}

// Event returns what rules see of a sample: its line in exposition format
// (name{labels} value) and its fields metric, value, target and the given
// labels, in the order of configs.Source.Fields. fields is reused.
func (s *Sample) Event(labels []string, fields [][]byte) (line []byte, out [][]byte) {
	out = append(fields[:0], []byte(s.Metric), []byte(FormatValue(s.Value)), []byte(s.Target))
	for _, l := range labels {
		out = append(out, []byte(s.Label(l)))
	}
	return []byte(s.String()), out
}

// appendFamily flattens a family into samples: histograms and summaries
// become their _bucket/quantile, _sum and _count series.
func appendFamily(out []Sample, f *dto.MetricFamily, target string, now time.Time) []Sample {
	name := f.GetName()
	for _, m := range f.GetMetric() {
		labels := make([]Label, 0, len(m.GetLabel()))
		for _, l := range m.GetLabel() {
			labels = append(labels, Label{l.GetName(), l.GetValue()})
		}
		slices.SortFunc(labels, func(a, b Label) int { return strings.Compare(a.Name, b.Name) })
		at := now
		if ms := m.GetTimestampMs(); ms != 0 {
			at = time.UnixMilli(ms).UTC()
		}
		add := func(metric string, v float64, extra ...Label) {
			ls := labels
			if len(extra) > 0 {
				ls = append(slices.Clone(labels), extra...)
				slices.SortFunc(ls, func(a, b Label) int { return strings.Compare(a.Name, b.Name) })
			}
			out = append(out, Sample{Metric: metric, Labels: ls, Value: v, Time: at, Target: target})
		}
		switch {
		case m.Counter != nil:
			add(name, m.GetCounter().GetValue())
		case m.Gauge != nil:
			add(name, m.GetGauge().GetValue())
		case m.Untyped != nil:
			add(name, m.GetUntyped().GetValue())
		case m.Summary != nil:
			for _, q := range m.GetSummary().GetQuantile() {
				add(name, q.GetValue(), Label{"quantile", FormatValue(q.GetQuantile())})
			}
			add(name+"_sum", m.GetSummary().GetSampleSum())
			add(name+"_count", float64(m.GetSummary().GetSampleCount()))
		case m.Histogram != nil:
			buckets := m.GetHistogram().GetBucket()
			for _, b := range buckets {
				add(name+"_bucket", float64(b.GetCumulativeCount()), Label{"le", FormatValue(b.GetUpperBound())})
			}
			if len(buckets) == 0 || !math.IsInf(buckets[len(buckets)-1].GetUpperBound(), 1) {
				add(name+"_bucket", float64(m.GetHistogram().GetSampleCount()), Label{"le", "+Inf"})
			}
			add(name+"_sum", m.GetHistogram().GetSampleSum())
			add(name+"_count", float64(m.GetHistogram().GetSampleCount()))
		}
	}
	return out
}

// capped reads at most left bytes and records whether there was more.
type capped struct {
	r    io.Reader
	left int64
	over bool
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		if n, _ := c.r.Read(one[:]); n > 0 {
			c.over = true
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// Querier evaluates a PromQL query on a Prometheus server.
type Querier struct {
	opts Options
	// client is the HTTP client of every query: opts.Client's, its
	// answers capped at opts.MaxBytes.
	client *http.Client
}

// NewQuerier returns a Querier for opts.Targets[0] and opts.Query. It
// starts nothing.
func NewQuerier(opts Options) *Querier {
	opts.defaults()
	client := *opts.Client
	client.Transport = &cappedTransport{next: transportOf(opts.Client), max: opts.MaxBytes}
	return &Querier{opts: opts, client: &client}
}

// Run evaluates the query once per interval, starting at once, until ctx
// is done or h fails; each result sample is delivered, then drained is
// called. A failed query is logged and reported through OnHealth.
func (q *Querier) Run(ctx context.Context, h Handler, drained func(context.Context) error) error {
	server := q.opts.Targets[0]
	return loop(ctx, q.opts.Interval, func(ctx context.Context) error {
		start := time.Now()
		samples, err := q.query(ctx, server, q.opts.Now())
		q.opts.OnHealth(Health{Target: server, Up: err == nil, Duration: time.Since(start), Samples: len(samples), Err: err})
		if err != nil {
			if ctx.Err() == nil {
				q.opts.Logger.Warn("query failed", "server", server, "err", err)
			}
			return nil
		}
		for _, s := range samples {
			if err := h(ctx, s); err != nil {
				return err
			}
		}
		if drained != nil {
			return drained(ctx)
		}
		return nil
	})
}

func (q *Querier) query(ctx context.Context, server string, now time.Time) ([]Sample, error) {
	ctx, cancel := context.WithTimeout(ctx, q.opts.Timeout)
	defer cancel()
	c, err := api.NewClient(api.Config{Address: server, Client: q.client})
	if err != nil {
		return nil, err
	}
	// Warnings (a partial answer) are not errors: the samples returned
	// are still true.
	res, _, _, err := promv1.NewAPI(c).Query(ctx, q.opts.Query, now, promv1.WithTimeout(q.opts.Timeout))
	if err != nil {
		return nil, err
	}
	switch v := res.(type) {
	case model.Vector:
		out := make([]Sample, 0, len(v))
		for _, e := range v {
			out = append(out, toSample(e.Metric, e.Timestamp, e.Value, server, now))
		}
		return out, nil
	case *model.Scalar:
		return []Sample{toSample(nil, v.Timestamp, v.Value, server, now)}, nil
	}
	return nil, fmt.Errorf("result type %q: write a query that returns an instant vector or a scalar", res.Type())
}

func toSample(metric model.Metric, ts model.Time, v model.SampleValue, server string, now time.Time) Sample {
	s := Sample{Metric: string(metric[model.MetricNameLabel]), Value: float64(v), Target: server, Time: now}
	if ts > 0 {
		s.Time = ts.Time().UTC()
	}
	for k, v := range metric {
		if k != model.MetricNameLabel {
			s.Labels = append(s.Labels, Label{string(k), string(v)})
		}
	}
	slices.SortFunc(s.Labels, func(a, b Label) int { return strings.Compare(a.Name, b.Name) })
	return s
}

func transportOf(c *http.Client) http.RoundTripper {
	if c.Transport != nil {
		return c.Transport
	}
	return http.DefaultTransport
}

// cappedTransport fails a response body that grows past max bytes, so a
// server cannot make a query hold unbounded memory.
type cappedTransport struct {
	next http.RoundTripper
	max  int64
}

func (t *cappedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &cappedBody{capped: capped{r: resp.Body, left: t.max}, closer: resp.Body, max: t.max}
	return resp, nil
}

type cappedBody struct {
	capped
	closer io.Closer
	max    int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	n, err := b.capped.Read(p)
	if b.over {
		return n, fmt.Errorf("response larger than %d bytes", b.max)
	}
	return n, err
}

func (b *cappedBody) Close() error { return b.closer.Close() }
