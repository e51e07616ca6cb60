package nftables_test

import (
	"net/netip"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/actions/nftables"
	"github.com/breachd/breachd/actions/nftables/netnstest"
)

// dialTimeout is how long a dial waits for an answer; a dropped SYN shows
// as a timeout.
const dialTimeout = 400 * time.Millisecond

func mustReach(t *testing.T, p *netnstest.Pair, src, dst string, port int) {
	t.Helper()
	if err := p.Dial(src, dst, port, 5*time.Second); err != nil {
		t.Fatalf("%s → %s:%d should connect: %v", src, dst, port, err)
	}
}

func mustNotReach(t *testing.T, p *netnstest.Pair, src, dst string, port int) {
	t.Helper()
	if err := p.Dial(src, dst, port, dialTimeout); err == nil {
		t.Fatalf("%s → %s:%d connected; it should be blocked", src, dst, port)
	}
}

func prefix(s string) netip.Prefix {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p
	}
	a := netip.MustParseAddr(s)
	return netip.PrefixFrom(a, a.BitLen())
}

// TestBlockAddressRangeAndIPv6 serves TCP in a namespace, blocks the peer
// with the kernel's nftables and checks what gets through.
func TestBlockAddressRangeAndIPv6(t *testing.T) {
	p := netnstest.New(t)
	port := p.Serve()
	b := nftables.New(nftables.Options{NetNSFd: p.HostFd})
	mustReach(t, p, netnstest.PeerV4, netnstest.HostV4, port)

	// One IPv4 address: it is dropped, its neighbour is not.
	if err := b.Block("t", prefix(netnstest.PeerV4), time.Hour); err != nil {
		t.Fatal(err)
	}
	mustNotReach(t, p, netnstest.PeerV4, netnstest.HostV4, port)
	mustReach(t, p, netnstest.Peer2V4, netnstest.HostV4, port)
	list, err := b.List()
	if err != nil || len(list) != 1 || list[0].Prefix != prefix(netnstest.PeerV4) || list[0].Expires <= 0 || list[0].Expires > time.Hour {
		t.Fatalf("kernel holds %+v, %v; want %s with a timeout of at most 1h", list, err, netnstest.PeerV4)
	}
	// Blocking again replaces the timeout instead of failing.
	if err := b.Block("t", prefix(netnstest.PeerV4), 2*time.Hour); err != nil {
		t.Fatal(err)
	}
	if list, _ := b.List(); len(list) != 1 || list[0].Expires <= time.Hour {
		t.Fatalf("after re-block: %+v, want one element with the new 2h timeout", list)
	}
	if err := b.Unblock("t", prefix(netnstest.PeerV4)); err != nil {
		t.Fatal(err)
	}
	mustReach(t, p, netnstest.PeerV4, netnstest.HostV4, port)
	if err := b.Unblock("t", prefix(netnstest.PeerV4)); err != nil {
		t.Errorf("unblocking what is not blocked: %v", err)
	}

	// Adjacent addresses: the end of one interval is the start of the
	// next; both stay blocked, and removing one keeps the other.
	if err := b.Block("t", prefix(netnstest.PeerV4), time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := b.Block("t", prefix(netnstest.Peer2V4), time.Hour); err != nil {
		t.Fatal(err)
	}
	if list, _ := b.List(); len(list) != 2 {
		t.Fatalf("two adjacent blocks: kernel holds %+v", list)
	}
	mustNotReach(t, p, netnstest.PeerV4, netnstest.HostV4, port)
	mustNotReach(t, p, netnstest.Peer2V4, netnstest.HostV4, port)
	if err := b.Unblock("t", prefix(netnstest.PeerV4)); err != nil {
		t.Fatal(err)
	}
	mustReach(t, p, netnstest.PeerV4, netnstest.HostV4, port)
	mustNotReach(t, p, netnstest.Peer2V4, netnstest.HostV4, port)
	if list, _ := b.List(); len(list) != 1 || list[0].Prefix != prefix(netnstest.Peer2V4) {
		t.Fatalf("after removing one of two adjacent blocks: %+v", list)
	}
	if err := b.Unblock("t", prefix(netnstest.Peer2V4)); err != nil {
		t.Fatal(err)
	}
	mustReach(t, p, netnstest.Peer2V4, netnstest.HostV4, port)

	// IPv6.
	mustReach(t, p, netnstest.PeerV6, netnstest.HostV6, port)
	if err := b.Block("t", prefix(netnstest.PeerV6), time.Hour); err != nil {
		t.Fatal(err)
	}
	mustNotReach(t, p, netnstest.PeerV6, netnstest.HostV6, port)
	mustReach(t, p, netnstest.PeerV4, netnstest.HostV4, port)
	if err := b.Unblock("t", prefix(netnstest.PeerV6)); err != nil {
		t.Fatal(err)
	}
	mustReach(t, p, netnstest.PeerV6, netnstest.HostV6, port)

	// A range: both peer addresses are in it.
	if err := b.Block("t", prefix(netnstest.PeerNet), time.Hour); err != nil {
		t.Fatal(err)
	}
	mustNotReach(t, p, netnstest.PeerV4, netnstest.HostV4, port)
	mustNotReach(t, p, netnstest.Peer2V4, netnstest.HostV4, port)
	if list, _ := b.List(); len(list) != 1 || list[0].Prefix != prefix(netnstest.PeerNet) {
		t.Fatalf("kernel holds %+v, want the range %s", list, netnstest.PeerNet)
	}
	if err := b.Unblock("t", prefix(netnstest.PeerNet)); err != nil {
		t.Fatal(err)
	}
	mustReach(t, p, netnstest.Peer2V4, netnstest.HostV4, port)
}

// TestKernelExpiresTheBlock: the element's own timeout frees the address
// even if breachd never comes back to revert it.
func TestKernelExpiresTheBlock(t *testing.T) {
	p := netnstest.New(t)
	port := p.Serve()
	b := nftables.New(nftables.Options{NetNSFd: p.HostFd})
	if err := b.Block("t", prefix(netnstest.PeerV4), time.Second); err != nil {
		t.Fatal(err)
	}
	mustNotReach(t, p, netnstest.PeerV4, netnstest.HostV4, port)
	deadline := time.Now().Add(15 * time.Second)
	for {
		list, err := b.List()
		if err != nil {
			t.Fatal(err)
		}
		if len(list) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the kernel still holds %+v after its 1s timeout", list)
		}
		time.Sleep(50 * time.Millisecond) // polling the kernel, not timing the test
	}
	mustReach(t, p, netnstest.PeerV4, netnstest.HostV4, port)
	// Blocked again after the kernel dropped it (the Blocker still thinks
	// it there): the block holds, for the new time.
	if err := b.Block("t", prefix(netnstest.PeerV4), time.Hour); err != nil {
		t.Fatal(err)
	}
	mustNotReach(t, p, netnstest.PeerV4, netnstest.HostV4, port)
	if list, err := b.List(); err != nil || len(list) != 1 || list[0].Expires < 59*time.Minute {
		t.Errorf("after the re-block the kernel holds %+v (%v), want one element with about an hour left", list, err)
	}
}

// TestReconcileAfterFlush: someone runs "nft flush ruleset"; reconcile
// recreates the table and puts the active blocks back, and removes
// elements whose block is no longer active.
func TestReconcileAfterFlush(t *testing.T) {
	if _, err := exec.LookPath("nft"); err != nil {
		t.Skip("needs nft(8) to flush the ruleset by hand (apt-get install nftables)")
	}
	p := netnstest.New(t)
	port := p.Serve()
	b := nftables.New(nftables.Options{NetNSFd: p.HostFd})
	if err := b.Block("t", prefix(netnstest.PeerV4), time.Hour); err != nil {
		t.Fatal(err)
	}
	if out, err := p.HostCommand("nft", "flush", "ruleset"); err != nil {
		t.Fatalf("nft flush ruleset: %v: %s", err, out)
	}
	mustReach(t, p, netnstest.PeerV4, netnstest.HostV4, port)
	want := map[netip.Prefix]time.Duration{prefix(netnstest.PeerV4): 50 * time.Minute, prefix(netnstest.PeerV6): 50 * time.Minute}
	added, removed, err := b.Reconcile("t", want)
	if err != nil || added != 2 || removed != 0 {
		t.Fatalf("reconcile: added %d removed %d, %v; want 2 added", added, removed, err)
	}
	mustNotReach(t, p, netnstest.PeerV4, netnstest.HostV4, port)
	mustNotReach(t, p, netnstest.PeerV6, netnstest.HostV6, port)
	out, err := p.HostCommand("nft", "list", "table", "inet", "breachd")
	if err != nil {
		t.Fatalf("nft list: %v: %s", err, out)
	}
	t.Logf("restored table:\n%s", out)
	// Nothing to do when the kernel already matches.
	if added, removed, err := b.Reconcile("t", want); err != nil || added != 0 || removed != 0 {
		t.Errorf("second reconcile: %d %d %v", added, removed, err)
	}
	// A block revoked in the store goes from the kernel.
	delete(want, prefix(netnstest.PeerV4))
	if _, removed, err := b.Reconcile("t", want); err != nil || removed != 1 {
		t.Fatalf("reconcile after a revoke: removed %d, %v", removed, err)
	}
	mustReach(t, p, netnstest.PeerV4, netnstest.HostV4, port)
	mustNotReach(t, p, netnstest.PeerV6, netnstest.HostV6, port)
}

// BenchmarkBlock is one block of a new address in a table that exists:
// the kernel's part of the 5th-failure-to-block latency.
func BenchmarkBlock(b *testing.B) {
	p := netnstest.New(b)
	bl := nftables.New(nftables.Options{NetNSFd: p.HostFd})
	if _, err := bl.Ensure(); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		a := netip.AddrFrom4([4]byte{198, 18, byte(i >> 8), byte(i)})
		if err := bl.Block("t", netip.PrefixFrom(a, 32), time.Hour); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// TestOverlappingPrefixes: a range and an address inside it are two
// elements, in either order; lifting one leaves the other in force.
func TestOverlappingPrefixes(t *testing.T) {
	p := netnstest.New(t)
	port := p.Serve()
	b := nftables.New(nftables.Options{NetNSFd: p.HostFd})
	for _, order := range [][]string{{netnstest.PeerNet, netnstest.PeerV4}, {netnstest.PeerV4, netnstest.PeerNet}} {
		for _, s := range order {
			if err := b.Block("t", prefix(s), time.Hour); err != nil {
				t.Fatalf("block %s after %v: %v", s, order, err)
			}
		}
		if list, err := b.List(); err != nil || len(list) != 2 || list[0].Prefix != prefix(netnstest.PeerNet) || list[1].Prefix != prefix(netnstest.PeerV4) {
			t.Fatalf("%v: kernel holds %+v, %v; want both", order, list, err)
		}
		mustNotReach(t, p, netnstest.PeerV4, netnstest.HostV4, port)
		mustNotReach(t, p, netnstest.Peer2V4, netnstest.HostV4, port)
		// The range goes: the address inside it stays blocked.
		if err := b.Unblock("t", prefix(netnstest.PeerNet)); err != nil {
			t.Fatal(err)
		}
		mustNotReach(t, p, netnstest.PeerV4, netnstest.HostV4, port)
		mustReach(t, p, netnstest.Peer2V4, netnstest.HostV4, port)
		// Back, then the address goes: the range holds it.
		if err := b.Block("t", prefix(netnstest.PeerNet), time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := b.Unblock("t", prefix(netnstest.PeerV4)); err != nil {
			t.Fatal(err)
		}
		mustNotReach(t, p, netnstest.PeerV4, netnstest.HostV4, port)
		if list, _ := b.List(); len(list) != 1 || list[0].Prefix != prefix(netnstest.PeerNet) {
			t.Fatalf("after lifting the address: %+v, want the range alone", list)
		}
		if err := b.Unblock("t", prefix(netnstest.PeerNet)); err != nil {
			t.Fatal(err)
		}
		mustReach(t, p, netnstest.PeerV4, netnstest.HostV4, port)
	}
	// Two owners block the same address: two elements; each lifts its own.
	if err := b.Block("a", prefix(netnstest.PeerV4), time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := b.Block("b", prefix(netnstest.PeerV4), 2*time.Hour); err != nil {
		t.Fatal(err)
	}
	if list, _ := b.List(); len(list) != 2 || list[0].Owner != "a" || list[1].Owner != "b" || list[0].Expires > time.Hour || list[1].Expires <= time.Hour {
		t.Fatalf("two owners of one address: %+v", list)
	}
	if err := b.Unblock("b", prefix(netnstest.PeerV4)); err != nil {
		t.Fatal(err)
	}
	mustNotReach(t, p, netnstest.PeerV4, netnstest.HostV4, port)
	// Reconcile of one owner leaves the other's alone.
	if added, removed, err := b.Reconcile("b", nil); err != nil || added != 0 || removed != 0 {
		t.Fatalf("reconcile of b: %d %d %v", added, removed, err)
	}
	if list, _ := b.List(); len(list) != 1 || list[0].Owner != "a" {
		t.Fatalf("after b's reconcile: %+v, want a's block alone", list)
	}
	if err := b.Unblock("a", prefix(netnstest.PeerV4)); err != nil {
		t.Fatal(err)
	}
	mustReach(t, p, netnstest.PeerV4, netnstest.HostV4, port)

	// Reconcile after a flush puts both back, each in its set.
	if _, err := p.HostCommand("nft", "flush", "ruleset"); err != nil {
		t.Skip("needs nft(8)")
	}
	want := map[netip.Prefix]time.Duration{prefix(netnstest.PeerNet): time.Hour, prefix(netnstest.PeerV4): 2 * time.Hour}
	if added, removed, err := b.Reconcile("t", want); err != nil || added != 2 || removed != 0 {
		t.Fatalf("reconcile: added %d removed %d, %v; want 2 added", added, removed, err)
	}
	if list, _ := b.List(); len(list) != 2 {
		t.Fatalf("after reconcile: %+v", list)
	}
	if added, removed, err := b.Reconcile("t", want); err != nil || added != 0 || removed != 0 {
		t.Errorf("second reconcile: %d %d %v", added, removed, err)
	}
}

// TestOldTableIsReplaced: a table in the layout of an earlier version (one
// interval set per family) is recreated.
func TestOldTableIsReplaced(t *testing.T) {
	p := netnstest.New(t)
	if _, err := exec.LookPath("nft"); err != nil {
		t.Skip("needs nft(8) (apt-get install nftables)")
	}
	if out, err := p.HostCommand("nft", "add table inet breachd; add set inet breachd block4 { type ipv4_addr; flags interval,timeout; }; add element inet breachd block4 { 10.213.0.2 timeout 1h }"); err != nil {
		t.Fatalf("nft: %v: %s", err, out)
	}
	b := nftables.New(nftables.Options{NetNSFd: p.HostFd})
	if created, err := b.Ensure(); err != nil || !created {
		t.Fatalf("ensure over the old layout: created %v, %v; want it recreated", created, err)
	}
	if list, err := b.List(); err != nil || len(list) != 0 {
		t.Fatalf("after recreating: %+v, %v", list, err)
	}
	if out, _ := p.HostCommand("nft", "list", "table", "inet", "breachd"); strings.Contains(out, "block4 ") {
		t.Errorf("the old set is still there:\n%s", out)
	}
}

// TestOwnerIsChecked: a set's name is made of its owner's; one that could
// not be an action's name is refused before the kernel sees it.
func TestOwnerIsChecked(t *testing.T) {
	p := netnstest.New(t)
	b := nftables.New(nftables.Options{NetNSFd: p.HostFd})
	for _, owner := range []string{"", "a b", "a;b", "x\n", strings.Repeat("a", 65)} {
		if err := b.Block(owner, prefix(netnstest.PeerV4), time.Hour); err == nil || !strings.Contains(err.Error(), "invalid owner") {
			t.Errorf("owner %q: %v, want refused", owner, err)
		}
	}
	if list, err := b.List(); err != nil || len(list) != 0 {
		t.Errorf("kernel holds %+v, %v; want nothing", list, err)
	}
}
