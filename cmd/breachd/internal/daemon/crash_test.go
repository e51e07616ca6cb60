package daemon_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
)

// committedSeq is the highest seq whose incident the daemon reports, -1
// when it does not answer: what it has acknowledged.

// seqRule follows var/app.log from its start and opens one incident per
// line ("seq=N user=U"): a line lost or processed twice shows.
const seqRule = `source "file" "app" {
  paths    = ["./var/app.log"]
  start_at = "beginning"
}
rule "seq" {
  source = "app"
  match  = "^seq=(?P<seq>\\d+) user=(?P<user>\\w+)$"
  threshold {
    count    = 1
    within   = "1s"
    group_by = ["seq"]
  }
  incident { title = "seq ${seq}" }
}
`

func (p *daemonProcess) committedSeq() int {
	resp, err := http.Get("http://" + p.addr + "/api/v1/incidents?limit=1&rule=seq")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	var list httpapi.IncidentList
	body, err := io.ReadAll(resp.Body)
	if err != nil || jsonUnmarshal(body, &list) != nil || len(list.Incidents) == 0 {
		return -1
	}
	n, _ := strconv.Atoi(strings.TrimPrefix(list.Incidents[0].Title, "seq "))
	return n
}

// processConfig writes a config for a daemon run as a child process: a
// server block on a free loopback port (read without a token) and rest,
// in a new folder with var/ made. It returns the folder, the address and
// the config's path.
func processConfig(t *testing.T, rest string) (dir, addr, config string) {
	t.Helper()
	dir = t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr = ln.Addr().String()
	ln.Close()
	config = filepath.Join(dir, "breachd.hcl")
	src := fmt.Sprintf("server {\n  listen         = %q\n  anonymous_role = \"viewer\"\n}\n", addr) + rest
	if err := os.WriteFile(config, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "var"), 0o700); err != nil {
		t.Fatal(err)
	}
	return dir, addr, config
}

// TestCrashKeepsIncidentsAndChain kills the daemon with SIGKILL three times
// while findings stream in (one incident per line, plus findings attaching
// to ten per-user incidents). After the last restart the database passes
// SQLite's integrity check, both hash chains verify, every finding the
// daemon acknowledged before a kill is there, and in the end every line has
// exactly one incident.
func TestCrashKeepsIncidentsAndChain(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	lines, kills := 4000, []int{1000, 2000, 3000}
	if raceEnabled {
		lines, kills = 1500, []int{400, 800, 1200}
	}
	dir, addr, config := processConfig(t, `incidents {
  evidence_lines = 5
}
`+seqRule+`rule "per-user" {
  source = "app"
  match  = "^seq=(?P<seq>\\d+) user=(?P<user>\\w+)$"
  threshold {
    count    = 1
    within   = "1s"
    group_by = ["user"]
  }
  incident { title = "activity of ${user}" }
}
`)
	logPath := filepath.Join(dir, "var", "app.log")
	p := startProcess(t, dir, addr, config)
	p.waitReady()
	w, err := os.OpenFile(logPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// The whole file is written at once; the daemon works through it while
	// it is killed each time it has committed past the next mark.
	for seq := 1; seq <= lines; seq++ {
		if _, err := fmt.Fprintf(w, "seq=%d user=u%d\n", seq, seq%10); err != nil {
			t.Fatal(err)
		}
	}
	acked := 0
	var killedAt []int
	for _, k := range kills {
		deadline := time.Now().Add(tortureTimeout)
		for p.committedSeq() < k {
			if time.Now().After(deadline) {
				t.Fatalf("daemon made no progress past seq %d", acked)
			}
		}
		p.kill()
		// What it acknowledged before dying must survive.
		acked = k
		killedAt = append(killedAt, k)
		p.start()
		p.waitReady()
	}
	deadline := time.Now().Add(tortureTimeout)
	for p.committedSeq() < lines {
		if time.Now().After(deadline) {
			t.Fatalf("daemon stuck at seq %d of %d", p.committedSeq(), lines)
		}
		time.Sleep(5 * time.Millisecond)
	}
	p.stop()

	ctx := context.Background()
	store, err := sqlstore.OpenReadOnly(ctx, filepath.Join(dir, "var", "breachd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if res, err := store.IntegrityCheck(ctx); err != nil || res != "ok" {
		t.Errorf("PRAGMA integrity_check = %q, %v", res, err)
	}
	v, err := store.Verify(ctx)
	if err != nil || !v.OK() {
		t.Errorf("chains after SIGKILLs: %+v, %v", v, err)
	}
	list, err := store.List(ctx, incidents.ListOptions{Limit: lines + 100})
	if err != nil {
		t.Fatal(err)
	}
	perSeq := map[int]int{}
	var perUser int64
	users := 0
	for _, inc := range list {
		switch inc.Rule {
		case "seq":
			n, _ := strconv.Atoi(strings.TrimPrefix(inc.Title, "seq "))
			perSeq[n]++
		case "per-user":
			users++
			perUser += inc.FindingCount
		}
	}
	for n := 1; n <= lines; n++ {
		if perSeq[n] != 1 {
			what := "missing"
			if n > acked {
				what = "missing (not yet acknowledged at the last kill, but the file was there)"
			}
			if perSeq[n] > 1 {
				what = fmt.Sprintf("opened %d times", perSeq[n])
			}
			t.Errorf("seq %d: %s", n, what)
		}
	}
	if users != 10 || perUser != int64(lines) {
		t.Errorf("per-user incidents: %d holding %d findings, want 10 holding %d (every finding attached once)", users, perUser, lines)
	}
	if v.Timeline.Entries != int64(lines+10) {
		t.Errorf("timeline holds %d entries, want one opened entry per incident (%d)", v.Timeline.Entries, lines+10)
	}
	t.Logf("killed after seq %v was acknowledged; chain head %s", killedAt, v.Timeline.Head)
}

// TestRetentionAppliedAtStart: an incident closed more than the retention
// ago has its evidence and timeline content removed when the daemon starts;
// the chain still verifies and the purge is on the timeline.
func TestRetentionAppliedAtStart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	if err := os.MkdirAll(filepath.Join(dir, "var"), 0o700); err != nil {
		t.Fatal(err)
	}
	store, err := sqlstore.Open(ctx, filepath.Join(dir, "var", "breachd.db"))
	if err != nil {
		t.Fatal(err)
	}
	long := time.Now().AddDate(-7, 0, 0)
	inc := incidents.Incident{Fingerprint: "ssh/ip=1", Rule: "ssh", Title: "old", Category: "c", Severity: "high",
		Fields: map[string]string{"ip": "203.0.113.1"}, Evidence: "Failed password for root from 203.0.113.1", FindingCount: 1, FirstSeen: long, LastSeen: long}
	out, err := store.Record(ctx, []incidents.NewIncident{{Incident: inc}}, incidents.Progress{}, long)
	if err != nil {
		t.Fatal(err)
	}
	c := incidents.Change{Actor: "alice", Reason: "a pentest", At: long.Add(time.Hour)}
	if err := store.Transition(ctx, out[0].IncidentID, incidents.StatusFalsePositive, "", c); err != nil {
		t.Fatal(err)
	}
	store.Close()
	h := startIn(t, dir, `
source "file" "auth" { paths = ["./var/auth.log"] }
`)
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", out[0].IncidentID), &d)
	if len(d.Evidence) != 1 || d.Evidence[0].Line != "" || d.Evidence[0].PurgedAt == nil || len(d.Incident.Fields) != 0 {
		t.Errorf("after start: evidence %+v, fields %v; want purged", d.Evidence, d.Incident.Fields)
	}
	if last := d.Timeline[len(d.Timeline)-1]; last.Kind != "purge" || last.Actor != "breachd" || d.Timeline[0].RedactedAt == nil {
		t.Errorf("timeline = %+v", d.Timeline)
	}
	var v incidents.Verification
	h.get("/api/v1/register/verify", &v)
	if !v.OK() || v.Timeline.Redacted != 2 {
		t.Errorf("verify = %+v", v)
	}
}

// TestWebhookSecretFile: a signing key readable by others is refused at
// start with the fix; a private one is accepted.
func TestWebhookSecretFile(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "hook.key")
	if err := os.WriteFile(key, []byte("0123456789abcdef0123456789abcdef\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "breachd.hcl")
	src := `
source "file" "auth" { paths = ["./var/auth.log"] }
action "webhook" "notify" {
  url         = "https://hooks.example.com/breachd"
  secret_file = "hook.key"
}
`
	if err := os.WriteFile(config, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := daemon.New(context.Background(), daemon.Options{ConfigFile: config, Now: time.Now, Listen: "127.0.0.1:0"})
	if err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("world-readable key: %v", err)
	}
	if err := os.Chmod(key, 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := daemon.New(context.Background(), daemon.Options{ConfigFile: config, Now: time.Now, Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := d.Run(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestOutboxSurvivesKill: messages queued while the receiver is down
// survive a SIGKILL; after the restart and the receiver's recovery every
// message arrives, and any duplicate carries the same idempotency key.
func TestOutboxSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	var mu sync.Mutex
	up := false
	got := map[string]int{}
	refused := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if !up {
			refused++
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		got[r.Header.Get("Idempotency-Key")]++
	}))
	defer srv.Close()
	const lines = 40
	dir, addr, config := processConfig(t, fmt.Sprintf(`notifications {
  retry_base   = "20ms"
  retry_max    = "100ms"
  max_attempts = 10000
}
channel "webhook" "oncall" {
  url = %q
}
route "everything" {
  channels = ["oncall"]
}
`+seqRule, srv.URL))
	logPath := filepath.Join(dir, "var", "app.log")
	var b strings.Builder
	for i := 1; i <= lines; i++ {
		fmt.Fprintf(&b, "seq=%d user=u%d\n", i, i%3)
	}
	if err := os.WriteFile(logPath, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	p := startProcess(t, dir, addr, config)
	p.waitReady()
	// Every incident is committed (with its message); the receiver is
	// down, so some attempts failed; then the daemon dies.
	deadline := time.Now().Add(tortureTimeout)
	for p.committedSeq() < lines {
		if time.Now().After(deadline) {
			t.Fatalf("daemon stuck at seq %d", p.committedSeq())
		}
	}
	for {
		mu.Lock()
		n := refused
		mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no delivery was attempted")
		}
		time.Sleep(time.Millisecond) // polling the receiver, not timing
	}
	p.kill()
	mu.Lock()
	up = true
	mu.Unlock()
	p.start()
	p.waitReady()
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n == lines {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d messages arrived", n, lines)
		}
		time.Sleep(time.Millisecond) // polling the receiver, not timing
	}
	p.stop()
	store, err := sqlstore.OpenReadOnly(context.Background(), filepath.Join(dir, "var", "breachd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	want := map[string]bool{}
	list, _ := store.List(context.Background(), incidents.ListOptions{Limit: lines + 10})
	for _, inc := range list {
		ms, _ := store.Messages(context.Background(), inc.ID)
		if len(ms) != 1 || ms[0].State != incidents.MessageSent {
			t.Errorf("incident %d: outbox %+v, want one sent message", inc.ID, ms)
			continue
		}
		want[ms[0].IdempotencyKey] = true
	}
	mu.Lock()
	defer mu.Unlock()
	for key, n := range got {
		if !want[key] {
			t.Errorf("the receiver got key %q (%d times), which no incident owes", key, n)
		}
	}
	if len(want) != lines {
		t.Errorf("%d messages owed, want %d", len(want), lines)
	}
	if v, err := store.Verify(context.Background()); err != nil || !v.OK() {
		t.Errorf("chains: %+v, %v", v, err)
	}
}
