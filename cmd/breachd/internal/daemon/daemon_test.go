package daemon_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"go.uber.org/goleak"

	"github.com/breachd/breachd/actions/webhook"
	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// TestMain lets the test binary double as the program an exec action runs:
// "record-argv FILE ARGS..." appends ARGS to FILE as one JSON line, so a test
// sees exactly the argument vector breachd passed.
func TestMain(m *testing.M) {
	if len(os.Args) > 2 && os.Args[1] == "daemon" {
		os.Exit(runDaemonProcess(os.Args[2]))
	}
	if len(os.Args) > 2 && os.Args[1] == "record-argv" {
		f, err := os.OpenFile(os.Args[2], os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			os.Exit(3)
		}
		line, _ := json.Marshal(os.Args[3:])
		f.Write(append(line, '\n'))
		f.Close()
		os.Exit(0)
	}
	goleak.VerifyTestMain(m) // fails the tests if a goroutine outlives them
}

// runDaemonProcess runs breachd in this process until SIGTERM, for tests
// that need to kill it.
func runDaemonProcess(config string) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	d, err := daemon.New(ctx, daemon.Options{ConfigFile: config, Now: time.Now, Logger: logger})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := d.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// harness is one daemon running in-process on a temp dir and a free port.
type harness struct {
	t *testing.T
	// bearer is the token requests carry; "" is harnessToken (admin).
	bearer   string
	dir      string
	log      string
	addr     string
	d        *daemon.Daemon
	shutdown func()
}

func start(t *testing.T, config string) *harness {
	t.Helper()
	return startIn(t, t.TempDir(), config)
}

// startIn starts the daemon with config written to dir, so a test can start
// it again on the same data.
func startIn(t *testing.T, dir, config string) *harness {
	t.Helper()
	return startWith(t, dir, config, daemon.Options{})
}

// startWith is startIn with more options.
func startWith(t *testing.T, dir, config string, opts daemon.Options) *harness {
	t.Helper()
	path := filepath.Join(dir, "breachd.hcl")
	// Every test config gets the admin token the harness sends.
	config += fmt.Sprintf("\ntoken \"harness\" {\n  role   = \"admin\"\n  sha256 = %q\n}\n", harnessTokenHash())
	// And a DPO's, for what the policies leave to the DPO alone.
	dpo := sha256.Sum256([]byte(harnessDPOToken))
	config += fmt.Sprintf("token \"harness-dpo\" {\n  role   = \"dpo\"\n  sha256 = %q\n}\n", hex.EncodeToString(dpo[:]))
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, dir: dir, log: filepath.Join(dir, "var", "auth.log")}
	ctx, cancel := context.WithCancel(context.Background())
	opts.ConfigFile = path
	if opts.Listen == "" {
		opts.Listen = "127.0.0.1:0"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	d, err := daemon.New(ctx, opts)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	h.addr, h.d = d.Addr(), d
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	var once sync.Once
	h.shutdown = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("daemon stopped with error: %v", err)
			}
		})
	}
	t.Cleanup(h.shutdown)
	h.waitFor("/-/ready", func() bool {
		resp, err := http.Get("http://" + h.addr + "/-/ready")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return h
}

func (h *harness) appendLines(lines ...string) {
	h.t.Helper()
	f, err := os.OpenFile(h.log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		h.t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(strings.Join(lines, "\n") + "\n"); err != nil {
		h.t.Fatal(err)
	}
}

// harnessToken is the admin token of the harness's configs;
// harnessDPOToken its DPO's.
const (
	harnessToken    = "harness-admin-token"
	harnessDPOToken = "harness-dpo-token"
)

func harnessTokenHash() string {
	sum := sha256.Sum256([]byte(harnessToken))
	return hex.EncodeToString(sum[:])
}

func (h *harness) get(path string, v any) {
	h.t.Helper()
	req, err := http.NewRequest("GET", "http://"+h.addr+path, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+h.token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		h.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		h.t.Fatal(err)
	}
}

// post sends v as JSON with the harness's admin token and fails the test
// unless the answer is a success.
func (h *harness) post(path string, v any) {
	h.t.Helper()
	if code, out := h.send(path, v); code/100 != 2 {
		h.t.Fatalf("POST %s: %d %s", path, code, out)
	}
}

// metrics returns every breachd_ sample as "name{labels}" -> value.
func (h *harness) metrics() map[string]float64 {
	h.t.Helper()
	resp, err := http.Get("http://" + h.addr + "/metrics")
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	out := map[string]float64{}
	for name, fam := range families {
		if !strings.HasPrefix(name, "breachd_") {
			continue
		}
		for _, m := range fam.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			key := name + "{" + strings.Join(labels, ",") + "}"
			switch {
			case m.Counter != nil:
				out[key] = m.GetCounter().GetValue()
			case m.Gauge != nil:
				out[key] = m.GetGauge().GetValue()
			}
		}
	}
	return out
}

// waitFor polls cond until it holds; it fails the test after a generous
// deadline. It waits for an outcome, it does not sleep for timing.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (h *harness) actionsFinished(id int64, n int) func() bool {
	return func() bool {
		var d httpapi.IncidentDetail
		h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
		finished := 0
		for _, a := range d.Actions {
			if a.State != incidents.ActionPending {
				finished++
			}
		}
		return finished == n
	}
}

func readRecords(t *testing.T, path string) [][]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		var args []string
		if err := json.Unmarshal([]byte(line), &args); err != nil {
			t.Fatal(err)
		}
		out = append(out, args)
	}
	return out
}

func testBinary(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

type hookRecorder struct {
	mu       sync.Mutex
	payloads []webhook.Payload
	keys     []string
}

func (r *hookRecorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var p webhook.Payload
	if err := json.NewDecoder(req.Body).Decode(&p); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.payloads = append(r.payloads, p)
	r.keys = append(r.keys, req.Header.Get("Idempotency-Key"))
	r.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

func TestEndToEndBruteForce(t *testing.T) {
	hooks := &hookRecorder{}
	srv := httptest.NewServer(hooks)
	defer srv.Close()
	bin := testBinary(t)
	config := fmt.Sprintf(`
server {
  data_dir = "./var"
}
source "file" "auth" {
  paths = ["./var/auth.log"]
}
rule "ssh-brute-force" {
  source = "auth"
  match  = "Failed password for (invalid user )?(?P<user>\\S*) from (?P<ip>\\S+) port \\d+"
  threshold {
    count    = 5
    within   = "1m"
    group_by = ["ip"]
  }
  severity = "high"
  incident {
    title    = "SSH brute force from ${ip}"
    category = "unauthorized-access"
  }
  actions = ["block", "notify"]
}
action "exec" "block" {
  argv = [%q, "record-argv", "./var/argv.jsonl", "${ip}"]
}
action "webhook" "notify" {
  url = %q
}
`, bin, srv.URL+"/hook")
	h := start(t, config)

	var lines []string
	for i := range 5 {
		lines = append(lines, fmt.Sprintf("Nov 23 10:00:%02d web1 sshd[%d]: Failed password for invalid user admin from 203.0.113.7 port %d ssh2", i, 100+i, 40000+i))
		if i < 4 {
			lines = append(lines, fmt.Sprintf("Nov 23 10:00:%02d web1 sshd[%d]: Failed password for root from 198.51.100.9 port %d ssh2", i, 200+i, 50000+i))
		}
	}
	lines = append(lines, "Nov 23 10:00:09 web1 sshd[300]: Accepted publickey for deploy from 192.0.2.1 port 22 ssh2")
	h.appendLines(lines...)

	h.waitFor("10 lines processed", func() bool {
		return h.metrics()[`breachd_detector_lines_read_total{source="auth"}`] == 10
	})
	var list httpapi.IncidentList
	h.get("/api/v1/incidents", &list)
	if len(list.Incidents) != 1 {
		t.Fatalf("got %d incidents, want exactly 1: %+v", len(list.Incidents), list.Incidents)
	}
	inc := list.Incidents[0]
	if inc.Fields["ip"] != "203.0.113.7" || inc.Title != "SSH brute force from 203.0.113.7" || inc.Severity != "high" {
		t.Errorf("incident = %+v, want one for 203.0.113.7, severity high", inc)
	}
	h.waitFor("both actions finished", h.actionsFinished(inc.ID, 2))

	var detail httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", inc.ID), &detail)
	for _, a := range detail.Actions {
		if a.State != incidents.ActionSucceeded {
			t.Errorf("action %s: state %s (%s), want succeeded", a.Action, a.State, a.Result)
		}
	}
	kinds := map[string]int{}
	for _, e := range detail.Timeline {
		kinds[e.Kind]++
	}
	if kinds["opened"] != 1 || kinds["action"] != 2 {
		t.Errorf("timeline kinds = %v, want 1 opened and 2 action entries", kinds)
	}

	records := readRecords(t, filepath.Join(h.dir, "var", "argv.jsonl"))
	if len(records) != 1 || len(records[0]) != 1 || records[0][0] != "203.0.113.7" {
		t.Errorf("exec action ran with %v, want once with [203.0.113.7]", records)
	}
	hooks.mu.Lock()
	if len(hooks.payloads) != 1 || hooks.payloads[0].Incident.ID != inc.ID || hooks.payloads[0].Incident.Fields["ip"] != "203.0.113.7" {
		t.Errorf("webhook received %+v, want one payload for incident %d", hooks.payloads, inc.ID)
	} else if hooks.keys[0] != fmt.Sprintf("breachd-incident-%d-notify", inc.ID) {
		t.Errorf("Idempotency-Key = %q", hooks.keys[0])
	}
	hooks.mu.Unlock()

	m := h.metrics()
	for key, want := range map[string]float64{
		`breachd_detector_lines_read_total{source="auth"}`:                     10,
		`breachd_rules_matches_total{rule="ssh-brute-force"}`:                  9,
		`breachd_rules_findings_total{rule="ssh-brute-force"}`:                 1,
		`breachd_incidents_opened_total{rule="ssh-brute-force"}`:               1,
		`breachd_actions_executions_total{action="block",result="succeeded"}`:  1,
		`breachd_actions_executions_total{action="notify",result="succeeded"}`: 1,
		`breachd_actions_executions_total{action="block",result="failed"}`:     0,
		`breachd_rules_window_keys{rule="ssh-brute-force"}`:                    2,
		`breachd_incidents_findings_attached_total{rule="ssh-brute-force"}`:    0,
		`breachd_detector_source_up{source="auth"}`:                            1,
	} {
		if got, ok := m[key]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", key, got, ok, want)
		}
	}

	// A sixth failure attaches to the open incident instead of opening a
	// new one, and runs no action again.
	h.appendLines("Nov 23 10:00:10 web1 sshd[400]: Failed password for root from 203.0.113.7 port 40010 ssh2")
	h.waitFor("the sixth failure", func() bool {
		return h.metrics()[`breachd_incidents_findings_attached_total{rule="ssh-brute-force"}`] == 1
	})
	h.get("/api/v1/incidents", &list)
	if len(list.Incidents) != 1 || list.Incidents[0].FindingCount != 2 {
		t.Errorf("after a sixth failure: %+v, want the same incident with 2 findings", list.Incidents)
	}
	if got := readRecords(t, filepath.Join(h.dir, "var", "argv.jsonl")); len(got) != 1 {
		t.Errorf("exec ran %d times, want once", len(got))
	}
}

func TestHostileFieldNeverReachesAShell(t *testing.T) {
	bin := testBinary(t)
	config := fmt.Sprintf(`
source "file" "app" {
  paths = ["./var/auth.log"]
}
rule "suspicious" {
  source  = "app"
  match   = "^ALERT user=(?P<user>\\S+) note=(?P<note>.*)$"
  actions = ["record-note", "record-user"]
}
action "exec" "record-note" {
  argv = [%[1]q, "record-argv", "./var/note.jsonl", "note:${note}"]
}
action "exec" "record-user" {
  argv = [%[1]q, "record-argv", "./var/user.jsonl", "${user}"]
}
`, bin)
	h := start(t, config)
	hostileNote := `x"; touch PWNED; $(touch PWNED2) ` + "`touch PWNED3`" + ` | sh && rm -rf / #'` + ` > out <in *`
	hostileUser := `root;touch${IFS}PWNED4`
	h.appendLines("ALERT user=" + hostileUser + " note=" + hostileNote)

	h.waitFor("the line processed", func() bool {
		return h.metrics()[`breachd_detector_lines_read_total{source="app"}`] == 1
	})
	var list httpapi.IncidentList
	h.get("/api/v1/incidents", &list)
	if len(list.Incidents) != 1 {
		t.Fatalf("got %d incidents, want 1", len(list.Incidents))
	}
	h.waitFor("both actions finished", h.actionsFinished(list.Incidents[0].ID, 2))

	// The note is passed as exactly one argument, byte for byte.
	notes := readRecords(t, filepath.Join(h.dir, "var", "note.jsonl"))
	if len(notes) != 1 || len(notes[0]) != 1 || notes[0][0] != "note:"+hostileNote {
		t.Errorf("record-note got %q, want exactly one argument %q", notes, "note:"+hostileNote)
	}
	// A user name with shell metacharacters is refused: nothing runs.
	if users := readRecords(t, filepath.Join(h.dir, "var", "user.jsonl")); len(users) != 0 {
		t.Errorf("record-user ran with %q; a hostile user name must be rejected", users)
	}
	var detail httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", list.Incidents[0].ID), &detail)
	states := map[string]incidents.ActionState{}
	for _, a := range detail.Actions {
		states[a.Action] = a.State
	}
	if states["record-note"] != incidents.ActionSucceeded || states["record-user"] != incidents.ActionRejected {
		t.Errorf("action states = %v, want record-note succeeded and record-user rejected", states)
	}
	// Nothing was interpreted: no file the metacharacters asked for exists,
	// neither in the action's working folder nor in the config folder.
	for _, dir := range []string{filepath.Join(h.dir, "var"), h.dir} {
		for _, name := range []string{"PWNED", "PWNED2", "PWNED3", "PWNED4", "out"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				t.Errorf("%s exists: a value was interpreted by a shell", filepath.Join(dir, name))
			}
		}
	}
	m := h.metrics()
	if m[`breachd_actions_executions_total{action="record-user",result="rejected"}`] != 1 {
		t.Errorf("rejected run not counted: %v", m)
	}
}

// token is the token the harness's requests carry.
func (h *harness) token() string {
	if h.bearer != "" {
		return h.bearer
	}
	return harnessToken
}

// asDPO runs fn with requests made as the DPO.
func (h *harness) asDPO(fn func()) {
	h.bearer = harnessDPOToken
	defer func() { h.bearer = "" }()
	fn()
}
