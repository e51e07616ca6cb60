package detector

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/detector/logtail"
	"github.com/breachd/breachd/rules"
)

const config = `
source "file" "app" { paths = ["./app.log"] }
rule "err" {
  source = "app"
  match  = "ERROR (?P<code>\\d+)"
}
`

func setup(t testing.TB, sink FindingSink) (*Detector, *configs.Config, *prometheus.Registry) {
	t.Helper()
	dir := t.TempDir()
	cfg, diags := configs.Parse("t.hcl", []byte(config), dir)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	engine, diags := rules.Compile(cfg, rules.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	reg := prometheus.NewRegistry()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	d, err := New(Options{Sources: cfg.Sources, Engine: engine, Sink: sink, Now: func() time.Time { return now }, Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	return d, cfg, reg
}

// TestSinkFailureIsRetriedAndNothingIsLost: while the store fails, the
// detector holds the line and retries; the line is counted as read only once
// its finding is committed.
func TestSinkFailureIsRetriedAndNothingIsLost(t *testing.T) {
	var mu sync.Mutex
	var committed []rules.Finding
	calls := 0
	d, cfg, reg := setup(t, func(_ context.Context, b Batch) error {
		mu.Lock()
		defer mu.Unlock()
		if len(b.Findings) == 0 {
			return nil
		}
		calls++
		if calls == 1 {
			return errors.New("database is locked")
		}
		committed = append(committed, b.Findings...)
		return nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	<-d.Ready()
	if err := os.WriteFile(cfg.Sources[0].Paths[0], []byte("ok\nERROR 42\nok\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	lines := d.m.linesRead.WithLabelValues("app")
	deadline := time.Now().Add(10 * time.Second)
	for testutil.ToFloat64(lines) != 3 {
		if time.Now().After(deadline) {
			t.Fatalf("lines read = %v, want 3", testutil.ToFloat64(lines))
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(committed) != 1 || committed[0].Fields["code"] != "42" {
		t.Errorf("committed %+v, want the one finding", committed)
	}
	if got := testutil.ToFloat64(d.m.sinkFailures); got != 1 {
		t.Errorf("sink failures = %v, want 1", got)
	}
	if err := testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP breachd_rules_findings_total Findings produced, by rule.
# TYPE breachd_rules_findings_total counter
breachd_rules_findings_total{rule="err"} 1
`), "breachd_rules_findings_total"); err != nil {
		t.Error(err)
	}
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Errorf("metric lint: %v %v", problems, err)
	}
}

// BenchmarkHandle measures a line through the detector's hot path: rules
// evaluation and metrics, without file I/O.
func BenchmarkHandle(b *testing.B) {
	d, cfg, _ := setup(b, func(context.Context, Batch) error { return nil })
	line := logtail.Line{Pos: logtail.Position{Path: "x"}, Text: []byte("Nov 23 10:00:00 web1 CRON[4242]: pam_unix(cron:session): session opened for user root")}
	ctx := context.Background()
	src := d.newSourceRun(cfg.Sources[0])
	b.ReportAllocs()
	b.SetBytes(int64(len(line.Text)))
	for b.Loop() {
		if err := src.handle(ctx, line); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSyslogLinesCarryTheirOwnTime: a log read all at once (start_at =
// "beginning") is judged by the times its lines carry, not by when they
// were read. Failures 16 s apart are a slow brute force that a 5-in-60s rule
// must not flag; the same lines 1 s apart must be flagged.
func TestSyslogLinesCarryTheirOwnTime(t *testing.T) {
	for _, tt := range []struct {
		gap   time.Duration
		fires bool
	}{{16 * time.Second, false}, {time.Second, true}} {
		dir := t.TempDir()
		log := filepath.Join(dir, "auth.log")
		var b strings.Builder
		start := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
		for i := range 5 {
			fmt.Fprintf(&b, "%s web1 sshd[%d]: Failed password for root from 203.0.113.7 port 22 ssh2\n", start.Add(time.Duration(i)*tt.gap).Format(time.Stamp), i)
		}
		b.WriteString("this line is not syslog\n")
		if err := os.WriteFile(log, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		found, d := readAll(t, dir, `
source "file" "auth" {
  paths    = ["./auth.log"]
  format   = "syslog"
  timezone = "UTC"
  start_at = "beginning"
}
rule "ssh" {
  source = "auth"
  match  = "^Failed password for \\S+ from (?P<ip>\\S+)"
  where  = "program == 'sshd'"
  threshold {
    count    = 5
    within   = "1m"
    group_by = ["ip"]
  }
}`)
		if got := len(found) > 0; got != tt.fires {
			t.Errorf("failures %s apart: fired %v, want %v", tt.gap, got, tt.fires)
		}
		if tt.fires && !found[0].Time.Equal(start.Add(4*tt.gap)) {
			t.Errorf("finding time %v, want the fifth line's own time %v", found[0].Time, start.Add(4*tt.gap))
		}
		if got := testutil.ToFloat64(d.m.parseFailures.WithLabelValues("auth")); got != 1 {
			t.Errorf("parse failures = %v, want 1", got)
		}
	}
}

// readAll runs the detector on config (in dir) until its sources have read
// what is already there, and returns the findings.
func readAll(t testing.TB, dir, config string) ([]rules.Finding, *Detector) {
	t.Helper()
	cfg, diags := configs.Parse("t.hcl", []byte(config), dir)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	engine, diags := rules.Compile(cfg, rules.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var mu sync.Mutex
	var found []rules.Finding
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	d, err := New(Options{Sources: cfg.Sources, Engine: engine, Now: func() time.Time { return now },
		Sink: func(_ context.Context, b Batch) error {
			mu.Lock()
			found = append(found, b.Findings...)
			mu.Unlock()
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	<-d.Ready() // the first sync, before readiness, read the whole file
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	return found, d
}

// TestStructuredFormats: JSON (nested keys) and logfmt lines give rules
// their declared fields, message and time; a line in neither format is
// counted and evaluated as raw.
func TestStructuredFormats(t *testing.T) {
	dir := t.TempDir()
	var js, lf strings.Builder
	start := time.Date(2026, 11, 23, 11, 0, 0, 0, time.UTC)
	for i := range 5 {
		at := start.Add(time.Duration(i) * time.Second)
		fmt.Fprintf(&js, `{"@timestamp":%q,"event":{"outcome":"failure"},"source":{"ip":"203.0.113.7"},"user":{"name":"u%d"},"message":"login failed"}`+"\n", at.Format(time.RFC3339Nano), i)
		fmt.Fprintf(&lf, "ts=%d level=warn msg=\"login failed\" ip=2001:db8::%d user=admin\n", at.Unix(), i%2)
	}
	js.WriteString("not json at all\n")
	os.WriteFile(filepath.Join(dir, "app.json"), []byte(js.String()), 0o600)
	os.WriteFile(filepath.Join(dir, "app.logfmt"), []byte(lf.String()), 0o600)
	found, d := readAll(t, dir, `
source "file" "json" {
  paths    = ["./app.json"]
  format   = "json"
  start_at = "beginning"
  fields   = { ip = "source.ip", user = "user.name", outcome = "event.outcome" }
}
source "file" "kv" {
  paths    = ["./app.logfmt"]
  format   = "logfmt"
  start_at = "beginning"
  fields   = { ip = "ip", user = "user" }
}
rule "spray" {
  source = "json"
  match  = "^login failed$"
  where  = "outcome == 'failure' && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10s"
    group_by = ["ip"]
  }
  incident { title = "Spraying from ${ip}, last user ${user}" }
}
rule "kv-brute" {
  source = "kv"
  match  = "failed"
  where  = "user == 'admin'"
  threshold {
    count    = 3
    within   = "10s"
    group_by = ["ip"]
  }
}`)
	titles := map[string]time.Time{}
	for _, f := range found {
		titles[f.Rule+": "+f.Title] = f.Time
	}
	want := map[string]time.Time{
		"spray: Spraying from 203.0.113.7, last user u4": start.Add(4 * time.Second),
		"kv-brute: kv-brute":                             start.Add(4 * time.Second), // 2001:db8::0 at 0, 2 and 4 s
	}
	if fmt.Sprint(titles) != fmt.Sprint(want) {
		t.Errorf("findings = %v\nwant %v", titles, want)
	}
	if got := testutil.ToFloat64(d.m.parseFailures.WithLabelValues("json")); got != 1 {
		t.Errorf("json parse failures = %v, want 1", got)
	}
}

// TestMaxLineBytes: a source's max_line_bytes cuts its lines; the cut line
// is still evaluated (on its kept part) and counted.
func TestMaxLineBytes(t *testing.T) {
	dir := t.TempDir()
	long := "ALERT " + strings.Repeat("x", 2000) + " tail"
	os.WriteFile(filepath.Join(dir, "app.log"), []byte(long+"\nALERT short tail\n"), 0o600)
	found, d := readAll(t, dir, `
source "file" "app" {
  paths          = ["./app.log"]
  start_at       = "beginning"
  max_line_bytes = 1024
}
rule "alert" {
  source = "app"
  match  = "^ALERT (?P<rest>.*)$"
}`)
	if len(found) != 2 || len(found[0].Fields["rest"]) != 1024-len("ALERT ") || found[1].Fields["rest"] != "short tail" {
		t.Errorf("findings = %d, first rest %d bytes", len(found), len(found[0].Fields["rest"]))
	}
	if got := testutil.ToFloat64(d.m.linesTruncated.WithLabelValues("app")); got != 1 {
		t.Errorf("lines truncated = %v, want 1", got)
	}
}
