package daemon_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/actions/nftables/netnstest"
	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// safeguardConfig blocks the /24 of a scanner for an hour, the one
// address of a password guesser for two and of a sprayer for half an
// hour; each line is a finding of its own, an incident per rule and
// address.
const safeguardConfig = `
source "file" "auth" {
  paths  = ["./var/auth.log"]
  format = "syslog"
}
rule "scan" {
  source = "auth"
  match  = "^Port scan from (?P<ip>\\S+)$"
  threshold {
    count    = 1
    within   = "1m"
    group_by = ["ip"]
  }
  incident {
    title = "scan ${ip}"
  }
  actions = ["block-net"]
}
rule "guess" {
  source = "auth"
  match  = "^Failed password for root from (?P<ip>\\S+)$"
  threshold {
    count    = 1
    within   = "1m"
    group_by = ["ip"]
  }
  incident {
    title = "guess ${ip}"
  }
  actions = ["block-ip"]
}
rule "spray" {
  source = "auth"
  match  = "^Password spray from (?P<ip>\\S+)$"
  threshold {
    count    = 1
    within   = "1m"
    group_by = ["ip"]
  }
  incident {
    title = "spray ${ip}"
  }
  actions = ["block-host"]
}
action "nftables" "block-host" {
  ttl = "30m"
}
action "nftables" "block-net" {
  ttl         = "1h"
  ipv4_prefix = 24
}
action "nftables" "block-ip" {
  ttl = "2h"
}
`

// attack appends one line (message msg, stamped at) and waits for the one
// run of the incident titled title to finish; it returns the incident.
func (h *harness) attack(title, msg string, at time.Time) httpapi.IncidentDetail {
	h.t.Helper()
	h.appendLines(fmt.Sprintf("%s web1 sshd[100]: %s", at.Format(time.Stamp), msg))
	var id int64
	h.waitFor("the incident "+title, func() bool {
		var list httpapi.IncidentList
		h.get("/api/v1/incidents", &list)
		for _, inc := range list.Incidents {
			if inc.Title == title {
				id = inc.ID
				return true
			}
		}
		return false
	})
	h.waitFor("the run of "+title, h.actionsFinished(id, 1))
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
	if len(d.Actions) != 1 {
		h.t.Fatalf("%s: %d runs, want 1: %+v", title, len(d.Actions), d.Actions)
	}
	return d
}

// kernelBlocks lists the elements of breachd's table in the namespace as
// nft(8) shows them, each as "prefix set", sorted.
func kernelBlocks(t *testing.T, p *netnstest.Pair) []string {
	t.Helper()
	out := []string{}
	js, err := p.HostCommand("nft", "-j", "list", "table", "inet", "breachd")
	if err != nil {
		if strings.Contains(js, "No such file or directory") {
			return out
		}
		t.Fatalf("nft list: %v: %s", err, js)
	}
	var doc struct {
		Nftables []struct {
			Set *struct {
				Name string            `json:"name"`
				Elem []json.RawMessage `json:"elem"`
			} `json:"set"`
		} `json:"nftables"`
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatalf("nft -j: %v: %s", err, js)
	}
	for _, o := range doc.Nftables {
		if o.Set == nil {
			continue
		}
		for _, raw := range o.Set.Elem {
			// {"elem": {"val": V, "timeout": ...}} with a timeout, else V.
			var wrapped struct {
				Elem struct {
					Val json.RawMessage `json:"val"`
				} `json:"elem"`
			}
			val := raw
			if json.Unmarshal(raw, &wrapped) == nil && wrapped.Elem.Val != nil {
				val = wrapped.Elem.Val
			}
			// V is "10.0.0.2" or {"prefix": {"addr": "10.0.0.0", "len": 24}}.
			var addr string
			var pfx struct {
				Prefix struct {
					Addr string `json:"addr"`
					Len  int    `json:"len"`
				} `json:"prefix"`
			}
			switch {
			case json.Unmarshal(val, &addr) == nil:
				a, err := netip.ParseAddr(addr)
				if err != nil {
					t.Fatalf("element %s of %s: %v", val, o.Set.Name, err)
				}
				out = append(out, netip.PrefixFrom(a, a.BitLen()).String()+" "+o.Set.Name)
			case json.Unmarshal(val, &pfx) == nil && pfx.Prefix.Addr != "":
				out = append(out, fmt.Sprintf("%s/%d %s", pfx.Prefix.Addr, pfx.Prefix.Len, o.Set.Name))
			default:
				t.Fatalf("element %s of %s is no prefix", val, o.Set.Name)
			}
		}
	}
	slices.Sort(out)
	return out
}

// newPairWithNft is netnstest.New for tests that read the kernel's table
// with nft(8).
func newPairWithNft(t *testing.T) *netnstest.Pair {
	t.Helper()
	netnstest.Require(t)
	if _, err := exec.LookPath("nft"); err != nil {
		t.Skip("needs nft(8) to read the kernel's table (apt-get install nftables)")
	}
	return netnstest.New(t)
}

func mustRun(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// TestOverlappingBlocks: a /24 and a /32 inside it are both put in the
// kernel, in either order, and so are two actions' blocks of one address;
// each is reverted at its own TTL by the daemon's clock, and the address
// stays blocked while any is in force.
func TestOverlappingBlocks(t *testing.T) {
	p := newPairWithNft(t)
	port := p.Serve()
	// Two more networks of attackers behind the peer, routed by the host.
	for _, a := range []string{"10.214.0.2", "10.214.0.3", "10.215.0.2", "10.215.0.3"} {
		mustRun(t, "ip", "-n", p.Peer, "addr", "add", a+"/32", "dev", "lo")
	}
	for _, n := range []string{"10.214.0.0/24", "10.215.0.0/24"} {
		mustRun(t, "ip", "-n", p.Host, "route", "add", n, "via", netnstest.PeerV4)
	}
	reaches := func(src string) bool {
		timeout := 400 * time.Millisecond
		return p.Dial(src, netnstest.HostV4, port, timeout) == nil
	}
	for _, a := range []string{"10.214.0.2", "10.214.0.3", "10.215.0.2", "10.215.0.3"} {
		if err := p.Dial(a, netnstest.HostV4, port, 5*time.Second); err != nil {
			t.Fatalf("before any block, %s: %v", a, err)
		}
	}
	clk := &clock{now: time.Now()}
	h := startWith(t, t.TempDir(), safeguardConfig, daemon.Options{NetNSFd: p.HostFd, Now: clk.Now, RevertEvery: 20 * time.Millisecond})
	wantKernel := func(when string, want ...string) {
		t.Helper()
		h.waitFor(fmt.Sprintf("%s: the kernel to hold %v", when, want), func() bool {
			return slices.Equal(kernelBlocks(t, p), want)
		})
	}
	succeeded := func(d httpapi.IncidentDetail, blocked string) {
		t.Helper()
		if a := d.Actions[0]; a.State != incidents.ActionSucceeded || !strings.Contains(a.Result, "blocked "+blocked+" ") {
			t.Fatalf("%s: run %s %q, want succeeded blocking %s", d.Incident.Title, a.State, a.Result, blocked)
		}
	}

	// The /24 first, then the /32 inside it.
	succeeded(h.attack("scan 10.214.0.2", "Port scan from 10.214.0.2", clk.Now()), "10.214.0.0/24")
	succeeded(h.attack("guess 10.214.0.2", "Failed password for root from 10.214.0.2", clk.Now()), "10.214.0.2/32")
	// The same address by another action, for 30 minutes.
	succeeded(h.attack("spray 10.214.0.2", "Password spray from 10.214.0.2", clk.Now()), "10.214.0.2/32")
	// The reverse: the /32 now, the /24 around it in 90 minutes.
	succeeded(h.attack("guess 10.215.0.2", "Failed password for root from 10.215.0.2", clk.Now()), "10.215.0.2/32")
	if got := kernelBlocks(t, p); !slices.Equal(got, []string{"10.214.0.0/24 block4_24_block-net", "10.214.0.2/32 block4_32_block-host", "10.214.0.2/32 block4_32_block-ip", "10.215.0.2/32 block4_32_block-ip"}) {
		t.Fatalf("the kernel holds %v", got)
	}
	for src, want := range map[string]bool{"10.214.0.2": false, "10.214.0.3": false, "10.215.0.2": false, "10.215.0.3": true} {
		if reaches(src) != want {
			t.Errorf("at the start: %s reaches the host: %v, want %v", src, !want, want)
		}
	}

	// 31 minutes: block-host's /32 is reverted, block-ip's stays.
	clk.Add(31 * time.Minute)
	wantKernel("after 31m", "10.214.0.0/24 block4_24_block-net", "10.214.0.2/32 block4_32_block-ip", "10.215.0.2/32 block4_32_block-ip")
	if reaches("10.214.0.2") {
		t.Error("after block-host's revert, 10.214.0.2 connects; block-ip's /32 and the /24 are in force")
	}

	// 61 minutes: the /24 is reverted, the /32 inside it holds.
	clk.Add(30 * time.Minute)
	wantKernel("after 61m", "10.214.0.2/32 block4_32_block-ip", "10.215.0.2/32 block4_32_block-ip")
	if reaches("10.214.0.2") {
		t.Error("after the /24's revert, 10.214.0.2 connects; its own /32 is still in force")
	}
	if !reaches("10.214.0.3") {
		t.Error("after the /24's revert, 10.214.0.3 is still blocked")
	}

	// 90 minutes: the /24 around the blocked 10.215.0.2.
	clk.Add(29 * time.Minute)
	succeeded(h.attack("scan 10.215.0.2", "Port scan from 10.215.0.2", clk.Now()), "10.215.0.0/24")
	if got := kernelBlocks(t, p); !slices.Equal(got, []string{"10.214.0.2/32 block4_32_block-ip", "10.215.0.0/24 block4_24_block-net", "10.215.0.2/32 block4_32_block-ip"}) {
		t.Fatalf("after the second /24 the kernel holds %v", got)
	}
	if reaches("10.215.0.3") {
		t.Error("10.215.0.3 connects inside a blocked /24")
	}

	// 121 minutes: both /32s are reverted; 10.215.0.2 stays blocked by
	// its /24 (until 150 minutes).
	clk.Add(31 * time.Minute)
	wantKernel("after 121m", "10.215.0.0/24 block4_24_block-net")
	if !reaches("10.214.0.2") {
		t.Error("after its /32's revert, 10.214.0.2 is still blocked")
	}
	if reaches("10.215.0.2") {
		t.Error("after its /32's revert, 10.215.0.2 connects; the /24 around it is still in force")
	}

	// 151 minutes: nothing is left.
	clk.Add(30 * time.Minute)
	wantKernel("after 151m")
	if !reaches("10.215.0.2") {
		t.Error("after every revert, 10.215.0.2 is still blocked")
	}
	// The store records each revert after the kernel's.
	want := map[string]float64{}
	for name, reverts := range map[string]float64{"block-net": 2, "block-ip": 2, "block-host": 1} {
		want[fmt.Sprintf(`breachd_actions_containments_active{action=%q}`, name)] = 0
		want[fmt.Sprintf(`breachd_actions_reverts_total{action=%q,result="reverted"}`, name)] = reverts
	}
	h.waitFor(fmt.Sprintf("the reverts recorded: %v", want), func() bool {
		m := h.metrics()
		for k, v := range want {
			if got, ok := m[k]; !ok || got != v {
				return false
			}
		}
		return true
	})
}

// TestHostAddressAddedAfterStart: an address the host gains after the
// daemon started is never blocked; one it loses may be.
func TestHostAddressAddedAfterStart(t *testing.T) {
	p := newPairWithNft(t)
	clk := &clock{now: time.Now()}
	h := startWith(t, t.TempDir(), safeguardConfig, daemon.Options{NetNSFd: p.HostFd, Now: clk.Now, RevertEvery: 20 * time.Millisecond})
	const gauge = `breachd_nftables_host_addresses{}`
	before := h.metrics()[gauge]
	if before < 4 {
		t.Fatalf("%s = %v at start, want at least the namespace's 4 addresses", gauge, before)
	}
	mustRun(t, "ip", "-n", p.Host, "addr", "add", "10.216.0.1/32", "dev", "lo")
	mustRun(t, "ip", "-n", p.Host, "addr", "add", "10.216.0.2/32", "dev", "lo")
	h.waitFor("the daemon to follow two new addresses", func() bool { return h.metrics()[gauge] == before+2 })
	mustRun(t, "ip", "-n", p.Host, "addr", "del", "10.216.0.2/32", "dev", "lo")
	h.waitFor("the daemon to follow a removed address", func() bool { return h.metrics()[gauge] == before+1 })

	d := h.attack("guess 10.216.0.1", "Failed password for root from 10.216.0.1", clk.Now())
	const reason = "10.216.0.1/32 is never blocked: it is an address of this host"
	if a := d.Actions[0]; a.State != incidents.ActionRejected || !strings.Contains(a.Result, reason) {
		t.Errorf("run = %s %q, want rejected: %s", a.State, a.Result, reason)
	}
	onTimeline := 0
	for _, e := range d.Timeline {
		if strings.Contains(e.Message, reason) {
			onTimeline++
		}
	}
	if onTimeline != 1 {
		t.Errorf("the reason is on the timeline %d times, want 1", onTimeline)
	}
	// The /24 of the host's new address is refused too.
	d = h.attack("scan 10.216.0.1", "Port scan from 10.216.0.1", clk.Now())
	if a := d.Actions[0]; a.State != incidents.ActionRejected || !strings.Contains(a.Result, "10.216.0.0/24 is never blocked") {
		t.Errorf("the host's /24: run = %s %q, want rejected", a.State, a.Result)
	}
	// The address it no longer has is blocked.
	d = h.attack("guess 10.216.0.2", "Failed password for root from 10.216.0.2", clk.Now())
	if a := d.Actions[0]; a.State != incidents.ActionSucceeded {
		t.Errorf("a former address of the host: run = %s %q, want succeeded", a.State, a.Result)
	}
	if got := kernelBlocks(t, p); !slices.Equal(got, []string{"10.216.0.2/32 block4_32_block-ip"}) {
		t.Errorf("the kernel holds %v, want only 10.216.0.2/32", got)
	}
}

// TestPrefixFromLogRejected: a value captured from a log is one address;
// a CIDR in its place is refused on the timeline and nothing reaches the
// kernel, for either action (one with a configured /24 too).
func TestPrefixFromLogRejected(t *testing.T) {
	p := newPairWithNft(t)
	clk := &clock{now: time.Now()}
	h := startWith(t, t.TempDir(), safeguardConfig, daemon.Options{NetNSFd: p.HostFd, Now: clk.Now, RevertEvery: 20 * time.Millisecond})
	for _, c := range []struct{ title, msg, value string }{
		{"guess 1.0.0.0/16", "Failed password for root from 1.0.0.0/16", "1.0.0.0/16"},
		{"scan 1.0.0.0/16", "Port scan from 1.0.0.0/16", "1.0.0.0/16"},
		{"guess 10.214.0.2/32", "Failed password for root from 10.214.0.2/32", "10.214.0.2/32"},
		{"guess 2001:db8::/48", "Failed password for root from 2001:db8::/48", "2001:db8::/48"},
	} {
		d := h.attack(c.title, c.msg, clk.Now())
		want := fmt.Sprintf("field ip: %q is a prefix; a value from a log must be a single address", c.value)
		if a := d.Actions[0]; a.State != incidents.ActionRejected || !strings.Contains(a.Result, want) {
			t.Errorf("%s: run = %s %q, want rejected: %s", c.title, a.State, a.Result, want)
		}
		onTimeline := 0
		for _, e := range d.Timeline {
			if strings.Contains(e.Message, want) {
				onTimeline++
			}
		}
		if onTimeline != 1 {
			t.Errorf("%s: the reason is on the timeline %d times, want 1", c.title, onTimeline)
		}
	}
	if got := kernelBlocks(t, p); len(got) != 0 {
		t.Errorf("the kernel holds %v, want nothing", got)
	}
}

// TestKernelRefusalIsAFailedRun: when the kernel refuses a block (here
// another program owns a table of breachd's name), the run is failed with
// the kernel's error on the timeline, and nothing is recorded as
// contained; once the table is free, the next block goes through.
func TestKernelRefusalIsAFailedRun(t *testing.T) {
	p := newPairWithNft(t)
	// nft -i keeps its table while it runs; "flags owner" makes the
	// kernel refuse every other program's change to it.
	owner := exec.Command("ip", "netns", "exec", p.Host, "nft", "-i")
	stdin, err := owner.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := owner.Start(); err != nil {
		t.Fatal(err)
	}
	release := func() {
		stdin.Close()
		owner.Wait()
	}
	t.Cleanup(release)
	if _, err := io.WriteString(stdin, "add table inet breachd { flags owner; }\n"); err != nil {
		t.Fatal(err)
	}
	tableHeld := func() bool {
		out, err := p.HostCommand("nft", "list", "tables")
		if err != nil {
			t.Fatalf("nft list tables: %v: %s", err, out)
		}
		return strings.Contains(out, "table inet breachd")
	}
	clk := &clock{now: time.Now()}
	h := startWith(t, t.TempDir(), safeguardConfig, daemon.Options{NetNSFd: p.HostFd, Now: clk.Now, RevertEvery: 20 * time.Millisecond})
	h.waitFor("the other program's table", tableHeld)

	d := h.attack("guess 10.214.0.9", "Failed password for root from 10.214.0.9", clk.Now())
	if a := d.Actions[0]; a.State != incidents.ActionFailed || !strings.Contains(a.Result, "operation not permitted") {
		t.Errorf("run = %s %q, want failed with the kernel's error", a.State, a.Result)
	}
	failed := 0
	for _, e := range d.Timeline {
		if e.Kind == "action" && strings.Contains(e.Message, "failed") && strings.Contains(e.Message, "operation not permitted") {
			failed++
		}
	}
	if failed != 1 {
		t.Errorf("%d failed runs on the timeline, want 1", failed)
	}
	if len(d.Containments) != 0 {
		t.Errorf("containments = %+v, want none", d.Containments)
	}
	// (nft 1.0.6 cannot write an owner table as JSON: its text it is.)
	if out, err := p.HostCommand("nft", "list", "table", "inet", "breachd"); err != nil || strings.Contains(out, "set ") || strings.Contains(out, "chain ") {
		t.Errorf("the other program's table: %v\n%s\nwant it as it made it, empty", err, out)
	}

	release()
	h.waitFor("the table to be released", func() bool { return !tableHeld() })
	d = h.attack("guess 10.214.0.10", "Failed password for root from 10.214.0.10", clk.Now())
	if a := d.Actions[0]; a.State != incidents.ActionSucceeded {
		t.Errorf("after the release: run = %s %q, want succeeded", a.State, a.Result)
	}
	if got := kernelBlocks(t, p); !slices.Equal(got, []string{"10.214.0.10/32 block4_32_block-ip"}) {
		t.Errorf("the kernel holds %v", got)
	}
}
