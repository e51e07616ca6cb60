package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
)

// TestActionsSettle: two runs of an exec action that were started when
// breachd was killed come back unknown; a responder settles them with the
// CLI: one ran, the other did not and runs again, once.
func TestActionsSettle(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	if err := os.MkdirAll(filepath.Join(dir, "var"), 0o700); err != nil {
		t.Fatal(err)
	}
	store, err := sqlstore.Open(ctx, filepath.Join(dir, "var", "breachd.db"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var ids []int64
	for i := 1; i <= 2; i++ {
		ip := fmt.Sprintf("203.0.113.%d", i)
		inc := incidents.Incident{Fingerprint: "seed/" + ip, Rule: "seed", Title: "seeded " + ip, Category: "c", Severity: "high",
			Fields: map[string]string{"ip": ip}, FindingCount: 1, FirstSeen: now, LastSeen: now}
		o, err := store.Record(ctx, []incidents.NewIncident{{Incident: inc, Actions: []string{"mk"}}}, incidents.Progress{}, now)
		if err != nil {
			t.Fatal(err)
		}
		// As a daemon killed while the program ran leaves it.
		if err := store.StartAction(ctx, o[0].Runs[0].ID, now); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o[0].IncidentID)
	}
	store.Close()
	// mkdir fails when its folder exists: a second run would fail.
	config, _ := runDaemon(t, dir, fmt.Sprintf(`
server { listen = %q }
source "file" "auth" { paths = ["./var/auth.log"] }
action "exec" "mk" {
  argv = ["/usr/bin/mkdir", "./var/ran-${ip}"]
}
token "rita" {
  role   = "responder"
  sha256 = %q
}
`, freeAddr(t), hashHex("rita-token")))
	run := func(args ...string) (string, string, int) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		code := cli(context.Background(), append(args, "--config", config, "--token", "rita-token"), &stdout, &stderr)
		return stdout.String(), stderr.String(), code
	}
	show := func(id int64) httpapi.IncidentDetail {
		t.Helper()
		out, errOut, code := run("incidents", "show", fmt.Sprint(id), "--json")
		var d httpapi.IncidentDetail
		if code != 0 || json.Unmarshal([]byte(out), &d) != nil || len(d.Actions) != 1 {
			t.Fatalf("incidents show %d: exit %d %s%s", id, code, out, errOut)
		}
		return d
	}
	waitState := func(id int64, want incidents.ActionState) incidents.ActionRun {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			d := show(id)
			if d.Actions[0].State == want {
				return d.Actions[0]
			}
			if time.Now().After(deadline) {
				t.Fatalf("incident %d: run %s (%q), want %s", id, d.Actions[0].State, d.Actions[0].Result, want)
			}
			time.Sleep(10 * time.Millisecond) // polling for the outcome
		}
	}
	first, second := waitState(ids[0], incidents.ActionState("unknown")), waitState(ids[1], incidents.ActionState("unknown"))

	if _, errOut, code := run("actions", "settle", fmt.Sprint(first.ID), "maybe", "--reason", "x"); code != 2 || !strings.Contains(errOut, `the outcome "maybe": use one of ran, not-run`) {
		t.Errorf("settle maybe: exit %d, %q", code, errOut)
	}
	if _, errOut, code := run("actions", "settle", fmt.Sprint(first.ID), "ran"); code != 2 || !strings.Contains(errOut, `required flag(s) "reason" not set`) {
		t.Errorf("settle without a reason: exit %d, %q", code, errOut)
	}
	if _, errOut, code := run("actions", "settle", fmt.Sprint(first.ID), "ran", "--reason", " "); code != 1 || !strings.Contains(errOut, "reason") {
		t.Errorf("settle with a blank reason: exit %d, %q", code, errOut)
	}
	out, errOut, code := run("actions", "settle", fmt.Sprint(first.ID), "ran", "--reason", "its folder is there")
	if want := fmt.Sprintf("Run %d of mk (incident %d): ran, settled by rita\n", first.ID, ids[0]); code != 0 || out != want {
		t.Errorf("settle ran: exit %d, %q%s; want %q", code, out, errOut, want)
	}
	out, errOut, code = run("actions", "settle", fmt.Sprint(second.ID), "not-run", "--run-again", "--reason", "no folder")
	if code != 0 || !strings.Contains(out, ": pending, settled by rita") {
		t.Errorf("settle not-run --run-again: exit %d, %q%s", code, out, errOut)
	}
	if r := waitState(ids[1], incidents.ActionSucceeded); r.Attempts != 2 {
		t.Errorf("run again: %d attempts, want 2", r.Attempts)
	}
	if _, err := os.Stat(filepath.Join(dir, "var", "ran-203.0.113.2")); err != nil {
		t.Errorf("the run settled not-run did not run again: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "var", "ran-203.0.113.1")); !os.IsNotExist(err) {
		t.Errorf("the run settled ran ran again: %v", err)
	}
	if _, errOut, code := run("actions", "settle", fmt.Sprint(first.ID), "ran", "--reason", "again"); code != 1 || !strings.Contains(errOut, "no unknown outcome") {
		t.Errorf("settling twice: exit %d, %q", code, errOut)
	}
	for i, id := range ids {
		n := 0
		for _, e := range show(id).Timeline {
			if e.Kind == "settle" && e.Actor == "rita" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("incident %d: %d settle entries by rita, want 1", i+1, n)
		}
	}
}
