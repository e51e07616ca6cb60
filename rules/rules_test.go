package rules

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/breachd/breachd/configs"
)

const sshRules = `
source "file" "auth" {
  paths = ["/var/log/auth.log"]
}
rule "ssh" {
  source = "auth"
  match  = "Failed password for (invalid user )?(?P<user>\\S*) from (?P<ip>\\S+) port"
  where  = "!ip_in(ip, '10.0.0.0/8')"
  threshold {
    count    = 5
    within   = "1m"
    group_by = ["ip"]
  }
  severity = "high"
  incident {
    title    = "SSH brute force from ${ip} (${user})"
    category = "unauthorized-access"
  }
}
`

func compile(t testing.TB, src string, opts Options) *Engine {
	t.Helper()
	cfg, diags := configs.Parse("test.hcl", []byte(src), "/etc/breachd")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	e, diags := Compile(cfg, opts)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return e
}

func failure(ip string) []byte {
	return []byte("Nov 23 10:00:00 h sshd[1]: Failed password for root from " + ip + " port 22 ssh2")
}

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func TestThresholdSlidingWindow(t *testing.T) {
	tests := []struct {
		name  string
		gaps  []time.Duration // time of each failure from t0
		fires []int           // indexes of events that produce a finding
	}{
		{"five within a minute fire on the fifth", secs(0, 1, 2, 3, 4), []int{4}},
		{"four never fire", secs(0, 1, 2, 3), nil},
		{"exactly the window is inside", secs(0, 15, 30, 45, 60), []int{4}},
		{"just outside the window does not fire", secs(0, 15, 30, 45, 61), nil},
		{"slow brute force 16s apart never fires", secs(0, 16, 32, 48, 64, 80, 96), nil},
		{"the window slides: old events drop out", secs(0, 10, 20, 30, 65, 66), []int{5}},
		{"every event past the threshold fires", secs(0, 1, 2, 3, 4, 5), []int{4, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := compile(t, sshRules, Options{})
			var fired []int
			for i, d := range tt.gaps {
				out := e.Evaluate(Event{Source: "auth", Line: failure("203.0.113.7"), Time: t0.Add(d)}, nil)
				if len(out) > 0 {
					fired = append(fired, i)
				}
			}
			if fmt.Sprint(fired) != fmt.Sprint(tt.fires) {
				t.Errorf("fired on events %v, want %v", fired, tt.fires)
			}
		})
	}
}

func secs(s ...int) []time.Duration {
	out := make([]time.Duration, len(s))
	for i, v := range s {
		out[i] = time.Duration(v) * time.Second
	}
	return out
}

func TestFindingContents(t *testing.T) {
	e := compile(t, sshRules, Options{})
	var out []Finding
	for i := range 5 {
		out = e.Evaluate(Event{Source: "auth", Line: failure("2001:db8::1"), Time: t0.Add(time.Duration(i) * time.Second)}, out[:0])
		// Another address interleaved, four times, never joins the first
		// one's window.
		if i == 4 {
			continue
		}
		if o := e.Evaluate(Event{Source: "auth", Line: failure("198.51.100.1"), Time: t0}, nil); len(o) != 0 {
			t.Fatalf("second address fired: %+v", o)
		}
	}
	if len(out) != 1 {
		t.Fatalf("got %d findings, want 1", len(out))
	}
	f := out[0]
	if f.Rule != "ssh" || f.Severity != configs.SeverityHigh || f.Category != "unauthorized-access" ||
		f.Title != "SSH brute force from 2001:db8::1 (root)" || f.GroupKey != "ip=2001:db8::1" ||
		f.Fingerprint != "ssh/ip=2001:db8::1" || f.Count != 5 || f.Fields["user"] != "root" || f.Fields["source"] != "auth" {
		t.Errorf("finding = %+v", f)
	}
	// Events of another source are not evaluated by this rule.
	if out := e.Evaluate(Event{Source: "other", Line: failure("2001:db8::1"), Time: t0}, nil); len(out) != 0 {
		t.Errorf("rule ran on another source: %+v", out)
	}
}

func TestWhereFilters(t *testing.T) {
	e := compile(t, sshRules, Options{})
	for i := range 10 {
		if out := e.Evaluate(Event{Source: "auth", Line: failure("10.1.2.3"), Time: t0.Add(time.Duration(i) * time.Second)}, nil); len(out) != 0 {
			t.Fatalf("where did not exclude 10.1.2.3: %+v", out)
		}
	}
	if s := e.Stats()[0]; s.Matches != 0 || s.Keys != 0 {
		t.Errorf("stats = %+v, want no matches and no keys", s)
	}
}

func TestWhereRuntimeErrorCountsAsNoMatch(t *testing.T) {
	src := strings.Replace(sshRules, "'10.0.0.0/8'", "'not-a-cidr'", 1)
	src = strings.Replace(src, "!ip_in(ip,", "ip_in(ip,", 1)
	e := compile(t, src, Options{})
	if out := e.Evaluate(Event{Source: "auth", Line: failure("203.0.113.7"), Time: t0}, nil); len(out) != 0 {
		t.Fatalf("finding despite a failing condition: %+v", out)
	}
	if s := e.Stats()[0]; s.WhereErrors != 1 || s.Matches != 0 {
		t.Errorf("stats = %+v, want 1 where error", s)
	}
}

func TestWindowKeysAreBoundedAndExpire(t *testing.T) {
	e := compile(t, sshRules, Options{MaxKeysPerRule: 100})
	for i := range 1000 {
		e.Evaluate(Event{Source: "auth", Line: failure(fmt.Sprintf("198.51.%d.%d", i/256, i%256)), Time: t0}, nil)
	}
	s := e.Stats()[0]
	if s.Keys != 100 || s.Evictions != 900 {
		t.Errorf("after 1000 addresses with a cap of 100: keys %d evictions %d, want 100 and 900", s.Keys, s.Evictions)
	}
	// Past the window every key has expired and is dropped, not evicted.
	e.Evaluate(Event{Source: "auth", Line: failure("203.0.113.7"), Time: t0.Add(2 * time.Minute)}, nil)
	if s := e.Stats()[0]; s.Keys != 1 || s.Evictions != 900 {
		t.Errorf("after the window: keys %d evictions %d, want 1 and 900", s.Keys, s.Evictions)
	}
}

func TestHugeCaptureKeepsKeysSmall(t *testing.T) {
	e := compile(t, sshRules, Options{})
	ip := strings.Repeat("A", 100_000)
	var out []Finding
	for i := range 5 {
		out = e.Evaluate(Event{Source: "auth", Line: failure(ip), Time: t0.Add(time.Duration(i) * time.Second)}, nil)
	}
	if len(out) != 1 || !strings.HasPrefix(out[0].GroupKey, "sha256:") || len(out[0].GroupKey) > 100 {
		t.Errorf("a huge key gave %d findings: %.200v", len(out), out)
	}
}

func TestRuleWithoutThresholdFiresOnEveryMatch(t *testing.T) {
	e := compile(t, `
source "file" "app" { paths = ["/x"] }
rule "any" {
  source = "app"
  match  = "panic: (?P<msg>.*)"
}`, Options{})
	out := e.Evaluate(Event{Source: "app", Line: []byte("panic: boom"), Time: t0}, nil)
	if len(out) != 1 || out[0].Title != "any" || out[0].Fingerprint != "any" || out[0].Count != 1 || out[0].Fields["msg"] != "boom" {
		t.Errorf("findings = %+v", out)
	}
}

func TestCompileDiagnostics(t *testing.T) {
	base := `
source "file" "auth" { paths = ["/x"] }
action "exec" "block" { argv = ["/usr/bin/true", "${addr}"] }
`
	tests := []struct {
		name, rule string
		summary    string
		line       int
	}{
		{"bad regex", `rule "r" {
  source = "auth"
  match  = "(?P<ip>"
}`, "Invalid match expression", 6},
		{"reserved capture", `rule "r" {
  source = "auth"
  match  = "(?P<line>x)"
}`, "Reserved capture name", 6},
		{"unknown group_by", `rule "r" {
  source = "auth"
  match  = "(?P<ip>x)"
  threshold {
    count    = 2
    within   = "1m"
    group_by = ["user"]
  }
}`, "Unknown field", 10},
		{"unknown title field", `rule "r" {
  source = "auth"
  match  = "(?P<ip>x)"
  incident {
    title = "from ${address}"
  }
}`, "Unknown field", 8},
		{"action needs a field the rule lacks", `rule "r" {
  source  = "auth"
  match   = "(?P<ip>x)"
  actions = ["block"]
}`, "Unknown field", 7},
		{"process action needs a field the rule lacks", `rule "r" {
  source  = "auth"
  match   = "(?P<ip>x)"
  actions = ["kill-user"]
}
action "process" "kill-user" { user = "${user}" }`, "Unknown field", 7},
		{"account action needs a field the rule lacks", `rule "r" {
  source  = "auth"
  match   = "(?P<ip>x)"
  actions = ["lock"]
}
action "account" "lock" { user = "${user}" }`, "Unknown field", 7},
		{"non-boolean where", `rule "r" {
  source = "auth"
  match  = "(?P<ip>x)"
  where  = "ip + 'x'"
}`, "Invalid where condition", 7},
		{"where error inside a heredoc", `rule "r" {
  source = "auth"
  match  = "(?P<ip>x)"
  where  = <<-EXPR
    ip != '' &&
      nope == 1
  EXPR
}`, "Invalid where condition", 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, diags := configs.Parse("test.hcl", []byte(base+tt.rule), "/")
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			_, diags = Compile(cfg, Options{})
			if len(diags) != 1 {
				t.Fatalf("got %d diagnostics, want 1: %v", len(diags), diags)
			}
			d := diags[0]
			if d.Summary != tt.summary || d.Subject == nil || d.Subject.Start.Line != tt.line {
				t.Errorf("got %q at %v, want %q on line %d (%s)", d.Summary, d.Subject, tt.summary, tt.line, d.Detail)
			}
			if d.Severity != hcl.DiagError || !strings.HasSuffix(d.Detail, ".") {
				t.Errorf("detail must be a sentence: %q", d.Detail)
			}
		})
	}
}

func TestWhereErrorColumnInHeredoc(t *testing.T) {
	src := `
source "file" "auth" { paths = ["/x"] }
rule "r" {
  source = "auth"
  match  = "(?P<ip>x)"
  where  = <<-EXPR
    ip != '' &&
      nope == 1
  EXPR
}`
	cfg, _ := configs.Parse("test.hcl", []byte(src), "/")
	_, diags := Compile(cfg, Options{})
	if len(diags) != 1 || diags[0].Subject.Start.Line != 8 || diags[0].Subject.Start.Column != 7 {
		t.Fatalf("diagnostic at %v, want line 8 column 7 (the 'nope')", diags)
	}
}

func BenchmarkEvaluateNoMatch(b *testing.B) {
	e := compile(b, sshRules, Options{})
	line := []byte("Nov 23 10:00:00 web1 CRON[4242]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)")
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	for i := 0; b.Loop(); i++ {
		e.Evaluate(Event{Source: "auth", Line: line, Time: t0}, nil)
	}
}

// BenchmarkEvaluateMatch: every line matches and passes where, from
// addresses that each fail once (a spraying botnet), so each opens a window
// key and none fires.
func BenchmarkEvaluateMatch(b *testing.B) {
	e := compile(b, sshRules, Options{})
	lines := make([][]byte, 4096)
	for i := range lines {
		lines[i] = failure(fmt.Sprintf("198.51.%d.%d", i/256, i%256))
	}
	b.ReportAllocs()
	var out []Finding
	for i := 0; b.Loop(); i++ {
		out = e.Evaluate(Event{Source: "auth", Line: lines[i%len(lines)], Time: t0.Add(time.Duration(i) * time.Second)}, out[:0])
	}
	if len(out) != 0 {
		b.Fatal("unexpected finding")
	}
}

// BenchmarkEvaluateMatchTracked is BenchmarkEvaluateMatch with the
// changes tracked as the daemon does (TrackChanges), exported every 4096
// lines as a batch commit does: the cost of keeping the state across
// restarts.
func BenchmarkEvaluateMatchTracked(b *testing.B) {
	e := compile(b, sshRules, Options{})
	e.TrackChanges()
	lines := make([][]byte, 4096)
	for i := range lines {
		lines[i] = failure(fmt.Sprintf("198.51.%d.%d", i/256, i%256))
	}
	b.ReportAllocs()
	var out []Finding
	var states []KeyState
	for i := 0; b.Loop(); i++ {
		out = e.Evaluate(Event{Source: "auth", Line: lines[i%len(lines)], Time: t0.Add(time.Duration(i) * time.Second)}, out[:0])
		if i%4096 == 4095 {
			states = e.Changes("auth", states[:0])
		}
	}
}

// BenchmarkEvaluateFinding: one address past its threshold, so every line
// produces a finding (title rendered, fields copied).
func BenchmarkEvaluateFinding(b *testing.B) {
	e := compile(b, sshRules, Options{})
	line := failure("203.0.113.7")
	b.ReportAllocs()
	var out []Finding
	for i := 0; b.Loop(); i++ {
		out = e.Evaluate(Event{Source: "auth", Line: line, Time: t0.Add(time.Duration(i) * time.Millisecond)}, out[:0])
	}
}

func TestWhereCanReadTheWholeLine(t *testing.T) {
	e := compile(t, `
source "file" "app" { paths = ["/x"] }
rule "r" {
  source = "app"
  match  = "login (?P<user>\\S+)"
  where  = "line contains 'FAILED' && source == 'app'"
}`, Options{})
	if out := e.Evaluate(Event{Source: "app", Line: []byte("login bob ok"), Time: t0}, nil); len(out) != 0 {
		t.Errorf("fired without FAILED: %+v", out)
	}
	if out := e.Evaluate(Event{Source: "app", Line: []byte("login bob FAILED"), Time: t0}, nil); len(out) != 1 {
		t.Errorf("did not fire with FAILED in the line")
	}
}

func TestSyslogSourceFields(t *testing.T) {
	e := compile(t, `
source "file" "auth" {
  paths  = ["/x"]
  format = "syslog"
}
rule "root" {
  source = "auth"
  match  = "^Accepted \\S+ for root from (?P<ip>\\S+)"
  where  = "program == 'sshd' && host != 'bastion'"
  incident { title = "root login on ${host} from ${ip} (pid ${pid})" }
}`, Options{})
	ev := func(host, prog string) Event {
		line := []byte("Nov 23 10:00:00 " + host + " " + prog + "[7]: Accepted password for root from 192.0.2.4 port 22")
		msg := line[len("Nov 23 10:00:00 "+host+" "+prog+"[7]: "):]
		return Event{Source: "auth", Line: line, Message: msg, Fields: [][]byte{[]byte(host), []byte(prog), []byte("7")}, Time: t0}
	}
	if out := e.Evaluate(ev("web1", "sshd"), nil); len(out) != 1 || out[0].Title != "root login on web1 from 192.0.2.4 (pid 7)" || out[0].Fields["program"] != "sshd" {
		t.Errorf("findings = %+v", out)
	}
	if out := e.Evaluate(ev("bastion", "sshd"), nil); len(out) != 0 {
		t.Errorf("where on host ignored: %+v", out)
	}
	if out := e.Evaluate(ev("web1", "dropbear"), nil); len(out) != 0 {
		t.Errorf("where on program ignored: %+v", out)
	}
}

func TestSyslogFieldNamesAreReservedOnlyForSyslogSources(t *testing.T) {
	rule := `
rule "r" {
  source = "s"
  match  = "(?P<host>\\S+)"
}`
	cfg, _ := configs.Parse("t.hcl", []byte(`source "file" "s" {
  paths  = ["/x"]
  format = "raw"
}`+rule), "/")
	if _, diags := Compile(cfg, Options{}); diags.HasErrors() {
		t.Errorf("raw source: %v", diags)
	}
	// Without a format a file source is auto: its lines may be syslog.
	cfg, _ = configs.Parse("t.hcl", []byte(`source "file" "s" { paths = ["/x"] }`+rule), "/")
	if _, diags := Compile(cfg, Options{}); !diags.HasErrors() || diags[0].Summary != "Reserved capture name" {
		t.Errorf("auto source: %v", diags)
	}
	cfg, _ = configs.Parse("t.hcl", []byte("source \"file\" \"s\" {\n  paths  = [\"/x\"]\n  format = \"syslog\"\n}"+rule), "/")
	if _, diags := Compile(cfg, Options{}); !diags.HasErrors() || diags[0].Summary != "Reserved capture name" {
		t.Errorf("syslog source: %v", diags)
	}
}

// fire feeds lines (message, seconds from t0) to the engine and returns the
// indexes of the events that produced a finding, with the findings.
func fire(e *Engine, source string, lines []string, at []int) ([]int, []Finding) {
	var idx []int
	var all []Finding
	for i, l := range lines {
		out := e.Evaluate(Event{Source: source, Line: []byte(l), Time: t0.Add(time.Duration(at[i]) * time.Second)}, nil)
		if len(out) > 0 {
			idx = append(idx, i)
			all = append(all, out...)
		}
	}
	return idx, all
}

const rawSource = `
source "file" "app" {
  paths = ["/x"]
}
`

// TestDistinctCountsSpraying: 4 distinct users from one address fire a
// distinct = "user" threshold of 4; the same user repeated does not.
func TestDistinctCountsSpraying(t *testing.T) {
	e := compile(t, rawSource+`
rule "spray" {
  source = "app"
  match  = "login failed user=(?P<user>\\S+) ip=(?P<ip>\\S+)"
  threshold {
    count    = 4
    within   = "1m"
    group_by = ["ip"]
    distinct = "user"
  }
}`, Options{})
	lines := []string{
		"login failed user=alice ip=192.0.2.1", "login failed user=alice ip=192.0.2.1", "login failed user=bob ip=192.0.2.1",
		"login failed user=root ip=192.0.2.1", "login failed user=root ip=192.0.2.1", "login failed user=carol ip=192.0.2.1",
		// Another address repeating one user: never fires.
		"login failed user=admin ip=192.0.2.2", "login failed user=admin ip=192.0.2.2", "login failed user=admin ip=192.0.2.2", "login failed user=admin ip=192.0.2.2",
		// alice again 61 s after her first failure: bob, root, carol and
		// alice are within the window, so it fires again.
		"login failed user=alice ip=192.0.2.1",
	}
	got, findings := fire(e, "app", lines, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 61})
	if fmt.Sprint(got) != "[5 10]" {
		t.Errorf("fired on %v, want [5 10]", got)
	}
	if len(findings) > 0 && (findings[0].Count != 4 || findings[0].GroupKey != "ip=192.0.2.1") {
		t.Errorf("finding = %+v", findings[0])
	}
	// Distinct values that fall out of the window stop counting.
	e = compile(t, rawSource+`
rule "spray" {
  source = "app"
  match  = "login failed user=(?P<user>\\S+) ip=(?P<ip>\\S+)"
  threshold {
    count    = 3
    within   = "10s"
    group_by = ["ip"]
    distinct = "user"
  }
}`, Options{})
	got, _ = fire(e, "app", []string{"login failed user=a ip=x", "login failed user=b ip=x", "login failed user=c ip=x"}, []int{0, 5, 11})
	if len(got) != 0 {
		t.Errorf("a, b, c over 11 s fired with a 10 s window: %v", got)
	}
}

func TestCooldown(t *testing.T) {
	e := compile(t, rawSource+`
rule "r" {
  source = "app"
  match  = "denied ip=(?P<ip>\\S+)"
  threshold {
    count    = 2
    within   = "1m"
    group_by = ["ip"]
    cooldown = "30s"
  }
}`, Options{})
	lines := make([]string, 6)
	for i := range lines {
		lines[i] = "denied ip=192.0.2.9"
	}
	got, _ := fire(e, "app", lines, []int{0, 1, 2, 20, 31, 32})
	if fmt.Sprint(got) != "[1 4]" {
		t.Errorf("fired on %v, want [1 4] (once, then again after the 30 s cooldown)", got)
	}
}

func TestMatchListAndHelpers(t *testing.T) {
	e := compile(t, rawSource+`
rule "r" {
  source = "app"
  match  = [
    "^denied from (?P<ip>\\S+) user (?P<user>\\S+)$",
    "^card (?P<card>[0-9 -]+) seen$",
  ]
  where = "(ip != '' && ip_version(ip) == 6 && !is_loopback_ip(ip) && lower(user) == 'root') || (card != '' && luhn(card)) || (user == 'night' && time.Hour() < 6)"
}
rule "off" {
  source  = "app"
  match   = "denied"
  enabled = false
}
rule "dry" {
  source  = "app"
  match   = "^card"
  dry_run = true
  tags    = ["T1552"]
}`, Options{})
	tests := []struct {
		line  string
		rules string
	}{
		{"denied from 2001:db8::1 user ROOT", "[r]"},
		{"denied from ::1 user root", "[]"},
		{"denied from 192.0.2.1 user root", "[]"},
		{"card 4111 1111 1111 1111 seen", "[r dry]"},
		{"card 4111 1111 1111 1112 seen", "[dry]"},
	}
	for _, tt := range tests {
		var names []string
		for _, f := range e.Evaluate(Event{Source: "app", Line: []byte(tt.line), Time: t0}, nil) {
			names = append(names, f.Rule)
			if f.Rule == "dry" && (!f.DryRun || fmt.Sprint(f.Tags) != "[T1552]") {
				t.Errorf("dry finding = %+v", f)
			}
			if f.Rule == "r" && f.Fields["card"] == "" && f.Fields["ip"] == "" {
				t.Errorf("fields = %v", f.Fields)
			}
		}
		if got := fmt.Sprint(names); got != tt.rules && !(got == "[]" && tt.rules == "[]") {
			t.Errorf("%q: rules %s, want %s", tt.line, got, tt.rules)
		}
	}
	if len(e.Rules()) != 2 {
		t.Errorf("%d rules run, want 2 (off is disabled)", len(e.Rules()))
	}
	// The event's own time: 04:00 is night.
	out := e.Evaluate(Event{Source: "app", Line: []byte("denied from 192.0.2.1 user night"), Time: time.Date(2026, 11, 23, 4, 0, 0, 0, time.UTC)}, nil)
	if len(out) != 1 {
		t.Errorf("night login: %d findings", len(out))
	}
}

const sequenceRules = `
source "file" "auth" {
  paths = ["/var/log/auth.log"]
}
source "file" "vpn" {
  paths = ["/var/log/vpn.log"]
}
rule "compromised" {
  source = "auth"
  sequence {
    by     = ["ip"]
    within = "10m"
    step "failures" {
      match = "^Failed password for (?P<user>.*) from (?P<ip>\\S+) port \\d+ ssh2$"
      count = 3
    }
    step "success" {
      match = "^Accepted password for (?P<user>.*) from (?P<ip>\\S+) port \\d+ ssh2$"
    }
    step "vpn" {
      source = "vpn"
      match  = "^vpn login user=(?P<vpnuser>\\S+) ip=(?P<ip>\\S+)$"
    }
  }
  incident { title = "${user} compromised from ${ip}, then VPN as ${vpnuser}" }
}
`

func TestSequence(t *testing.T) {
	fail := func(ip string) Event {
		return Event{Source: "auth", Line: []byte("Failed password for root from " + ip + " port 22 ssh2")}
	}
	ok := func(ip string) Event {
		return Event{Source: "auth", Line: []byte("Accepted password for alice from " + ip + " port 22 ssh2")}
	}
	vpn := func(ip string) Event {
		return Event{Source: "vpn", Line: []byte("vpn login user=al ip=" + ip)}
	}
	const a, b = "203.0.113.7", "198.51.100.9"
	tests := []struct {
		name   string
		events []Event
		at     []int // seconds
		fires  []int
	}{
		{"three failures, a success and the VPN", []Event{fail(a), fail(a), fail(a), ok(a), vpn(a)}, []int{0, 1, 2, 3, 4}, []int{4}},
		{"two failures are not enough", []Event{fail(a), fail(a), ok(a), vpn(a)}, []int{0, 1, 2, 3}, nil},
		{"steps out of order", []Event{fail(a), fail(a), fail(a), vpn(a), ok(a)}, []int{0, 1, 2, 3, 4}, nil},
		{"another address's success", []Event{fail(a), fail(a), fail(a), ok(b), vpn(b)}, []int{0, 1, 2, 3, 4}, nil},
		{"too slow", []Event{fail(a), fail(a), fail(a), ok(a), vpn(a)}, []int{0, 1, 2, 3, 601}, nil},
		{"more failures while waiting", []Event{fail(a), fail(a), fail(a), fail(a), ok(a), fail(a), vpn(a)}, []int{0, 1, 2, 3, 4, 5, 6}, []int{6}},
		{"starts again after the window", []Event{fail(a), fail(a), fail(a), fail(a), fail(a), ok(a), vpn(a)}, []int{0, 1, 700, 701, 702, 703, 704}, []int{6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := compile(t, sequenceRules, Options{})
			var fired []int
			var last Finding
			for i, ev := range tt.events {
				ev.Time = t0.Add(time.Duration(tt.at[i]) * time.Second)
				if out := e.Evaluate(ev, nil); len(out) > 0 {
					fired = append(fired, i)
					last = out[0]
				}
			}
			if fmt.Sprint(fired) != fmt.Sprint(tt.fires) {
				t.Fatalf("fired on %v, want %v", fired, tt.fires)
			}
			if len(fired) > 0 && (last.Title != "alice compromised from 203.0.113.7, then VPN as al" || last.GroupKey != "ip=203.0.113.7" || last.Count != 5 && last.Count != 7) {
				t.Errorf("finding = %+v", last)
			}
		})
	}
}

func TestSequenceErrors(t *testing.T) {
	cfg, diags := configs.Parse("t.hcl", []byte(`
source "file" "auth" {
  paths = ["/x"]
}
rule "r" {
  source = "auth"
  sequence {
    by     = ["ip"]
    within = "1m"
    step "a" {
      match = "from (?P<ip>\\S+)"
    }
    step "b" {
      match = "accepted (?P<user>\\S+)"
    }
  }
}`), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	_, diags = Compile(cfg, Options{})
	if !diags.HasErrors() || diags[0].Summary != "Step without a by field" || diags[0].Subject.Start.Line != 14 {
		t.Errorf("diags = %v", diags)
	}
}

func TestAbsent(t *testing.T) {
	e := compile(t, `
source "file" "auth" {
  paths    = ["/var/log/auth.log"]
  format   = "syslog"
}
rule "auth-silent" {
  source = "auth"
  absent {
    within = "30m"
  }
  incident { title = "auth log silent" }
}
rule "host-silent" {
  source = "auth"
  match  = "session opened"
  absent {
    within   = "30m"
    group_by = ["host"]
  }
  incident { title = "${host} stopped opening sessions" }
}`, Options{})
	if !e.Timed() {
		t.Fatal("no timed rules")
	}
	line := func(host, msg string, m int) Event {
		return Event{Source: "auth", Line: []byte(msg), Message: []byte(msg), Fields: [][]byte{[]byte(host), []byte("cron"), []byte("1")}, Time: t0.Add(time.Duration(m) * time.Minute)}
	}
	tick := func(m int) []string {
		var titles []string
		for _, f := range e.Tick(t0.Add(time.Duration(m)*time.Minute), nil) {
			titles = append(titles, f.Title)
		}
		return titles
	}
	if got := tick(0); got != nil {
		t.Errorf("at start: %v", got)
	}
	e.Evaluate(line("web1", "session opened", 10), nil)
	e.Evaluate(line("web2", "session opened", 12), nil)
	if got := tick(39); got != nil {
		t.Errorf("at 39 min: %v", got)
	}
	e.Evaluate(line("web2", "session opened", 40), nil)
	if got := fmt.Sprint(tick(41)); got != "[web1 stopped opening sessions]" {
		t.Errorf("at 41 min: %v", got)
	}
	if got := fmt.Sprint(tick(71)); got != "[auth log silent web2 stopped opening sessions]" {
		t.Errorf("at 71 min: %s", got)
	}
	if got := tick(200); got != nil {
		t.Errorf("a silence fires once: %v", got)
	}
	e.Evaluate(line("web1", "something else", 210), nil)
	if got := fmt.Sprint(tick(241)); got != "[auth log silent]" {
		t.Errorf("after speaking again: %v", got)
	}
}

func TestMetricRule(t *testing.T) {
	e := compile(t, `
source "scrape" "node" {
  targets = ["http://127.0.0.1:9100/metrics"]
  labels  = ["device"]
}
rule "exfiltration" {
  source = "node"
  metric {
    name   = "node_network_transmit_bytes_total"
    labels = { device = "eth.*" }
    window = "1m"
    when   = "rate > 1000"
    for    = "30s"
  }
  incident { title = "${device} sends ${rate} B/s" }
}`, Options{})
	point := func(dev string, v float64, sec int) Event {
		val := fmt.Sprint(v)
		return Event{Source: "node", Line: []byte(`node_network_transmit_bytes_total{device="` + dev + `"} ` + val),
			Fields: [][]byte{[]byte("node_network_transmit_bytes_total"), []byte(val), []byte("http://x"), []byte(dev)},
			Time:   t0.Add(time.Duration(sec) * time.Second)}
	}
	// eth0 at 10 B/s, then 5,000 B/s from 30 s; lo at 1 MB/s (not matched).
	var got []string
	v := 0.0
	for sec := 0; sec <= 165; sec += 15 {
		rate := 10.0
		if sec > 30 && sec <= 105 {
			rate = 5000
		}
		if sec > 0 {
			v += rate * 15
		}
		for _, f := range e.Evaluate(point("eth0", v, sec), nil) {
			got = append(got, fmt.Sprintf("%ds %s resolved=%v", sec, f.Title, f.Resolved))
		}
		e.Evaluate(point("lo", float64(sec)*1e6, sec), nil)
	}
	// The 1 m rate passes 1000 B/s at 45 s (two fast steps of four), holds
	// for 30 s at 75 s, and falls back under it at 165 s.
	want := "[75s eth0 sends 3752.5 B/s resolved=false 165s eth0 sends 10 B/s resolved=true]"
	if fmt.Sprint(got) != want {
		t.Errorf("got  %v\nwant %s", got, want)
	}
	// A counter reset is growth, not a drop.
	if inc, _ := counterIncrease([]sample{{t0, 100}, {t0.Add(time.Second), 150}, {t0.Add(2 * time.Second), 20}}); inc != 70 {
		t.Errorf("increase across a reset = %v, want 70", inc)
	}
}

func TestIBAN(t *testing.T) {
	for s, want := range map[string]bool{
		"DE89 3704 0044 0532 0130 00": true, "GB82WEST12345698765432": true, "gb82 west 1234 5698 7654 32": true,
		"DE88 3704 0044 0532 0130 00": false, "AB12CDEF34567890": false, "DE89": false, "DE89 3704 0044 0532 0130 00 1234 5678 9012 3456": false,
	} {
		if got := IBAN(s); got != want {
			t.Errorf("IBAN(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestSeenInKeysByHostElseFileElseSource: group_by seen_in keys a window by
// the host a line names, else by its file, else by its source; never by a
// capture, which a sensitive rule's key must not hold.
func TestSeenInKeysByHostElseFileElseSource(t *testing.T) {
	rule := `
rule "ssn" {
  source    = "s"
  match     = "ssn=(?P<ssn>\\d{3}-\\d{2}-\\d{4})"
  sensitive = true
  threshold {
    count    = 1
    within   = "24h"
    cooldown = "24h"
    group_by = ["seen_in"]
  }
}`
	syslog := compile(t, "source \"file\" \"s\" {\n  paths  = [\"/x\"]\n  format = \"syslog\"\n}"+rule, Options{})
	ev := func(host, file, ssn string) Event {
		line := []byte("ssn=" + ssn)
		e := Event{Source: "s", Line: line, Message: line, Time: t0}
		if host != "" || file == "" {
			e.Fields = [][]byte{[]byte(host), []byte("app"), []byte("1")}
		}
		if file != "" {
			e.Path = []byte(file)
		}
		return e
	}
	var keys []string
	for _, e := range []Event{ev("web1", "", "078-05-1120"), ev("web2", "", "078-05-1120"), ev("web1", "", "219-09-9999"), ev("", "/var/log/central.log", "123-45-6789")} {
		for _, f := range syslog.Evaluate(e, nil) {
			keys = append(keys, f.GroupKey)
		}
	}
	if want := []string{"seen_in=web1", "seen_in=web2", "seen_in=/var/log/central.log"}; fmt.Sprint(keys) != fmt.Sprint(want) {
		t.Errorf("syslog keys %q, want %q", keys, want)
	}
	raw := compile(t, `source "file" "s" { paths = ["/x/*.log"] }`+rule, Options{})
	keys = nil
	for _, e := range []Event{ev("", "/x/a.log", "078-05-1120"), ev("", "/x/b.log", "078-05-1120"), ev("", "/x/a.log", "219-09-9999"),
		{Source: "s", Line: []byte("ssn=123-45-6789"), Time: t0}} {
		for _, f := range raw.Evaluate(e, nil) {
			keys = append(keys, f.GroupKey)
		}
	}
	if want := []string{"seen_in=/x/a.log", "seen_in=/x/b.log", "seen_in=s"}; fmt.Sprint(keys) != fmt.Sprint(want) {
		t.Errorf("file keys %q, want %q", keys, want)
	}
}

// TestUnmapIPv4: an IPv4-mapped address is given as its IPv4 address; any
// other value, IPv6 included, as it is.
func TestUnmapIPv4(t *testing.T) {
	for in, want := range map[string]string{
		"::ffff:203.0.113.7": "203.0.113.7",
		"::FFFF:203.0.113.7": "203.0.113.7",
		"2001:db8::7":        "2001:db8::7",
		"::ffff:1:2":         "::ffff:1:2",
		"203.0.113.7":        "203.0.113.7",
		"::ffff:":            "::ffff:",
		"":                   "",
	} {
		if got := string(UnmapIPv4([]byte(in))); got != want {
			t.Errorf("UnmapIPv4(%q) = %q, want %q", in, got, want)
		}
	}
}
