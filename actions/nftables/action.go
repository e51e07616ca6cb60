package nftables

import (
	"context"
	"fmt"
	"math"
	"net/netip"
	"strings"
	"time"

	"github.com/breachd/breachd/actions"
	"github.com/breachd/breachd/configs"
)

// Action is a configured nftables action: it blocks the address in one
// field of the finding.
type Action struct {
	name    string
	spec    *configs.NftablesAction
	blocker *Blocker
	// never are the prefixes never blocked: the action's own, the
	// containment block's and AlwaysNever.
	never []netip.Prefix
	// host are the addresses of the host, never blocked; nil protects
	// none.
	host *HostAddrs
	// protected lists the addresses of administrators' sessions now; nil
	// protects none.
	protected func() ([]netip.Addr, error)
}

// An Action is no actions.Grouped: each reconciles its own sets of the
// one table (Blocker.Reconcile by owner), so that two actions blocking
// the same prefix keep two elements with their own timeouts.
var _ actions.Containment = (*Action)(nil)

// NewAction returns the action for spec, blocking through b, never
// blocking any prefix in never, an address of host, nor an address
// protected returns (the administrators' sessions, read at each check).
func NewAction(spec *configs.Action, b *Blocker, never []netip.Prefix, host *HostAddrs, protected func() ([]netip.Addr, error)) *Action {
	all := append(append([]netip.Prefix{}, spec.Nftables.Never...), never...)
	return &Action{name: spec.Name, spec: spec.Nftables, blocker: b, never: append(all, configs.AlwaysNever()...), host: host, protected: protected}
}

// Fields implements actions.Action: none is validated by name, Target
// parses its own.
func (a *Action) Fields() []string { return nil }

// Target implements actions.Containment: the field's value is one
// address, widened to the configured ipv4_prefix / ipv6_prefix, refused
// when it overlaps a never prefix or an address of the host.
func (a *Action) Target(req actions.Request) (string, error) {
	v, ok := req.Fields[a.spec.Target]
	if !ok {
		return "", fmt.Errorf("field %s is missing", a.spec.Target)
	}
	p, err := parseTarget(v, a.spec.IPv4Prefix, a.spec.IPv6Prefix)
	if err != nil {
		return "", fmt.Errorf("field %s: %w", a.spec.Target, err)
	}
	for _, n := range a.never {
		if n.Overlaps(p) {
			return "", fmt.Errorf("%s is never blocked: it overlaps %s on the never list", p, n)
		}
	}
	if a.host != nil {
		if ad, ok, err := a.host.Inside(p); err != nil {
			return "", fmt.Errorf("cannot read the host's addresses (%v), so %s is not blocked", err, p)
		} else if ok {
			return "", fmt.Errorf("%s is never blocked: it is an address of this host (%s)", p, ad)
		}
	}
	if a.protected != nil {
		admins, err := a.protected()
		if err != nil {
			return "", fmt.Errorf("cannot check the administrators' sessions (%v), so %s is not blocked", err, p)
		}
		for _, ad := range admins {
			if p.Contains(ad) {
				return "", fmt.Errorf("%s is never blocked: an administrator is logged in from %s", p, ad)
			}
		}
	}
	return p.String(), nil
}

// parseTarget parses a value from a log: one address (no zone,
// IPv4-mapped ones unmapped), never a prefix: ranges come from the config
// only, as the prefix lengths bits4 and bits6 the address is widened to.
func parseTarget(v string, bits4, bits6 int) (netip.Prefix, error) {
	if len(v) > 64 {
		return netip.Prefix{}, fmt.Errorf("%d bytes is not an address", len(v))
	}
	if strings.Contains(v, "/") {
		return netip.Prefix{}, fmt.Errorf("%q is a prefix; a value from a log must be a single address (set ipv4_prefix or ipv6_prefix on the action to block its network)", v)
	}
	addr, err := netip.ParseAddr(v)
	if err != nil || addr.Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("%q is not an IP address", v)
	}
	addr = addr.Unmap()
	bits := bits6
	if addr.Is4() {
		bits = bits4
	}
	return netip.PrefixFrom(addr, bits).Masked(), nil
}

// TTL implements actions.Containment: ttl × factor^(offense-1), at most
// the escalation's max.
func (a *Action) TTL(offense int) time.Duration {
	ttl := a.spec.TTL
	if a.spec.EscalateFactor <= 1 || offense <= 1 {
		return ttl
	}
	f := float64(ttl) * math.Pow(a.spec.EscalateFactor, float64(offense-1))
	if f >= float64(a.spec.EscalateMax) || math.IsInf(f, 0) {
		return a.spec.EscalateMax
	}
	return time.Duration(f)
}

// Volatile implements actions.Volatile: the kernel's sets do not survive a
// reboot.
func (a *Action) Volatile() bool { return true }

// Apply implements actions.Containment.
func (a *Action) Apply(_ context.Context, target string, ttl time.Duration) (string, string, error) {
	p, err := netip.ParsePrefix(target)
	if err != nil {
		return "", "", err
	}
	if err := a.blocker.Block(a.name, p, ttl); err != nil {
		return "", "", err
	}
	return fmt.Sprintf("blocked %s in inet %s", p, TableName), "", nil
}

// Revert implements actions.Containment.
func (a *Action) Revert(_ context.Context, target, _ string) (string, error) {
	p, err := netip.ParsePrefix(target)
	if err != nil {
		return "", err
	}
	if err := a.blocker.Unblock(a.name, p); err != nil {
		return "", err
	}
	return fmt.Sprintf("unblocked %s", p), nil
}

// Describe implements actions.Describer.
func (a *Action) Describe(req actions.Request) (string, error) {
	t, err := a.Target(req)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("block %s in inet %s", t, TableName), nil
}

// Run implements actions.Action for callers that do not know
// containments: a block for the first offence's TTL.
func (a *Action) Run(ctx context.Context, req actions.Request) (string, error) {
	t, err := a.Target(req)
	if err != nil {
		return "", err
	}
	detail, _, err := a.Apply(ctx, t, a.TTL(1))
	return detail, err
}

// Reconcile implements actions.Containment.
func (a *Action) Reconcile(_ context.Context, active map[string]time.Duration) (string, error) {
	want := make(map[netip.Prefix]time.Duration, len(active))
	for t, left := range active {
		p, err := netip.ParsePrefix(t)
		if err != nil {
			continue
		}
		want[p] = left
	}
	created, err := a.blocker.Ensure()
	if err != nil {
		return "", err
	}
	added, removed, err := a.blocker.Reconcile(a.name, want)
	if err != nil {
		return "", err
	}
	if !created && added == 0 && removed == 0 {
		return "", nil
	}
	detail := fmt.Sprintf("re-added %d, removed %d", added, removed)
	if created {
		detail = "table inet " + TableName + " (re)created; " + detail
	}
	return detail, nil
}
