package nftables_test

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/breachd/breachd/actions/nftables"
	"github.com/breachd/breachd/actions/nftables/netnstest"
)

// TestHostAddrsFollowsChanges: Watch sees an address added to and removed
// from an interface of the namespace, without a check asking.
func TestHostAddrsFollowsChanges(t *testing.T) {
	p := netnstest.New(t)
	h := nftables.NewHostAddrs(p.HostFd)
	if err := h.Load(); err != nil {
		t.Fatal(err)
	}
	start := h.Len()
	for _, a := range []string{netnstest.HostV4, netnstest.HostV6, "127.0.0.1", "::1"} {
		if _, ok, err := h.Inside(prefix(a)); err != nil || !ok {
			t.Errorf("%s is an address of the namespace: %v %v", a, ok, err)
		}
	}
	if _, ok, _ := h.Inside(prefix(netnstest.PeerV4)); ok {
		t.Errorf("the peer's %s is no address of the host", netnstest.PeerV4)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Watch(ctx) }()
	// The kernel may add addresses of its own meanwhile (an IPv6
	// link-local one once duplicate detection ends): wait for the ones
	// the test adds and removes, not for a count.
	waitInside := func(pfx string, want bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			_, ok, err := h.Inside(netip.MustParsePrefix(pfx))
			if err != nil {
				t.Fatal(err)
			}
			if ok == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("Inside(%s) = %v after 10 s, want %v (%d addresses)", pfx, ok, want, h.Len())
			}
			time.Sleep(5 * time.Millisecond) // polling for the watcher, not timing
		}
	}
	if out, err := p.HostCommand("ip", "addr", "add", "198.51.100.7/32", "dev", "lo"); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	waitInside("198.51.100.0/24", true)
	if h.Len() <= start {
		t.Errorf("%d addresses after one was added to %d", h.Len(), start)
	}
	if a, ok, err := h.Inside(netip.MustParsePrefix("198.51.100.0/24")); err != nil || !ok || a != netip.MustParseAddr("198.51.100.7") {
		t.Errorf("Inside(198.51.100.0/24) = %v %v %v, want the new address", a, ok, err)
	}
	if out, err := p.HostCommand("ip", "addr", "add", "2001:db8::7/128", "dev", "lo", "nodad"); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	waitInside("2001:db8::/64", true)
	if _, ok, err := h.Inside(netip.MustParsePrefix("2001:db8::/64")); err != nil || !ok {
		t.Errorf("Inside(2001:db8::/64) = %v %v, want the new IPv6 address", ok, err)
	}
	for _, a := range []string{"198.51.100.7/32", "2001:db8::7/128"} {
		if out, err := p.HostCommand("ip", "addr", "del", a, "dev", "lo"); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
	}
	waitInside("198.51.100.0/24", false)
	waitInside("2001:db8::/64", false)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Watch after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Watch did not return after cancel")
	}
}
