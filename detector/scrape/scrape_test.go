package scrape

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/breachd/breachd/detector/scrape/promtest"
)

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// target is a real exposition endpoint: client_golang's handler over a
// registry with a counter, a gauge and a histogram.
func target(t *testing.T) (*httptest.Server, *prometheus.CounterVec) {
	t.Helper()
	reg := prometheus.NewRegistry()
	sent := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "app_bytes_sent_total", Help: "h"}, []string{"device"})
	temp := prometheus.NewGauge(prometheus.GaugeOpts{Name: "app_temperature", Help: "h"})
	lat := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "app_latency_seconds", Help: "h", Buckets: []float64{0.1, 1}})
	reg.MustRegister(sent, temp, lat)
	sent.WithLabelValues("eth0").Add(1e9)
	sent.WithLabelValues("eth1").Add(5)
	temp.Set(-3.5)
	lat.Observe(0.5)
	srv := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	t.Cleanup(srv.Close)
	return srv, sent
}

type collected struct {
	mu      sync.Mutex
	samples []Sample
	health  []Health
	rounds  chan struct{}
}

func collect() *collected { return &collected{rounds: make(chan struct{}, 100)} }

func (c *collected) handle(_ context.Context, s Sample) error {
	c.mu.Lock()
	c.samples = append(c.samples, s)
	c.mu.Unlock()
	return nil
}

func (c *collected) drained(context.Context) error {
	c.rounds <- struct{}{}
	return nil
}

func (c *collected) onHealth(h Health) {
	c.mu.Lock()
	c.health = append(c.health, h)
	c.mu.Unlock()
}

func (c *collected) strings() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, s := range c.samples {
		out = append(out, s.String())
	}
	return out
}

func runOneRound(t *testing.T, c *collected, run func(context.Context, Handler, func(context.Context) error) error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, c.handle, c.drained) }()
	select {
	case <-c.rounds:
	case <-time.After(30 * time.Second):
		t.Fatal("no round")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestScrapeRealEndpoint(t *testing.T) {
	srv, _ := target(t)
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	c := collect()
	s := NewScraper(Options{Targets: []string{srv.URL, down.URL}, Interval: time.Hour, Timeout: 5 * time.Second,
		Now: func() time.Time { return t0 }, OnHealth: c.onHealth})
	runOneRound(t, c, s.Run)
	got := c.strings()
	for _, want := range []string{
		"up 1", `app_bytes_sent_total{device="eth0"} 1e+09`, `app_bytes_sent_total{device="eth1"} 5`, "app_temperature -3.5",
		`app_latency_seconds_bucket{le="0.1"} 0`, `app_latency_seconds_bucket{le="1"} 1`, `app_latency_seconds_bucket{le="+Inf"} 1`,
		"app_latency_seconds_sum 0.5", "app_latency_seconds_count 1", "up 0",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("missing %s in %q", want, got)
		}
	}
	if n := strings.Count(strings.Join(got, "\n"), `le="+Inf"`); n != 1 {
		t.Errorf("+Inf bucket %d times", n)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.health) != 2 || !c.health[0].Up || c.health[1].Up || c.health[1].Err == nil || c.samples[0].Target != srv.URL || !c.samples[0].Time.Equal(t0) {
		t.Errorf("health = %+v", c.health)
	}
}

func TestScrapeFilterAndCap(t *testing.T) {
	srv, _ := target(t)
	c := collect()
	s := NewScraper(Options{Targets: []string{srv.URL}, Metrics: []string{"app_temperature"}, Interval: time.Hour, Timeout: 5 * time.Second, Now: time.Now})
	runOneRound(t, c, s.Run)
	if got := c.strings(); fmt.Sprint(got) != "[up 1 app_temperature -3.5]" {
		t.Errorf("filtered: %q", got)
	}
	c = collect()
	s = NewScraper(Options{Targets: []string{srv.URL}, MaxBytes: 100, Interval: time.Hour, Timeout: 5 * time.Second, Now: time.Now, OnHealth: c.onHealth})
	runOneRound(t, c, s.Run)
	if got := c.strings(); fmt.Sprint(got) != "[up 0]" || !strings.Contains(fmt.Sprint(c.health[0].Err), "larger than 100 bytes") {
		t.Errorf("capped: %q %v", got, c.health)
	}
}

// TestQueryRealPrometheus runs Debian's prometheus against a real target
// and evaluates PromQL through its HTTP API.
func TestQueryRealPrometheus(t *testing.T) {
	srv, _ := target(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "prometheus.yml")
	os.WriteFile(conf, []byte(fmt.Sprintf(`global:
  scrape_interval: 200ms
scrape_configs:
  - job_name: app
    static_configs:
      - targets: [%q]
`, strings.TrimPrefix(srv.URL, "http://"))), 0o600)
	prom := promtest.Start(t, conf)
	addr := prom.Addr
	server := "http://" + addr
	q := NewQuerier(Options{Targets: []string{server}, Query: `sum by (device) (app_bytes_sent_total) > 1000`, Interval: time.Hour, Timeout: 5 * time.Second, Now: time.Now})
	deadline := time.Now().Add(60 * time.Second)
	for {
		samples, err := q.query(context.Background(), server, time.Now())
		if err == nil && len(samples) > 0 {
			if len(samples) != 1 || samples[0].Label("device") != "eth0" || samples[0].Value != 1e9 || samples[0].Metric != "" {
				t.Fatalf("samples = %+v", samples)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no result from prometheus: %v\n%s", err, prom.Logs())
		}
		time.Sleep(100 * time.Millisecond) // polling for prometheus to have scraped, not timing
	}
	// Through Run, and a query error is reported, not fatal.
	c := collect()
	runOneRound(t, c, q.Run)
	if got := c.strings(); fmt.Sprint(got) != `[{device="eth0"} 1e+09]` {
		t.Errorf("Run: %q", got)
	}
	bad := NewQuerier(Options{Targets: []string{server}, Query: `sum(`, Interval: time.Hour, Timeout: 5 * time.Second, Now: time.Now, OnHealth: c.onHealth})
	if _, err := bad.query(context.Background(), server, time.Now()); err == nil || !strings.Contains(err.Error(), "bad_data") {
		t.Errorf("bad query: %v", err)
	}
}

// TestQueryAnswerIsCapped: a query answer larger than MaxBytes fails the
// query instead of being read into memory.
func TestQueryAnswerIsCapped(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"x":"%s"},"value":[1,"1"]}]}}`, strings.Repeat("a", 4096))
	}))
	defer srv.Close()
	q := NewQuerier(Options{Targets: []string{srv.URL}, Query: `x`, Interval: time.Hour, Timeout: 5 * time.Second, MaxBytes: 1000, Now: time.Now})
	if _, err := q.query(context.Background(), srv.URL, time.Now()); err == nil || !strings.Contains(err.Error(), "larger than 1000 bytes") {
		t.Errorf("large answer: %v", err)
	}
	q = NewQuerier(Options{Targets: []string{srv.URL}, Query: `x`, Interval: time.Hour, Timeout: 5 * time.Second, MaxBytes: 1 << 20, Now: time.Now})
	if s, err := q.query(context.Background(), srv.URL, time.Now()); err != nil || len(s) != 1 || len(s[0].Label("x")) != 4096 {
		t.Errorf("answer under the cap: %v %v", s, err)
	}
}
