package daemon_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/actions/nftables"
	"github.com/breachd/breachd/actions/nftables/netnstest"
	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// attackers writes five failures from each of n documentation addresses
// (198.51.100.7, .14, ...: never adjacent, so each is its own element).
func attackers(n int, at time.Time) (lines, ips []string) {
	for i := 1; i <= n; i++ {
		ip := fmt.Sprintf("198.51.100.%d", i*7)
		ips = append(ips, ip)
		lines = append(lines, failures(ip, at)...)
	}
	return lines, ips
}

// settledRuns waits until every one of n incidents has its one run out of
// pending, and returns the runs by state and the incidents' details.
func (h *harness) settledRuns(n int) (map[incidents.ActionState]int, []httpapi.IncidentDetail) {
	h.t.Helper()
	var list httpapi.IncidentList
	h.waitFor(fmt.Sprintf("%d incidents", n), func() bool {
		h.get("/api/v1/incidents?limit=1000", &list)
		return len(list.Incidents) == n
	})
	states := map[incidents.ActionState]int{}
	var details []httpapi.IncidentDetail
	for _, inc := range list.Incidents {
		h.waitFor("the incident's run", h.actionsFinished(inc.ID, 1))
		var d httpapi.IncidentDetail
		h.get(fmt.Sprintf("/api/v1/incidents/%d", inc.ID), &d)
		states[d.Actions[0].State]++
		details = append(details, d)
	}
	return states, details
}

// kernelElements lists the documentation addresses in the daemon's block
// sets, as the kernel reports them.
func kernelElements(t *testing.T, p *netnstest.Pair) []string {
	t.Helper()
	out, err := p.HostCommand("nft", "list", "table", "inet", nftables.TableName)
	if err != nil {
		t.Fatalf("nft list set: %v: %s", err, out)
	}
	return regexp.MustCompile(`198\.51\.100\.\d+`).FindAllString(out, -1)
}

func onTimeline(d httpapi.IncidentDetail, text string) bool {
	for _, e := range d.Timeline {
		if strings.Contains(e.Message, text) {
			return true
		}
	}
	return false
}

// TestBlastRadiusHoldsInTheDaemon: with max_targets_per_hour = 5, thirty
// attackers at once put exactly five addresses in the kernel; the other
// 25 runs wait for approval with the reason on their incident's
// timeline, and an approved one is blocked at once.
func TestBlastRadiusHoldsInTheDaemon(t *testing.T) {
	p := netnstest.New(t)
	clk := &clock{now: time.Now()}
	config := blockConfig + "containment {\n  max_targets_per_hour = 5\n}\n"
	h := startWith(t, t.TempDir(), config, daemon.Options{NetNSFd: p.HostFd, Now: clk.Now, RevertEvery: time.Hour})
	lines, _ := attackers(30, clk.Now())
	h.appendLines(lines...)

	states, details := h.settledRuns(30)
	if states[incidents.ActionSucceeded] != 5 || states[incidents.ActionAwaitingApproval] != 25 || len(states) != 2 {
		t.Fatalf("runs by state = %v, want 5 succeeded and 25 awaiting approval", states)
	}
	if got := kernelElements(t, p); len(got) != 5 {
		t.Fatalf("kernel holds %d addresses %v, want 5", len(got), got)
	}
	var held int64
	for _, d := range details {
		if d.Actions[0].State != incidents.ActionAwaitingApproval {
			continue
		}
		held = d.Actions[0].ID
		if !onTimeline(d, "blast radius") {
			t.Errorf("incident %d: the hold is not on its timeline: %+v", d.Incident.ID, d.Timeline)
		}
	}
	if m := h.metrics(); m["breachd_actions_pending_approvals{}"] != 25 {
		t.Errorf("breachd_actions_pending_approvals = %v, want 25", m["breachd_actions_pending_approvals{}"])
	}

	// A responder approves one: it is blocked, past the cap, and no other.
	h.post(fmt.Sprintf("/api/v1/actions/%d/approve", held), map[string]any{"reason": "confirmed in the auth log"})
	h.waitFor("the approved block", func() bool { return len(kernelElements(t, p)) == 6 })
	states, _ = h.settledRuns(30)
	if states[incidents.ActionSucceeded] != 6 || states[incidents.ActionAwaitingApproval] != 24 {
		t.Fatalf("after one approval: runs by state = %v, want 6 succeeded and 24 awaiting", states)
	}

	// The same addresses attacking again extend their blocks: the blast
	// radius counts distinct targets, so they are not held.
	first, _ := attackers(2, clk.Now().Add(2*time.Minute))
	h.appendLines(first...)
	h.waitFor("the repeat attacks recorded", func() bool {
		m := h.metrics()
		return m[`breachd_actions_executions_total{action="block-ip",result="succeeded"}`] >= 6
	})
	if got := kernelElements(t, p); len(got) != 6 {
		t.Errorf("after repeat attacks the kernel holds %d addresses, want 6", len(got))
	}
}

// TestApprovalAndRateLimitHoldInTheDaemon: an exec action with
// require_approval runs only when approved, exactly once; one with
// max_per_hour = 2 acts twice for six incidents and holds four.
func TestApprovalAndRateLimitHoldInTheDaemon(t *testing.T) {
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	config := fmt.Sprintf(`
source "file" "auth" {
  paths  = ["./var/auth.log"]
  format = "syslog"
}
rule "ssh-brute-force" {
  source = "auth"
  match  = "^Failed password for (invalid user )?(?P<user>.*) from (?P<ip>\\S+) port \\d+( ssh2)?$"
  threshold {
    count    = 5
    within   = "1m"
    group_by = ["ip"]
  }
  actions = ["gated", "limited"]
}
action "exec" "gated" {
  argv             = [%[1]q, "record-argv", "./var/gated.jsonl", "${ip}"]
  require_approval = true
}
action "exec" "limited" {
  argv         = [%[1]q, "record-argv", "./var/limited.jsonl", "${ip}"]
  max_per_hour = 2
}
`, bin)
	h := start(t, config)
	dir := h.dir
	lines, _ := attackers(6, time.Now())
	h.appendLines(lines...)

	var list httpapi.IncidentList
	h.waitFor("6 incidents", func() bool {
		h.get("/api/v1/incidents?limit=1000", &list)
		return len(list.Incidents) == 6
	})
	states := map[string]map[incidents.ActionState]int{"gated": {}, "limited": {}}
	var gated int64
	for _, inc := range list.Incidents {
		h.waitFor("both runs", h.actionsFinished(inc.ID, 2))
		var d httpapi.IncidentDetail
		h.get(fmt.Sprintf("/api/v1/incidents/%d", inc.ID), &d)
		for _, a := range d.Actions {
			states[a.Action][a.State]++
			if a.Action == "gated" {
				gated = a.ID
			}
		}
		if !onTimeline(d, "requires approval") {
			t.Errorf("incident %d: the approval hold is not on its timeline", inc.ID)
		}
	}
	if states["gated"][incidents.ActionAwaitingApproval] != 6 || len(states["gated"]) != 1 {
		t.Errorf("gated runs = %v, want 6 awaiting approval", states["gated"])
	}
	if states["limited"][incidents.ActionSucceeded] != 2 || states["limited"][incidents.ActionAwaitingApproval] != 4 {
		t.Errorf("limited runs = %v, want 2 succeeded, 4 awaiting approval", states["limited"])
	}
	if n := len(readRecords(t, dir+"/var/gated.jsonl")); n != 0 {
		t.Fatalf("the gated action ran %d times with no approval", n)
	}
	if n := len(readRecords(t, dir+"/var/limited.jsonl")); n != 2 {
		t.Fatalf("the limited action ran %d times, want 2", n)
	}

	h.post(fmt.Sprintf("/api/v1/actions/%d/approve", gated), map[string]any{"reason": "confirmed"})
	h.waitFor("the approved run recorded", func() bool {
		return h.metrics()[`breachd_actions_executions_total{action="gated",result="succeeded"}`] == 1
	})
	if n := len(readRecords(t, dir+"/var/gated.jsonl")); n != 1 {
		t.Errorf("the gated action ran %d times after one approval", n)
	}
}
