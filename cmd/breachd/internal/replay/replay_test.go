package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/bench/authlog"
	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/rules"
)

const config = `
source "file" "auth" {
  paths    = ["/var/log/auth.log"]
  format   = "syslog"
  timezone = "UTC"
}
source "file" "app" {
  paths = ["/var/log/app.log"]
}
rule "ssh" {
  source = "auth"
  match  = "^Failed password for (?P<user>.*) from (?P<ip>\\S+) port \\d+ ssh2$"
  threshold {
    count    = 3
    within   = "1m"
    group_by = ["ip"]
  }
  incident { title = "SSH brute force from ${ip}" }
  actions = ["block"]
}
rule "root" {
  source = "auth"
  match  = "^Failed password for root "
}
action "exec" "block" {
  argv = ["/bin/echo", "block", "${ip}"]
}
`

// writeLog writes an auth log whose lines carry their own times, 20 s
// apart, and dates the file after its last line, as a real log is.
func writeLog(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "auth.log")
	start := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	var b strings.Builder
	ips := []string{"203.0.113.7", "203.0.113.7", "198.51.100.9", "203.0.113.7", "203.0.113.7"}
	for i, ip := range ips {
		fmt.Fprintf(&b, "%s web1 sshd[1]: Failed password for admin from %s port 22 ssh2\n", start.Add(time.Duration(i)*20*time.Second).Format(time.Stamp), ip)
	}
	os.WriteFile(path, []byte(b.String()), 0o600)
	os.Chtimes(path, start.Add(time.Hour), start.Add(time.Hour))
	return path
}

func replay(t *testing.T, mode Mode, rule string, files ...string) (string, *Summary) {
	t.Helper()
	cfg, diags := configs.Parse("t.hcl", []byte(config), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var out bytes.Buffer
	sum, err := Run(context.Background(), Options{Config: cfg, Mode: mode, Rule: rule, Out: &out, Now: time.Now}, files, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), sum
}

func TestDescribe(t *testing.T) {
	path := writeLog(t, t.TempDir())
	out, sum := replay(t, Describe, "", path)
	// 203.0.113.7 at 0, 20, 60 and 80 s: the third (line 4) fires, the
	// fourth (line 5) fires again and attaches.
	want := path + `:4: 2026-03-01T10:01:00Z ssh ip=203.0.113.7 (3 events)
    opens incident 1: "SSH brute force from 203.0.113.7", medium, unclassified
    action block: would run ["/bin/echo" "block" "203.0.113.7"]
` + path + `:5: 2026-03-01T10:01:20Z ssh ip=203.0.113.7 (3 events)
    attaches to incident 1
`
	if out != want {
		t.Errorf("output:\n%s\nwant:\n%s", out, want)
	}
	if sum.Lines != 5 || sum.Rules["ssh"].Matches != 5 || sum.Rules["ssh"].Findings != 2 || sum.Rules["root"].Matches != 0 {
		t.Errorf("summary = %+v %+v", sum, sum.Rules["ssh"])
	}
	var table bytes.Buffer
	sum.Print(&table)
	if !strings.Contains(table.String(), "ssh   5        2         1") || !strings.Contains(table.String(), "5 lines") {
		t.Errorf("table:\n%s", table.String())
	}
}

func TestJSONModes(t *testing.T) {
	path := writeLog(t, t.TempDir())
	out, _ := replay(t, Matches, "ssh", path)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var m MatchLine
	if len(lines) != 5 || json.Unmarshal([]byte(lines[2]), &m) != nil || m.Line != 3 || m.File != path || m.Rule != "ssh" ||
		m.Fields["ip"] != "198.51.100.9" || m.Fields["user"] != "admin" || m.Fields["program"] != "sshd" {
		t.Errorf("matches:\n%s", out)
	}
	out, _ = replay(t, Findings, "", path)
	want := `{"rule":"ssh","time":"2026-03-01T10:01:00Z","key":{"ip":"203.0.113.7"}}
{"rule":"ssh","time":"2026-03-01T10:01:20Z","key":{"ip":"203.0.113.7"}}
`
	if out != want {
		t.Errorf("findings:\n%s\nwant:\n%s", out, want)
	}
}

func TestSourceSelection(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other.log")
	os.WriteFile(other, []byte("x\n"), 0o600)
	cfg, _ := configs.Parse("t.hcl", []byte(config), "/")
	_, err := Run(context.Background(), Options{Config: cfg, Out: &bytes.Buffer{}, Now: time.Now}, []string{other}, nil)
	if err == nil || !strings.Contains(err.Error(), "--source") {
		t.Errorf("a file no source names: %v", err)
	}
	_, err = Run(context.Background(), Options{Config: cfg, Rule: "nope", Out: &bytes.Buffer{}, Now: time.Now}, []string{other}, nil)
	if err == nil {
		t.Error("an unknown rule replays")
	}
}

// benchLog writes the generated mixed auth log of bench/authlog (100,000
// lines: benign sessions, cron and timers, 10 % SSH failures from brute
// force, slow and distributed attackers), dated after its last line, and
// returns its path, size and line count.
func benchLog(b *testing.B) (string, int64, int) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "auth.log")
	var buf bytes.Buffer
	const n = 100_000
	if _, err := authlog.Generate(&buf, authlog.Options{Lines: n, Duration: 4 * time.Hour}); err != nil {
		b.Fatal(err)
	}
	os.WriteFile(path, buf.Bytes(), 0o600)
	end := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	os.Chtimes(path, end, end)
	return path, int64(buf.Len()), n
}

func benchReplay(b *testing.B, cfg *configs.Config) {
	path, size, n := benchLog(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), Options{Config: cfg, Source: "auth", Out: io.Discard, Now: time.Now}, []string{path}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkReplay replays the bench log through an SSH brute-force rule, as
// breachd replay does, reporting lines/s.
func BenchmarkReplay(b *testing.B) {
	cfg, diags := configs.Parse("t.hcl", []byte(config), "/")
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	benchReplay(b, cfg)
}

// BenchmarkReplayPacks replays the bench log through every shipped rule
// pack.
func BenchmarkReplayPacks(b *testing.B) {
	cfg, diags := configs.LoadPacks()
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	benchReplay(b, cfg)
}

// TestGroundTruth replays the generated auth log (bench/authlog) through
// the 5-in-60-s rule of bench/configs and checks that exactly the
// addresses of the ground truth are caught: brute force and bursts of
// exactly five, not the near misses, slow attackers, split bursts, botnet
// addresses or users mistyping their password.
func TestGroundTruth(t *testing.T) {
	const rule = "../../../../bench/configs/sshd-60s.hcl"
	src, err := os.ReadFile(rule)
	if err != nil {
		t.Fatal(err)
	}
	cfg, diags := configs.Parse(rule, src, "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	path := filepath.Join(t.TempDir(), "auth.log")
	var log bytes.Buffer
	truth, err := authlog.Generate(&log, authlog.Options{Lines: 100_000, Duration: 144 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, log.Bytes(), 0o600)
	end := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	os.Chtimes(path, end, end)
	var out bytes.Buffer
	if _, err := Run(context.Background(), Options{Config: cfg, Mode: Findings, Out: &out, Now: time.Now}, []string{path}, nil); err != nil {
		t.Fatal(err)
	}
	caught := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var f struct{ Key map[string]string }
		if err := json.Unmarshal([]byte(l), &f); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		caught[f.Key["ip"]] = true
	}
	for _, ip := range truth.Banned {
		if !caught[ip] {
			t.Errorf("missed %s (%s)", ip, truth.Category[ip])
		}
		delete(caught, ip)
	}
	for ip := range caught {
		t.Errorf("caught %s (%s), which the ground truth does not", ip, truth.Category[ip])
	}
	if len(truth.Banned) < 100 {
		t.Fatalf("only %d addresses to catch: the test checks too little", len(truth.Banned))
	}
}

// TestShardsAgree replays the generated auth log through every shipped
// pack with the rules evaluated on one goroutine and shared out among
// two and three: the report, line numbers and findings in their order,
// and every rule's counts are the same.
func TestShardsAgree(t *testing.T) {
	cfg, diags := configs.LoadPacks()
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if parts := partition(cfg.Rules, 2); len(parts) != 2 || len(parts[0]) == 0 || len(parts[1]) == 0 {
		t.Fatalf("the packs' rules are not shared out: %d shards", len(parts))
	}
	path := filepath.Join(t.TempDir(), "auth.log")
	var log bytes.Buffer
	if _, err := authlog.Generate(&log, authlog.Options{Lines: 30_000, Duration: time.Hour}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, log.Bytes(), 0o600)
	end := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	os.Chtimes(path, end, end)
	replay := func(mode Mode, shards int) (string, *Summary) {
		var out bytes.Buffer
		sum, err := Run(context.Background(), Options{Config: cfg, Source: "auth", Mode: mode, Out: &out, Now: time.Now, Shards: shards}, []string{path}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return out.String(), sum
	}
	for _, mode := range []Mode{Describe, Findings} {
		want, one := replay(mode, 1)
		if strings.Count(want, "\n") < 50 {
			t.Fatalf("mode %d: %d lines of report; the log exercises too little", mode, strings.Count(want, "\n"))
		}
		for _, shards := range []int{2, 3} {
			got, sum := replay(mode, shards)
			if got != want {
				t.Errorf("mode %d, %d shards: the report differs from one shard's", mode, shards)
			}
			for name, r := range one.Rules {
				s := sum.Rules[name]
				if s.Matches != r.Matches || s.Findings != r.Findings || s.Evicted != r.Evicted || len(s.keys) != len(r.keys) {
					t.Errorf("%d shards, rule %s: %+v, one shard %+v", shards, name, s, r)
				}
			}
			if sum.Lines != one.Lines || sum.Lines != 30_000 {
				t.Errorf("%d shards read %d lines, one %d", shards, sum.Lines, one.Lines)
			}
		}
	}
}

// failingWriter fails every write after the first n bytes.
type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

// TestReplayStopsOnWriteError: a report that cannot be written stops the
// replay with the error, the reading stage and the shards with it.
func TestReplayStopsOnWriteError(t *testing.T) {
	cfg, diags := configs.LoadPacks()
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	path := filepath.Join(t.TempDir(), "auth.log")
	var log bytes.Buffer
	if _, err := authlog.Generate(&log, authlog.Options{Lines: 100_000, Duration: 4 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, log.Bytes(), 0o600)
	for _, shards := range []int{1, 2} {
		_, err := Run(context.Background(), Options{Config: cfg, Source: "auth", Mode: Findings, Out: &failingWriter{n: 200}, Now: time.Now, Shards: shards}, []string{path}, nil)
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%d shards: replay returned %v, want the write's error", shards, err)
		}
	}
	// --matches too (it dropped the error and read on).
	w := &failingWriter{n: 200}
	_, err := Run(context.Background(), Options{Config: cfg, Source: "auth", Mode: Matches, Out: w, Now: time.Now}, []string{path}, nil)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("--matches: replay returned %v, want the write's error", err)
	}
}

// TestBatchKeepsEvents: a batch's events keep their bytes after the
// reader's and the parser's buffers are reused, whether a parser returned
// parts of the line (syslog) or bytes of its own (an unescaped JSON
// value), and an empty message stays empty, not absent.
func TestBatchKeepsEvents(t *testing.T) {
	line := []byte("<host> prog: the message")
	own := []byte("unescaped \"value\"")
	var b batch
	b.add(rules.Event{Line: line, Message: line[13:], Fields: [][]byte{line[1:5], own, nil}})
	b.add(rules.Event{Line: []byte("x"), Message: []byte{}})
	for i := range line {
		line[i] = '#'
	}
	for i := range own {
		own[i] = '#'
	}
	ev := b.events[0]
	if string(ev.Line) != "<host> prog: the message" || string(ev.Message) != "the message" ||
		string(ev.Fields[0]) != "host" || string(ev.Fields[1]) != `unescaped "value"` || ev.Fields[2] != nil {
		t.Errorf("kept event = %q %q %q", ev.Line, ev.Message, ev.Fields)
	}
	if m := b.events[1].Message; m == nil || len(m) != 0 {
		t.Errorf("empty message kept as %#v", m)
	}
}

// TestSourceByPathTail: a copied log is claimed by the source whose path
// shares the most trailing components with it, so Apache's error.log is
// not read as MySQL's, and a file name matching a glob is claimed.
func TestSourceByPathTail(t *testing.T) {
	cfg, diags := configs.Parse("t.hcl", []byte(`
source "file" "mysql" {
  paths = ["/var/log/mysql/error.log"]
  format = "raw"
}
source "file" "apache" {
  paths = ["/var/log/apache2/error.log"]
  format = "raw"
}
source "file" "pg" {
  paths = ["/var/log/postgresql/postgresql-*-main.log"]
  format = "raw"
}
`), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	dir := t.TempDir()
	for path, want := range map[string]string{
		"copy/var/log/apache2/error.log":                 "apache",
		"copy/var/log/mysql/error.log":                   "mysql",
		"copy/postgresql-16-main.log":                    "pg",
		"copy/var/log/postgresql/postgresql-16-main.log": "pg",
	} {
		p := filepath.Join(dir, path)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("x\n"), 0o600)
		sum, err := Run(context.Background(), Options{Config: cfg, Out: &bytes.Buffer{}, Now: time.Now}, []string{p}, nil)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if f := sum.Files[0]; f.Source != want || !f.Claimed {
			t.Errorf("%s read as source %q (claimed %v), want %q", path, f.Source, f.Claimed, want)
		}
	}
}

// TestOnlyTheRulesOfTheSourcesRead: a replay compiles and reports only
// the rules of the sources its files are read as; a rule of another log
// (an absent rule above all) says nothing about files it never saw.
func TestOnlyTheRulesOfTheSourcesRead(t *testing.T) {
	cfg, diags := configs.Parse("t.hcl", []byte(`
source "file" "auth" {
  paths  = ["/var/log/auth.log"]
  format = "raw"
}
source "file" "mail" {
  paths  = ["/var/log/mail.log"]
  format = "raw"
}
rule "auth-x" {
  source = "auth"
  match  = "x"
}
rule "auth-silent" {
  source = "auth"
  absent {
    within = "1h"
  }
}
rule "mail-x" {
  source = "mail"
  match  = "x"
}
`), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	p := filepath.Join(t.TempDir(), "mail.log")
	os.WriteFile(p, []byte("x\nx\n"), 0o600)
	sum, err := Run(context.Background(), Options{Config: cfg, Out: &bytes.Buffer{}, Now: time.Now}, []string{p}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Rules) != 1 || sum.Rules["mail-x"] == nil || sum.Rules["mail-x"].Matches != 2 {
		t.Errorf("rules replayed: %v, want mail-x only, with 2 matches", slices.Sorted(maps.Keys(sum.Rules)))
	}
}
