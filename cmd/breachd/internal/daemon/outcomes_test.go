package daemon_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
)

// pageRoute sends every incident's pages to a file channel in var/outbox.
const pageRoute = `
channel "file" "oncall" {
  dir = "./var/outbox"
}
route "everything" {
  channels = ["oncall"]
}
`

// The run states this file's tests look for, spelled out so that the tests
// build on commits that lack them.
const (
	stateUnknown = incidents.ActionState("unknown")
	stateRan     = incidents.ActionState("ran")
)

// page is what the file channel writes, as far as these tests read it.
type page struct {
	Key      string `json:"idempotency_key"`
	Event    string `json:"event"`
	Detail   string `json:"detail"`
	Incident struct {
		ID int64 `json:"id"`
	} `json:"incident"`
}

// settled is a run as the settle endpoint returns it.
type settled struct {
	State     incidents.ActionState `json:"state"`
	SettledBy string                `json:"settled_by"`
	ID        int64                 `json:"id"`
}

// pages returns the messages the file channel wrote for event, by key.
func pages(t *testing.T, dir, event string) map[string]page {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "var", "outbox"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	out := map[string]page{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, "var", "outbox", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var m page
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		if m.Event == event {
			out[m.Key] = m
		}
	}
	return out
}

// runsByAction returns an incident's runs by action.
func (h *harness) runsByAction(id int64) (map[string]incidents.ActionRun, []incidents.TimelineEntry) {
	h.t.Helper()
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
	out := map[string]incidents.ActionRun{}
	for _, a := range d.Actions {
		out[a.Action] = a
	}
	return out, d.Timeline
}

// TestHostileUserRejectedAndPaged: a user name that is an option, holds a
// shell metacharacter, a path or a newline, interpolated by an exec
// action, is refused: the run is rejected on the timeline with the
// reason, the team is paged through the incident's route, and the
// incident's other action runs.
func TestHostileUserRejectedAndPaged(t *testing.T) {
	bin := testBinary(t)
	config := fmt.Sprintf(`
source "file" "app" {
  paths = ["./var/auth.log"]
}
rule "suspicious" {
  source  = "app"
  match   = "^ALERT id=(?P<id>\\d+) user=(?P<user>.*)$"
  actions = ["lock-user", "record-id"]
  threshold {
    count    = 1
    within   = "1s"
    group_by = ["id"]
  }
  incident { title = "alert ${id}" }
}
action "exec" "lock-user" {
  argv = [%[1]q, "record-argv", "./var/user.jsonl", "${user}"]
}
action "exec" "record-id" {
  argv = [%[1]q, "record-argv", "./var/id.jsonl", "${id}"]
}
`+pageRoute, bin)
	h := start(t, config)
	hostile := []string{"-rf", "a;b", "../x", "a\u0085b"}
	// A newline cannot reach a capture through a line, but an escaped one
	// can in a structured source; U+0085 (NEL) is the newline a line can
	// carry.
	var lines []string
	for i, u := range hostile {
		lines = append(lines, fmt.Sprintf("ALERT id=%d user=%s", i+1, u))
	}
	h.appendLines(lines...)
	var list httpapi.IncidentList
	h.waitFor("four incidents", func() bool {
		h.get("/api/v1/incidents", &list)
		return len(list.Incidents) == len(hostile)
	})
	for _, inc := range list.Incidents {
		h.waitFor("both actions finished", h.actionsFinished(inc.ID, 2))
	}
	h.waitFor("the pages written", func() bool { return len(pages(t, h.dir, "action.rejected")) == len(hostile) })

	got := pages(t, h.dir, "action.rejected")
	for _, inc := range list.Incidents {
		runs, timeline := h.runsByAction(inc.ID)
		lock, rec := runs["lock-user"], runs["record-id"]
		if lock.State != incidents.ActionRejected || !strings.Contains(lock.Result, "is not a valid user name; nothing ran") {
			t.Errorf("incident %d: lock-user %s (%q), want rejected with the reason", inc.ID, lock.State, lock.Result)
		}
		if rec.State != incidents.ActionSucceeded {
			t.Errorf("incident %d: record-id %s (%q), want succeeded", inc.ID, rec.State, rec.Result)
		}
		var rejected, paged int
		for _, e := range timeline {
			if e.Kind == "action" && e.Data["state"] == "rejected" && strings.Contains(e.Message, "not a valid user name") {
				rejected++
			}
			if e.Kind == "notification" && e.Data["event"] == "action.rejected" && e.Data["channel"] == "oncall" {
				paged++
			}
		}
		if rejected != 1 || paged != 1 {
			t.Errorf("incident %d: %d rejected and %d page entries on the timeline, want 1 and 1: %+v", inc.ID, rejected, paged, timeline)
		}
		key := fmt.Sprintf("breachd-run-%d-rejected-oncall", lock.ID)
		m, ok := got[key]
		if !ok || m.Incident.ID != inc.ID || !strings.Contains(m.Detail, "lock-user rejected") || !strings.Contains(m.Detail, "not a valid user name") {
			t.Errorf("incident %d: page %q = %+v (present %v), want the rejection and its reason", inc.ID, key, m, ok)
		}
	}
	if n := len(readRecords(t, filepath.Join(h.dir, "var", "user.jsonl"))); n != 0 {
		t.Errorf("lock-user ran %d times with a hostile name", n)
	}
	ids := readRecords(t, filepath.Join(h.dir, "var", "id.jsonl"))
	var seen []string
	for _, r := range ids {
		seen = append(seen, r...)
	}
	sort.Strings(seen)
	if fmt.Sprint(seen) != "[1 2 3 4]" {
		t.Errorf("record-id ran with %v, want once for each of 1 2 3 4", seen)
	}
	if m := h.metrics(); m[`breachd_actions_executions_total{action="lock-user",result="rejected"}`] != 4 {
		t.Errorf("rejected runs counted %v, want 4", m[`breachd_actions_executions_total{action="lock-user",result="rejected"}`])
	}
}

// seedStarted commits, as a killed daemon leaves it, one incident per
// action whose run was started and has no outcome. It returns the
// incidents by action.
func seedStarted(t *testing.T, dir string, acts ...string) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	if err := os.MkdirAll(filepath.Join(dir, "var"), 0o700); err != nil {
		t.Fatal(err)
	}
	store, err := sqlstore.Open(ctx, filepath.Join(dir, "var", "breachd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	now := time.Now()
	out := map[string]int64{}
	for i, a := range acts {
		ip := fmt.Sprintf("203.0.113.%d", i+1)
		inc := incidents.Incident{Fingerprint: "seed/" + a, Rule: "seed", Title: "seeded for " + a, Category: "c", Severity: "high",
			Fields: map[string]string{"ip": ip}, FindingCount: 1, FirstSeen: now, LastSeen: now}
		o, err := store.Record(ctx, []incidents.NewIncident{{Incident: inc, Actions: []string{a}}}, incidents.Progress{}, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.StartAction(ctx, o[0].Runs[0].ID, now); err != nil {
			t.Fatal(err)
		}
		out[a] = o[0].IncidentID
	}
	return out
}

// startedAction is an exec action that appends ${ip} to var/NAME.jsonl;
// extra is more of its attributes.
func startedAction(t *testing.T, name, extra string) string {
	return fmt.Sprintf("action \"exec\" %q {\n  argv = [%q, \"record-argv\", \"./var/%s.jsonl\", \"${ip}\"]\n  %s\n}\n", name, testBinary(t), name, extra)
}

// TestStartedRunAfterRestart: after a crash, a run that started and has
// no outcome is not run again blindly: it is marked unknown and the team is
// paged, and a person settles it through the API: "ran" ends it, "not_run"
// with run_again runs it once.
func TestStartedRunAfterRestart(t *testing.T) {
	dir := t.TempDir()
	seeded := seedStarted(t, dir, "plain", "settled-ran", "settled-rerun")
	h := startIn(t, dir, `source "file" "auth" { paths = ["./var/auth.log"] }
`+startedAction(t, "plain", "")+startedAction(t, "settled-ran", "")+startedAction(t, "settled-rerun", "")+pageRoute)
	for _, id := range seeded {
		h.waitFor("the seeded run finished", h.actionsFinished(id, 1))
	}
	h.waitFor("three pages", func() bool { return len(pages(t, h.dir, "action.unknown")) == 3 })
	for name, id := range seeded {
		runs, timeline := h.runsByAction(id)
		run := runs[name]
		marks := len(readRecords(t, filepath.Join(dir, "var", name+".jsonl")))
		if run.State != stateUnknown || run.Attempts != 1 || marks != 0 || !strings.Contains(run.Result, "not idempotent") {
			t.Errorf("%s: %s after %d attempts (%q), %d marks; want unknown, not run again", name, run.State, run.Attempts, run.Result, marks)
		}
		paged := 0
		for _, e := range timeline {
			if e.Kind == "notification" && e.Data["event"] == "action.unknown" {
				paged++
			}
		}
		if _, ok := pages(t, h.dir, "action.unknown")[fmt.Sprintf("breachd-run-%d-unknown-oncall", run.ID)]; !ok || paged != 1 {
			t.Errorf("%s: page written %v, %d page entries; want one", name, ok, paged)
		}
	}
	runs, _ := h.runsByAction(seeded["settled-ran"])
	var run settled
	h.postInto(fmt.Sprintf("/api/v1/actions/%d/settle", runs["settled-ran"].ID),
		map[string]any{"outcome": "ran", "reason": "the program's own log shows the run"}, &run)
	if run.State != stateRan || run.SettledBy != "harness" {
		t.Errorf("settled ran: %+v", run)
	}
	runs, _ = h.runsByAction(seeded["settled-rerun"])
	h.postInto(fmt.Sprintf("/api/v1/actions/%d/settle", runs["settled-rerun"].ID),
		map[string]any{"outcome": "not_run", "reason": "nothing in the program's log", "run_again": true}, &run)
	if run.State != incidents.ActionPending {
		t.Errorf("settled not run, again: %+v", run)
	}
	h.waitFor("the run again", func() bool {
		runs, _ := h.runsByAction(seeded["settled-rerun"])
		return runs["settled-rerun"].State == incidents.ActionSucceeded
	})
	if n := len(readRecords(t, filepath.Join(dir, "var", "settled-rerun.jsonl"))); n != 1 {
		t.Errorf("settled-rerun ran %d times after settling, want once", n)
	}
	if n := len(readRecords(t, filepath.Join(dir, "var", "settled-ran.jsonl"))); n != 0 {
		t.Errorf("settled-ran ran %d times after settling ran, want none", n)
	}
	// A settled run cannot be settled again.
	code := h.postStatus(fmt.Sprintf("/api/v1/actions/%d/settle", run.ID), map[string]any{"outcome": "ran", "reason": "again"})
	if code != http.StatusConflict {
		t.Errorf("settling a finished run: %d, want 409", code)
	}
	for _, name := range []string{"settled-ran", "settled-rerun"} {
		_, timeline := h.runsByAction(seeded[name])
		settles := 0
		for _, e := range timeline {
			if e.Kind == "settle" && e.Actor == "harness" && e.Data["reason"] != "" {
				settles++
			}
		}
		if settles != 1 {
			t.Errorf("%s: %d settle entries by harness on the timeline, want 1", name, settles)
		}
	}
}

// TestIdempotentRunRunsAgain: after a crash, a started run of an action
// declared idempotent is run again, once, and says so.
func TestIdempotentRunRunsAgain(t *testing.T) {
	dir := t.TempDir()
	seeded := seedStarted(t, dir, "again")
	h := startIn(t, dir, `source "file" "auth" { paths = ["./var/auth.log"] }
`+startedAction(t, "again", "idempotent = true")+pageRoute)
	h.waitFor("the seeded run finished", h.actionsFinished(seeded["again"], 1))
	runs, _ := h.runsByAction(seeded["again"])
	run := runs["again"]
	marks := len(readRecords(t, filepath.Join(dir, "var", "again.jsonl")))
	if run.State != incidents.ActionSucceeded || run.Attempts != 2 || marks != 1 || !strings.Contains(run.Result, "is idempotent") {
		t.Errorf("again: %s after %d attempts (%q), %d marks; want succeeded on its 2nd attempt, once", run.State, run.Attempts, run.Result, marks)
	}
	if n := len(pages(t, h.dir, "action.unknown")); n != 0 {
		t.Errorf("%d pages for an idempotent run, want none", n)
	}
}

// webhookReceiver answers 500 to its first down requests, then 200; it
// records each request's Idempotency-Key.
type webhookReceiver struct {
	mu   sync.Mutex
	down int
	keys []string
	ok   int
}

func (r *webhookReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.keys = append(r.keys, req.Header.Get("Idempotency-Key"))
	if len(r.keys) <= r.down {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	r.ok++
	w.WriteHeader(http.StatusAccepted)
}

// TestWebhookRidesOutAnOutage: a receiver down for its first five
// requests gets the run's payload delivered once, every attempt with the
// same Idempotency-Key; one down for good gets retries+1 attempts and the
// run ends failed on the timeline.
func TestWebhookRidesOutAnOutage(t *testing.T) {
	flaky := &webhookReceiver{down: 5}
	dead := &webhookReceiver{down: 1 << 30}
	fs, ds := httptest.NewServer(flaky), httptest.NewServer(dead)
	defer fs.Close()
	defer ds.Close()
	h := start(t, fmt.Sprintf(`
source "file" "auth" { paths = ["./var/auth.log"] }
rule "alert" {
  source  = "auth"
  match   = "^ALERT (?P<ip>\\S+)$"
  actions = ["tell", "tell-dead"]
}
action "webhook" "tell" {
  url           = %q
  retry_backoff = "10ms"
}
action "webhook" "tell-dead" {
  url           = %q
  retries       = 3
  retry_backoff = "10ms"
}
`, fs.URL, ds.URL))
	h.appendLines("ALERT 203.0.113.7")
	var list httpapi.IncidentList
	h.waitFor("the incident", func() bool {
		h.get("/api/v1/incidents", &list)
		return len(list.Incidents) == 1
	})
	id := list.Incidents[0].ID
	h.waitFor("both runs finished", h.actionsFinished(id, 2))
	runs, timeline := h.runsByAction(id)
	key := fmt.Sprintf("breachd-incident-%d-tell", id)
	flaky.mu.Lock()
	if flaky.ok != 1 || len(flaky.keys) != 6 || strings.Count(strings.Join(flaky.keys, ","), key) != 6 {
		t.Errorf("flaky receiver: %d delivered, keys %v; want 6 attempts keyed %s, one delivered", flaky.ok, flaky.keys, key)
	}
	flaky.mu.Unlock()
	if r := runs["tell"]; r.State != incidents.ActionSucceeded || !strings.Contains(r.Result, "after 5 retries") {
		t.Errorf("tell: %s %q, want succeeded after 5 retries", r.State, r.Result)
	}
	dead.mu.Lock()
	if len(dead.keys) != 4 || dead.ok != 0 {
		t.Errorf("dead receiver: %d attempts, want 4 (3 retries)", len(dead.keys))
	}
	dead.mu.Unlock()
	failed := 0
	for _, e := range timeline {
		if e.Kind == "action" && e.Data["action"] == "tell-dead" && e.Data["state"] == "failed" && strings.Contains(e.Message, "after 3 retries") {
			failed++
		}
	}
	if r := runs["tell-dead"]; r.State != incidents.ActionFailed || failed != 1 {
		t.Errorf("tell-dead: %s %q, %d failed entries; want failed after 3 retries on the timeline", r.State, r.Result, failed)
	}
}

// postStatus sends v as JSON with the harness's admin token and returns
// the status and body.
func (h *harness) postStatus(path string, v any) int {
	h.t.Helper()
	code, _ := h.send(path, v)
	return code
}

// postInto is post that decodes the answer into out.
func (h *harness) postInto(path string, v, out any) {
	h.t.Helper()
	code, body := h.send(path, v)
	if code/100 != 2 {
		h.t.Fatalf("POST %s: %d %s", path, code, body)
	}
	if err := json.Unmarshal(body, out); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) send(path string, v any) (int, []byte) {
	h.t.Helper()
	body, err := json.Marshal(v)
	if err != nil {
		h.t.Fatal(err)
	}
	req, err := http.NewRequest("POST", "http://"+h.addr+path, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+h.token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp.StatusCode, out
}
