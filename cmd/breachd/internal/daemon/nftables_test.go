package daemon_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/breachd/breachd/actions/nftables/netnstest"
	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// clock is a time the test moves; the daemon reads it for every decision.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

const blockConfig = `
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
  actions = ["block-ip"]
}
action "nftables" "block-ip" {
  ttl = "1h"
  escalate {
    factor = 2
    max    = "1d"
  }
  never = ["10.213.0.3/32"]
}
`

func failures(ip string, at time.Time) []string {
	var out []string
	for i := range 5 {
		out = append(out, fmt.Sprintf("%s web1 sshd[%d]: Failed password for root from %s port %d ssh2",
			at.Add(time.Duration(i)*time.Second).Format(time.Stamp), 100+i, ip, 40000+i))
	}
	return out
}

// TestBlockEndToEnd: five failures from the peer's address block it in the
// kernel (of a namespace the test made) with the incident committed first;
// when the TTL is up by the daemon's clock the block is reverted and the
// peer connects again; a second offence gets twice the TTL; an address on
// the never list is refused and stays reachable.
func TestBlockEndToEnd(t *testing.T) {
	p := netnstest.New(t)
	port := p.Serve()
	clk := &clock{now: time.Now()}
	h := startWith(t, t.TempDir(), blockConfig, daemon.Options{NetNSFd: p.HostFd, Now: clk.Now, RevertEvery: 20 * time.Millisecond})
	if err := p.Dial(netnstest.PeerV4, netnstest.HostV4, port, 5*time.Second); err != nil {
		t.Fatalf("before the attack: %v", err)
	}
	h.appendLines(failures(netnstest.PeerV4, clk.Now())...)
	var list httpapi.IncidentList
	h.waitFor("the incident", func() bool {
		h.get("/api/v1/incidents", &list)
		return len(list.Incidents) == 1
	})
	id := list.Incidents[0].ID
	h.waitFor("the block", h.actionsFinished(id, 1))
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
	if d.Actions[0].State != incidents.ActionSucceeded || !strings.Contains(d.Actions[0].Result, "blocked 10.213.0.2/32") {
		t.Fatalf("action = %+v", d.Actions[0])
	}
	if err := p.Dial(netnstest.PeerV4, netnstest.HostV4, port, 400*time.Millisecond); err == nil {
		t.Fatal("the attacker still connects after the block")
	}
	if err := p.Dial(netnstest.Peer2V4, netnstest.HostV4, port, 5*time.Second); err != nil {
		t.Fatalf("another address was blocked too: %v", err)
	}
	if m := h.metrics(); m[`breachd_actions_containments_active{action="block-ip"}`] != 1 {
		t.Errorf("active containments = %v", m[`breachd_actions_containments_active{action="block-ip"}`])
	}

	// A reload that drops the action would leave the block with nothing
	// to revert it: refused, naming it. One that keeps it goes through,
	// and the new generation's runner reverts the block below.
	h.rewrite(strings.NewReplacer(`  actions = ["block-ip"]`, "", `action "nftables" "block-ip"`, `action "exec" "unused"`,
		"ttl = \"1h\"", `argv = ["/bin/true"]`).Replace(strings.SplitN(blockConfig, "  escalate {", 2)[0]) + "}\n")
	if code, body := h.reload(harnessToken); code != http.StatusInternalServerError || !strings.Contains(body, "block-ip has containments in force") {
		t.Errorf("reload dropping block-ip: %d %s, want 500 naming it", code, body)
	}
	h.rewrite(strings.Replace(blockConfig, "count    = 5", "count    = 6", 1))
	if code, body := h.reload(harnessToken); code != http.StatusOK {
		t.Fatalf("reload keeping block-ip: %d %s", code, body)
	}
	if err := p.Dial(netnstest.PeerV4, netnstest.HostV4, port, 400*time.Millisecond); err == nil {
		t.Fatal("the block was lifted by the reload")
	}
	if m := h.metrics(); m[`breachd_actions_containments_active{action="block-ip"}`] != 1 {
		t.Errorf("active containments after the reload = %v, want 1", m[`breachd_actions_containments_active{action="block-ip"}`])
	}
	h.rewrite(blockConfig)
	if code, body := h.reload(harnessToken); code != http.StatusOK {
		t.Fatalf("reload back: %d %s", code, body)
	}

	// The TTL runs out on the daemon's clock: the block is reverted.
	clk.Add(61 * time.Minute)
	h.waitFor("the revert", func() bool {
		return p.Dial(netnstest.PeerV4, netnstest.HostV4, port, 300*time.Millisecond) == nil
	})
	// The kernel is freed first, then the store records it.
	h.waitFor("the revert on the timeline", func() bool {
		h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
		last := d.Timeline[len(d.Timeline)-1]
		return last.Kind == "containment" && strings.Contains(last.Message, "reverted")
	})

	// Close the incident so the next attack opens a new one; the second
	// offence is blocked for 2h.
	h.post(fmt.Sprintf("/api/v1/incidents/%d/transition", id), map[string]any{"to": "false_positive", "reason": "test"})
	h.appendLines(failures(netnstest.PeerV4, clk.Now())...)
	h.waitFor("the second incident", func() bool {
		h.get("/api/v1/incidents", &list)
		return len(list.Incidents) == 2
	})
	id2 := list.Incidents[0].ID
	h.waitFor("the second block", h.actionsFinished(id2, 1))
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id2), &d)
	if !strings.Contains(d.Actions[0].Result, "for 2h0m0s") || !strings.Contains(d.Actions[0].Result, "offence 2") {
		t.Errorf("second block = %q, want 2h for the second offence", d.Actions[0].Result)
	}
	if err := p.Dial(netnstest.PeerV4, netnstest.HostV4, port, 400*time.Millisecond); err == nil {
		t.Fatal("the repeat offender connects")
	}

	// A responder lifts it by hand, from the console's containment screen
	// (the same API call as breachd actions revert).
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id2), &d)
	if len(d.Containments) != 1 || d.Containments[0].State != incidents.ContainmentActive {
		t.Fatalf("containments of the second incident = %+v", d.Containments)
	}
	responder := signIn(t, h, "harness-admin-token")
	screen := responder.page("/console/containment")
	revert := fmt.Sprintf("/console/containments/%d/revert", d.Containments[0].ID)
	if !strings.Contains(screen, `action="`+revert+`"`) {
		t.Fatalf("the containment screen offers no revert of the block:\n%s", screen)
	}
	if resp, body := responder.post(revert, url.Values{"csrf": {csrfOf(t, screen)}, "reason": {"it is our office NAT"}}); resp.Request.URL.Path != "/console/containment" {
		t.Fatalf("revert from the console: %d at %s\n%s", resp.StatusCode, resp.Request.URL.Path, body)
	}
	if err := p.Dial(netnstest.PeerV4, netnstest.HostV4, port, 5*time.Second); err != nil {
		t.Fatalf("after the hand revert: %v", err)
	}

	// An address on the never list: the run is rejected, nothing blocked.
	h.appendLines(failures(netnstest.Peer2V4, clk.Now())...)
	h.waitFor("the third incident", func() bool {
		h.get("/api/v1/incidents", &list)
		return len(list.Incidents) == 3
	})
	h.waitFor("the refusal", h.actionsFinished(list.Incidents[0].ID, 1))
	h.get(fmt.Sprintf("/api/v1/incidents/%d", list.Incidents[0].ID), &d)
	if d.Actions[0].State != incidents.ActionRejected || !strings.Contains(d.Actions[0].Result, "never") {
		t.Errorf("never-listed address: %+v", d.Actions[0])
	}
	if err := p.Dial(netnstest.Peer2V4, netnstest.HostV4, port, 5*time.Second); err != nil {
		t.Errorf("the never-listed address was blocked: %v", err)
	}
}
