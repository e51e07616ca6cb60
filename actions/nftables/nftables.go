package nftables

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/nftables"
	"github.com/google/nftables/expr"
	"golang.org/x/sys/unix"
)

// Names of what breachd owns in the kernel.
const (
	TableName = "breachd"
	// SetPrefix4 and SetPrefix6 begin the names of the sets: one per
	// owner (the action), family and prefix length in use,
	// "block4_32_block-ip", "block4_24_block-net", "block6_128_block-ip"...
	SetPrefix4 = "block4_"
	SetPrefix6 = "block6_"
)

// chains are the base chains breachd adds: traffic to the host and
// traffic it routes (containers, VMs).
var chainHooks = []struct {
	name string
	hook *nftables.ChainHook
}{{"input", nftables.ChainHookInput}, {"forward", nftables.ChainHookForward}}

// Blocker manages the breachd table. It is safe for concurrent use; every
// method opens its own netlink connection.
//
// The table holds one interval set per owner (the action that blocks),
// address family and prefix length in use, each with a rule in both
// chains. Prefixes of one length are equal or disjoint, so a set never
// holds two that overlap (the kernel refuses that): a /24 and a /32 inside
// it, or one address blocked by two actions, are elements of separate
// sets, each with its own timeout and revert, and an address is dropped
// while any of them holds it.
type Blocker struct {
	mu      sync.Mutex
	netnsFd int
	// complete is set once the table is known whole (ensure, reconcile) and
	// cleared when a change finds it gone: a block then pays one batch,
	// not a listing first.
	complete bool
	// sets are the names of the sets the table is known to hold, each with
	// its two rules.
	sets map[string]bool
	// present are the prefixes this Blocker put in the kernel (or found
	// there at the last reconcile). A block of a prefix not in it is one
	// add; of one in it, a delete and an add in one batch, which sets the
	// new timeout. A delete of an absent element makes the kernel abort
	// the batch, which costs a wait of several milliseconds.
	present map[block]bool
}

// block is one owner's block of one prefix: one element.
type block struct {
	owner  string
	prefix netip.Prefix
}

// Options configures a Blocker.
type Options struct {
	// NetNSFd, when not 0, is an open file of the network namespace to
	// manage (tests run in a namespace of their own); 0 is the daemon's.
	NetNSFd int
}

// New returns a Blocker. It touches nothing until called.
func New(opts Options) *Blocker {
	return &Blocker{netnsFd: opts.NetNSFd, sets: map[string]bool{}, present: map[block]bool{}}
}

func (b *Blocker) conn() (*nftables.Conn, error) {
	var opts []nftables.ConnOption
	if b.netnsFd != 0 {
		opts = append(opts, nftables.WithNetNSFd(b.netnsFd))
	}
	c, err := nftables.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("nftables: %w", err)
	}
	return c, nil
}

func table() *nftables.Table {
	return &nftables.Table{Name: TableName, Family: nftables.TableFamilyINet}
}

// setOf is the set that holds k: its owner's prefixes of its family and
// length.
func setOf(k block) *nftables.Set {
	s := &nftables.Set{Table: table(), KeyType: nftables.TypeIP6Addr, Interval: true, HasTimeout: true,
		Name: fmt.Sprintf("%s%d_%s", SetPrefix6, k.prefix.Bits(), k.owner), Comment: "prefixes breachd blocks"}
	if k.prefix.Addr().Is4() {
		s.KeyType, s.Name = nftables.TypeIPAddr, fmt.Sprintf("%s%d_%s", SetPrefix4, k.prefix.Bits(), k.owner)
	}
	return s
}

// parseSetName parses a set's name: its family, prefix length and owner.
func parseSetName(name string) (v6 bool, bits int, owner string, ok bool) {
	rest, v6 := strings.CutPrefix(name, SetPrefix6)
	if !v6 {
		var is4 bool
		if rest, is4 = strings.CutPrefix(name, SetPrefix4); !is4 {
			return false, 0, "", false
		}
	}
	n, owner, found := strings.Cut(rest, "_")
	bits, err := strconv.Atoi(n)
	if !found || owner == "" || err != nil || bits < 0 || bits > 128 || !v6 && bits > 32 || strconv.Itoa(bits) != n {
		return false, 0, "", false
	}
	return v6, bits, owner, true
}

// Entry is one blocked prefix as the kernel holds it.
type Entry struct {
	// Owner is the action that blocks it.
	Owner  string
	Prefix netip.Prefix
	// Expires is the time left before the kernel drops it (0: no timeout).
	Expires time.Duration
}

// Ensure creates the table and its chains if any is missing, or the
// table is not as this version makes it (then its sets go with it;
// Reconcile puts the active blocks back). It reports whether it had to
// (re)create the table.
func (b *Blocker) Ensure() (bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ensure()
}

func (b *Blocker) ensure() (bool, error) {
	c, err := b.conn()
	if err != nil {
		return false, err
	}
	sets, err := b.intact(c)
	if err != nil {
		return false, err
	}
	if sets != nil {
		b.complete, b.sets = true, sets
		return false, nil
	}
	b.complete = false
	clear(b.present)
	clear(b.sets)
	t := table()
	// Add then delete: deleting a table that does not exist fails the
	// batch, and a half-made table must go whole.
	c.AddTable(t)
	c.DelTable(t)
	c.AddTable(t)
	accept := nftables.ChainPolicyAccept
	for _, ch := range chainHooks {
		c.AddChain(&nftables.Chain{
			Name: ch.name, Table: t, Type: nftables.ChainTypeFilter, Hooknum: ch.hook,
			Priority: nftables.ChainPriorityRef(*nftables.ChainPriorityFilter - 10), Policy: &accept,
		})
	}
	if err := c.Flush(); err != nil {
		return false, fmt.Errorf("nftables: create table inet %s: %w", TableName, err)
	}
	b.complete = true
	return true, nil
}

// addSet queues set and its rule in both chains on c.
func addSet(c *nftables.Conn, set *nftables.Set) error {
	if err := c.AddSet(set, nil); err != nil {
		return fmt.Errorf("nftables: set %s: %w", set.Name, err)
	}
	proto, offset, length := byte(unix.NFPROTO_IPV4), uint32(12), uint32(4)
	if set.KeyType == nftables.TypeIP6Addr {
		proto, offset, length = unix.NFPROTO_IPV6, 8, 16
	}
	for _, ch := range chainHooks {
		c.AddRule(&nftables.Rule{Table: set.Table, Chain: &nftables.Chain{Name: ch.name, Table: set.Table},
			Exprs: dropFrom(proto, offset, length, set)})
	}
	return nil
}

// dropFrom is "meta nfproto PROTO <family> saddr @set counter drop".
func dropFrom(proto byte, offset, length uint32, set *nftables.Set) []expr.Any {
	return []expr.Any{
		&expr.Meta{Key: expr.MetaKeyNFPROTO, Register: 1},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{proto}},
		&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: offset, Len: length},
		&expr.Lookup{SourceRegister: 1, SetName: set.Name, SetID: set.ID},
		&expr.Counter{},
		&expr.Verdict{Kind: expr.VerdictDrop},
	}
}

// intact returns the names of the table's sets when the table is as
// ensure and addSet make it: both chains, and only sets of breachd's
// names, each an interval set with timeouts looked up by one rule in each
// chain. It returns nil when the table is gone or differs.
func (b *Blocker) intact(c *nftables.Conn) (map[string]bool, error) {
	t, err := c.ListTableOfFamily(TableName, nftables.TableFamilyINet)
	if err != nil {
		// Gone (or unreadable: then creating it reports why).
		return nil, nil
	}
	ss, err := c.GetSets(t)
	if err != nil {
		return nil, fmt.Errorf("nftables: list sets: %w", err)
	}
	names := make(map[string]bool, len(ss))
	for _, s := range ss {
		if _, _, _, ok := parseSetName(s.Name); !ok || !s.Interval || !s.HasTimeout {
			return nil, nil
		}
		names[s.Name] = true
	}
	for _, ch := range chainHooks {
		chain, err := c.ListChain(t, ch.name)
		if err != nil {
			return nil, nil
		}
		rules, err := c.GetRules(t, chain)
		if err != nil || len(rules) != len(names) {
			return nil, nil
		}
		looked := map[string]bool{}
		for _, r := range rules {
			for _, e := range r.Exprs {
				if l, ok := e.(*expr.Lookup); ok {
					looked[l.SetName] = true
				}
			}
		}
		if !maps.Equal(looked, names) {
			return nil, nil
		}
	}
	return names, nil
}

// Block adds prefix for ttl on behalf of owner (an action's name: letters,
// digits, '-' and '_'), for at least a second (the kernel counts in
// milliseconds and an element of 0 would never expire). The owner's block
// of the same prefix again replaces its timeout; other blocks that overlap
// it (other lengths, other owners) are kept, each with its own.
func (b *Blocker) Block(owner string, p netip.Prefix, ttl time.Duration) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	k := block{owner, p.Masked()}
	err := b.add(k, ttl)
	switch {
	case err != nil && notFound(err):
		// The table, a set or the element thought present is gone: make
		// the table whole and add the element alone.
		b.complete = false
		delete(b.present, k)
		err = b.add(k, ttl)
	case err != nil && (errors.Is(err, unix.EEXIST) || strings.Contains(err.Error(), unix.EEXIST.Error())):
		// There already, put by someone else: replace it for the new time.
		b.present[k] = true
		err = b.add(k, ttl)
	}
	if err != nil {
		return fmt.Errorf("nftables: block %s: %w", k.prefix, err)
	}
	b.present[k] = true
	return nil
}

// add puts k in the kernel for ttl in one batch: with its set and rules
// when the table has no such set yet, and after deleting k when this
// Blocker put it there, so that the new timeout is the one kept.
func (b *Blocker) add(k block, ttl time.Duration) error {
	if !b.complete {
		if _, err := b.ensure(); err != nil {
			return err
		}
	}
	c, err := b.conn()
	if err != nil {
		return err
	}
	set, elems, err := elements(k, max(ttl, time.Second))
	if err != nil {
		return err
	}
	newSet := !b.sets[set.Name]
	if newSet {
		if err := addSet(c, set); err != nil {
			return err
		}
	} else if b.present[k] {
		_, old, _ := elements(k, 0)
		if err := c.SetDeleteElements(set, old); err != nil {
			return err
		}
	}
	if err := c.SetAddElements(set, elems); err != nil {
		return err
	}
	if err := c.Flush(); err != nil {
		return err
	}
	if newSet {
		b.sets[set.Name] = true
	}
	return nil
}

// Unblock removes owner's block of prefix; one that is not there is no
// error, and other blocks that overlap it (other lengths, other owners)
// stay.
func (b *Blocker) Unblock(owner string, p netip.Prefix) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, err := b.conn()
	if err != nil {
		return err
	}
	return b.remove(c, block{owner, p.Masked()})
}

// remove deletes k in its own batch: the kernel refuses the whole batch
// when the element (or its set) is absent, which is then no error.
func (b *Blocker) remove(c *nftables.Conn, k block) error {
	set, elems, err := elements(k, 0)
	if err != nil {
		return err
	}
	if err := c.SetDeleteElements(set, elems); err != nil {
		return fmt.Errorf("nftables: unblock %s: %w", k.prefix, err)
	}
	if err := c.Flush(); err != nil && !notFound(err) {
		return fmt.Errorf("nftables: unblock %s: %w", k.prefix, err)
	}
	delete(b.present, k)
	return nil
}

// elements encodes k's prefix as the start and end of an interval in its
// set: the end is the first address after it, absent when it reaches the
// top of the space.
func elements(k block, ttl time.Duration) (*nftables.Set, []nftables.SetElement, error) {
	p := k.prefix
	if !p.IsValid() {
		return nil, nil, fmt.Errorf("nftables: invalid prefix %v", p)
	}
	if !validOwner(k.owner) {
		return nil, nil, fmt.Errorf("nftables: invalid owner %q", k.owner)
	}
	set := setOf(k)
	start := p.Addr().AsSlice()
	elems := []nftables.SetElement{{Key: start, Timeout: ttl}}
	if end, ok := next(lastAddr(p)); ok {
		elems = append(elems, nftables.SetElement{Key: end.AsSlice(), IntervalEnd: true})
	}
	return set, elems, nil
}

// notFound reports an ENOENT from the kernel: the table, set or element is
// not there. The netlink layers do not all wrap the errno.
func notFound(err error) bool {
	return errors.Is(err, unix.ENOENT) || strings.Contains(err.Error(), unix.ENOENT.Error())
}

func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

func next(a netip.Addr) (netip.Addr, bool) {
	n := a.Next()
	return n, n.IsValid()
}

// List returns the prefixes the kernel holds, sorted.
func (b *Blocker) List() ([]Entry, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, err := b.conn()
	if err != nil {
		return nil, err
	}
	return b.list(c)
}

func (b *Blocker) list(c *nftables.Conn) ([]Entry, error) {
	ss, err := c.GetSets(table())
	if err != nil {
		if notFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("nftables: list sets: %w", err)
	}
	var out []Entry
	for _, s := range ss {
		v6, bits, owner, ok := parseSetName(s.Name)
		if !ok {
			continue
		}
		elems, err := c.GetSetElements(s)
		if err != nil {
			if notFound(err) {
				continue
			}
			return nil, fmt.Errorf("nftables: list %s: %w", s.Name, err)
		}
		for _, e := range ranges(elems, v6) {
			if e.Prefix.Bits() == bits {
				e.Owner = owner
				out = append(out, e)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if pi, pj := out[i].Prefix.String(), out[j].Prefix.String(); pi != pj {
			return pi < pj
		}
		return out[i].Owner < out[j].Owner
	})
	return out, nil
}

// ranges turns interval elements back into prefixes. The kernel lists
// them in no promised order: starts are matched with the nearest end above.
func ranges(elems []nftables.SetElement, v6 bool) []Entry {
	type point struct {
		addr    netip.Addr
		end     bool
		expires time.Duration
	}
	var pts []point
	for _, e := range elems {
		a, ok := netip.AddrFromSlice(e.Key)
		if !ok {
			continue
		}
		pts = append(pts, point{a, e.IntervalEnd, e.Expires})
	}
	// At one address the end of a range sorts before the start of the
	// next: adjacent ranges ([.1, .2) and [.2, .3)) share it.
	sort.Slice(pts, func(i, j int) bool {
		if pts[i].addr != pts[j].addr {
			return pts[i].addr.Less(pts[j].addr)
		}
		return pts[i].end && !pts[j].end
	})
	var out []Entry
	for i, p := range pts {
		if p.end {
			continue
		}
		var last netip.Addr
		if i+1 < len(pts) && pts[i+1].end {
			last = pts[i+1].addr.Prev()
		} else {
			last = maxAddr(v6)
		}
		if pfx, ok := asPrefix(p.addr, last); ok {
			out = append(out, Entry{Prefix: pfx, Expires: p.expires})
		}
	}
	return out
}

func maxAddr(v6 bool) netip.Addr {
	if v6 {
		return netip.AddrFrom16([16]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	}
	return netip.AddrFrom4([4]byte{0xff, 0xff, 0xff, 0xff})
}

// asPrefix returns the prefix that spans exactly first..last.
func asPrefix(first, last netip.Addr) (netip.Prefix, bool) {
	for bits := 0; bits <= first.BitLen(); bits++ {
		p := netip.PrefixFrom(first, bits)
		if p.Masked().Addr() == first && lastAddr(p) == last {
			return p, true
		}
	}
	return netip.Prefix{}, false
}

// Reconcile makes owner's blocks in the kernel match want (prefix → time
// left): it recreates the table if it is gone or incomplete, adds what is
// missing, and removes what is not wanted. Other owners' blocks are left
// alone. It returns how many it added and removed.
func (b *Blocker) Reconcile(owner string, want map[netip.Prefix]time.Duration) (added, removed int, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, err := b.ensure(); err != nil {
		return 0, 0, err
	}
	c, err := b.conn()
	if err != nil {
		return 0, 0, err
	}
	have, err := b.list(c)
	if err != nil {
		return 0, 0, err
	}
	// What the kernel holds now is what is present. A failure is reported
	// and does not stop the others.
	maps.DeleteFunc(b.present, func(k block, _ bool) bool { return k.owner == owner })
	var errs []error
	for _, e := range have {
		if e.Owner != owner {
			continue
		}
		k := block{owner, e.Prefix}
		if _, ok := want[e.Prefix]; !ok {
			if err := b.remove(c, k); err != nil {
				errs = append(errs, err)
				continue
			}
			removed++
			continue
		}
		b.present[k] = true
	}
	for p, ttl := range want {
		k := block{owner, p.Masked()}
		if b.present[k] || ttl <= 0 {
			continue
		}
		if err := b.add(k, max(ttl, time.Second)); err != nil {
			errs = append(errs, fmt.Errorf("nftables: re-add %s: %w", k.prefix, err))
			continue
		}
		b.present[k] = true
		added++
	}
	return added, removed, errors.Join(errs...)
}

// validOwner reports whether s can name a set's owner: an action's name
// (letters, digits, '-' and '_', at most 64).
func validOwner(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
