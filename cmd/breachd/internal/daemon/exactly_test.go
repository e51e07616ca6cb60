package daemon_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
)

// countLines counts the complete lines of path (0 when it is missing).
func countLines(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
	}
	return n
}

// TestExecAtMostOnceAcrossKills: an exec action appends its incident's
// seq to a file; the daemon is killed with SIGKILL each time another 100
// runs have acted, while runs are in flight, and restarted. No run acts
// twice: every succeeded run acted exactly once, every run whose outcome
// the kills left unknown is marked unknown (and paged), having acted at
// most once. Settled through the API (ran when its mark is there, else
// not_run and run again), every seq has acted exactly once.
func TestExecAtMostOnceAcrossKills(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	const lines = 600
	kills := []int{100, 200, 300, 400, 500}
	rule := strings.Replace(seqRule, `incident { title = "seq ${seq}" }`, `incident { title = "seq ${seq}" }
  actions = ["mark"]`, 1)
	dir, addr, config := processConfig(t, rule+pageRoute+fmt.Sprintf(`
action "exec" "mark" {
  argv = [%q, "record-argv", "./var/marks.jsonl", "${seq}"]
}
token "harness" {
  role   = "admin"
  sha256 = %q
}
`, testBinary(t), harnessTokenHash()))
	marksPath := filepath.Join(dir, "var", "marks.jsonl")
	var b strings.Builder
	for seq := 1; seq <= lines; seq++ {
		fmt.Fprintf(&b, "seq=%d user=u%d\n", seq, seq%10)
	}
	if err := os.WriteFile(filepath.Join(dir, "var", "app.log"), []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	p := startProcess(t, dir, addr, config)
	deadline := time.Now().Add(tortureTimeout)
	for _, k := range kills {
		// Killed the moment the k-th run has acted: the runs acting
		// alongside it are in flight.
		for countLines(t, marksPath) < k {
			if time.Now().After(deadline) {
				t.Fatalf("no progress past %d marks", countLines(t, marksPath))
			}
		}
		p.kill()
		p.start()
	}
	p.waitReady()

	ctx := context.Background()
	store, err := sqlstore.OpenReadOnly(ctx, filepath.Join(dir, "var", "breachd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	// runs returns every run by seq, once every line has its incident
	// and no run is pending.
	runs := func() map[int]incidents.ActionRun {
		for {
			if time.Now().After(deadline) {
				t.Fatal("runs still pending")
			}
			pending, err := store.PendingActions(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(pending) > 0 || p.committedSeq() < lines {
				time.Sleep(10 * time.Millisecond) // polling for the outcome
				continue
			}
			list, err := store.List(ctx, incidents.ListOptions{Limit: lines + 10})
			if err != nil {
				t.Fatal(err)
			}
			out := map[int]incidents.ActionRun{}
			for _, inc := range list {
				n, _ := strconv.Atoi(strings.TrimPrefix(inc.Title, "seq "))
				rs, err := store.ActionRuns(ctx, inc.ID)
				if err != nil || len(rs) != 1 {
					t.Fatalf("incident %d: runs %+v, %v", inc.ID, rs, err)
				}
				out[n] = rs[0]
			}
			if len(out) != lines {
				t.Fatalf("%d incidents for %d lines", len(out), lines)
			}
			return out
		}
	}
	marks := func() map[int]int {
		out := map[int]int{}
		for _, r := range readRecords(t, marksPath) {
			n, _ := strconv.Atoi(r[0])
			out[n]++
		}
		return out
	}

	byState := map[incidents.ActionState]int{}
	var unknownRan, unknownNot []incidents.ActionRun
	first := runs()
	mk := marks()
	total := 0
	for seq, run := range first {
		byState[run.State]++
		total += mk[seq]
		switch {
		case mk[seq] > 1:
			t.Errorf("seq %d acted %d times (run %s: %q)", seq, mk[seq], run.State, run.Result)
		case run.State == incidents.ActionSucceeded && mk[seq] != 1:
			t.Errorf("seq %d succeeded but acted %d times", seq, mk[seq])
		case run.State == stateUnknown && mk[seq] == 1:
			unknownRan = append(unknownRan, run)
		case run.State == stateUnknown:
			unknownNot = append(unknownNot, run)
		case run.State != incidents.ActionSucceeded:
			t.Errorf("seq %d: run %s (%q), want succeeded or unknown", seq, run.State, run.Result)
		}
	}
	unknown := len(unknownRan) + len(unknownNot)
	if total != byState[incidents.ActionSucceeded]+len(unknownRan) || byState[incidents.ActionSucceeded]+unknown != lines {
		t.Errorf("%d marks; %d succeeded, %d unknown that acted, %d unknown that did not: the accounts do not add up", total,
			byState[incidents.ActionSucceeded], len(unknownRan), len(unknownNot))
	}
	if unknown == 0 {
		t.Errorf("no run was in flight at any of %d kills: the test proved nothing", len(kills))
	}
	for deadline := time.Now().Add(tortureTimeout); len(pages(t, dir, "action.unknown")) != unknown; {
		if time.Now().After(deadline) {
			t.Fatalf("%d pages for %d unknown runs", len(pages(t, dir, "action.unknown")), unknown)
		}
		time.Sleep(10 * time.Millisecond) // polling for the notifier
	}
	t.Logf("%d kills: %d succeeded, %d unknown (%d of them had acted)", len(kills), byState[incidents.ActionSucceeded], unknown, len(unknownRan))

	// A person settles each through the API.
	h := &harness{t: t, addr: addr}
	for _, run := range unknownRan {
		var s settled
		h.postInto(fmt.Sprintf("/api/v1/actions/%d/settle", run.ID), map[string]any{"outcome": "ran", "reason": "its mark is in the file"}, &s)
	}
	for _, run := range unknownNot {
		var s settled
		h.postInto(fmt.Sprintf("/api/v1/actions/%d/settle", run.ID),
			map[string]any{"outcome": "not_run", "reason": "no mark in the file", "run_again": true}, &s)
	}
	final := runs()
	p.stop()
	mk = marks()
	ran := 0
	for seq := 1; seq <= lines; seq++ {
		run := final[seq]
		if run.State == stateRan {
			ran++
		}
		if mk[seq] != 1 || (run.State != incidents.ActionSucceeded && run.State != stateRan) {
			t.Errorf("seq %d: acted %d times, run %s (%q); want once, succeeded or ran", seq, mk[seq], run.State, run.Result)
		}
	}
	if ran != len(unknownRan) {
		t.Errorf("%d runs settled ran, want %d", ran, len(unknownRan))
	}
	if v, err := store.Verify(ctx); err != nil || !v.OK() {
		t.Errorf("chains: %+v, %v", v, err)
	}
}
