package rules

import (
	"fmt"
	"hash/maphash"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/breachd/breachd/configs"
)

// A rule's connection block (docs/rules.md "connection"): the lines of one
// connection, identified by its by fields (host, program, pid), share its
// fill fields (the client's address), so a failure logged without them
// takes them from another line of the same connection, before or after
// it. Only rules with the block pay for it: others never reach this file.

// connKind is what a line is to its connection.
type connKind int

const (
	connFail    connKind = iota // the rule's match: a failure
	connNote                    // carries the fill fields
	connHold                    // a failure counted only if the connection fails or ends
	connSuccess                 // the connection logged in: held lines are dropped
	connEnd                     // the connection ended: held lines count
	connKinds
)

// recentSlots is the size of a connection block's recent table.
const recentSlots = 4096

type recentFill struct {
	hash uint64
	last int64
	user uint64 // the hash of the failure's switch value, 0 if none
	n    uint8
	val  [47]byte // an IPv6 address with a zone fits
}

// connSeed seeds the hashes of switch values.
var connSeed = maphash.MakeSeed()

// maxConnUsers bounds the distinct switch values one connection keeps.
const maxConnUsers = 8

// connRule is the compiled connection block of a rule. Rules with the
// same match, where and connection block (the sshd pack's brute-force and
// spraying rules) share one: they see the same lines, so one state and one
// outcome per line serve both.
type connRule struct {
	spec *configs.Connection
	// lists are the matchers of each kind of line: the rule's own (shared
	// with other rules of the same match and where), one for the note and
	// hold expressions, one for success and end (nil without them), which
	// runs only for tracked connections; the first that matches wins.
	// bounds[k] is where kind k's expressions end in its matcher.
	lists  [connKinds]*matcher
	bounds [connKinds]int32
	// byParts are the by fields resolved against each kind's matcher,
	// fillSlots the fill fields' slots and switchSlot the switch field's
	// (-1 when the matcher lacks it).
	byParts    [connKinds][]keyPart
	fillSlots  [connKinds][]int
	switchSlot [connKinds]int
	// bySrc are the by fields' indexes in the source's fields, when all
	// are source fields: a line's connection is then known before any
	// expression runs, and the success and end expressions run only for
	// connections being tracked.
	bySrc   []int
	set     *connSet
	buf     []byte
	vals    [][]byte
	packBuf []byte

	// The outcome of event gen: its kind (connKinds when none), whether
	// the line counts with its own fields (self), and the other events
	// that count on it, their fields in maps.
	gen  uint64
	kind connKind
	self bool
	emit []map[string]string
}

// connSet holds a rule's connections in least-recently-seen order, up to
// its cap; a connection not seen for within is forgotten.
type connSet struct {
	within time.Duration
	keys   *keyed[conn]
	// dropped counts the waiting or held lines lost with their
	// connection (expired, evicted) or past MaxConnectionHeld.
	dropped atomic.Uint64
	// filter counts the tracked connections per slot of their fslot:
	// a line of a slot with none is of no tracked connection, known
	// without building its key.
	filter [connFilterSize]uint32
	// recent remembers the fill value of connections seen only through
	// failures that carried it (a block with one fill field), by the
	// hash of their key: a direct-mapped table, a newer connection
	// overwriting an older one in its slot.
	recent *[recentSlots]recentFill
}

// conn is one connection's state.
type conn struct {
	fslot uint16 // its slot in the set's filter
	last  int64  // Unix nanoseconds of its last line
	fill  packed // the fill fields' values, in the block's order
	// users are the hashes of the switch field's distinct values (no
	// allocation per connection), nusers how many.
	users  [maxConnUsers]uint64
	nusers int
	// waiting are failures still lacking a fill field; held are the
	// hold lines not yet counted or dropped.
	waiting, held []map[string]string
}

func (s *connSet) get(key []byte, t time.Time) *entry[conn] {
	s.expire(t)
	return s.keys.getBytes(key)
}

// expire forgets the connections silent for longer than within at t,
// from the least recently seen.
func (s *connSet) expire(t time.Time) {
	now := t.UnixNano()
	for {
		front := s.keys.front()
		if front == nil || now-front.v.last <= int64(s.within) {
			return
		}
		s.forget(front)
	}
}

// add tracks a new connection at t, f its filter slot.
func (s *connSet) add(key []byte, f uint16, t time.Time) *entry[conn] {
	s.expire(t)
	if s.keys.len() >= s.keys.max {
		if h := s.keys.front(); h != nil {
			s.forget(h)
			s.keys.evictions.Add(1)
		}
	}
	e := s.keys.add(string(key))
	e.v = conn{fslot: f}
	s.filter[f]++
	return e
}

// forget removes a connection, counting the lines it still held.
func (s *connSet) forget(e *entry[conn]) {
	s.dropped.Add(uint64(len(e.v.waiting) + len(e.v.held)))
	s.filter[e.v.fslot]--
	s.keys.remove(e)
}

// mayMatch reports whether one of m's expressions can match a text
// starting as text does (its first byte), before the call to match.
func (m *matcher) mayMatch(text []byte) bool {
	if m.byFirst == nil || len(m.noLead) > 0 || len(text) == 0 {
		return true
	}
	return len(m.byFirst[text[0]]) > 0
}

// connFilterSize is the number of slots of a connSet's filter.
const connFilterSize = 1024

// srcHash hashes the by fields of ev (FNV-1a), when they are the
// source's: the connection's slot in the filter and the recent table.
func (c *connRule) srcHash(ev Event) uint64 {
	h := uint64(14695981039346656037)
	for _, j := range c.bySrc {
		if j < len(ev.Fields) {
			for _, b := range ev.Fields[j] {
				h = (h ^ uint64(b)) * 1099511628211
			}
		}
		h = (h ^ 0x100) * 1099511628211
	}
	return h
}

// compileConnection compiles a rule's connection block: its lists with the
// rule's where, and checks that every line kind has the by fields.
func compileConnection(cfg *configs.Config, cache *compileCache, spec *configs.Rule, r *Rule, known map[string]bool, opts Options) hcl.Diagnostics {
	var diags hcl.Diagnostics
	c := spec.Connection
	share := fmt.Sprintf("%q", []any{spec.Source, spec.Matches, spec.Where, c.By, c.Fill, c.Within, c.MaxKeys, c.Switch, c.Note, c.Hold, c.Success, c.End, plainMatcher(spec, opts)})
	if strings.Contains(spec.Where, FieldRule) {
		share += "\x00" + spec.Name // the condition reads the rule's name: its matcher is its own
	}
	if cr := cache.conns[share]; cr != nil {
		r.conn = cr
		for _, m := range cr.lists[connNote:] {
			if m != nil {
				maps.Copy(known, m.known)
			}
		}
		return nil
	}
	cr := &connRule{spec: c}
	cr.lists[connFail] = r.m
	matchFields := maps.Clone(known)
	provides := [connKinds]map[string]bool{}
	provides[connFail] = matchFields
	for i, l := range c.Lists() {
		if len(l.Matches) == 0 {
			continue
		}
		m, k, d := compileMatcher(cfg, cache, plainMatcher(spec, opts), spec.Name, spec.Source, l.Matches, l.Range, spec.Where, spec.WhereRange)
		diags = append(diags, d...)
		if m == nil {
			continue
		}
		cr.lists[i+1] = m
		provides[i+1] = k
	}
	if diags.HasErrors() {
		// The fields of the lists that compiled are still the rule's:
		// the title's and actions' are checked against them too, not
		// reported unknown because another list failed.
		for _, k := range provides[connFail+1:] {
			for f := range k {
				known[f] = true
			}
		}
		return diags
	}
	for _, f := range c.By {
		for i, l := range c.Lists() {
			if provides[i+1] != nil && !provides[i+1][f] {
				diags = append(diags, errorAt(l.Range, "Connection line without a by field", fmt.Sprintf("The %s lines do not have %q, which identifies their connection; capture it or name a field of the source (host, program, pid).", l.Name, f)))
			}
		}
		if !matchFields[f] {
			diags = append(diags, errorAt(spec.MatchRange, "Connection line without a by field", fmt.Sprintf("The rule's match does not have %q, which identifies its connection; capture it or name a field of the source (host, program, pid).", f)))
		}
	}
	for _, p := range provides[1:] {
		for f := range p {
			known[f] = true
		}
	}
	for _, f := range c.Fill {
		if !known[f] {
			diags = append(diags, errorAt(c.FillRange, "Unknown fill field", fmt.Sprintf("fill names %q, which no line of the rule or its connection captures. Capture it with (?P<%s>...) where the program logs it, or fix the name.", f, f)))
		}
	}
	if sw := c.Switch; sw != "" {
		found := false
		for _, p := range provides {
			found = found || p[sw]
		}
		if !found {
			diags = append(diags, errorAt(c.SwitchRange, "Unknown switch field", fmt.Sprintf("switch names %q, which no line of the rule or its connection captures.", sw)))
		}
	}
	if diags.HasErrors() {
		return diags
	}
	// Each list compiled alone above (for its errors and fields); the
	// lines run through two matchers, so a line costs one dispatch on its
	// first byte, one where, not five.
	var a, b *matcher
	var d hcl.Diagnostics
	if len(c.Note)+len(c.Hold) > 0 {
		rng := c.NoteRange
		if len(c.Note) == 0 {
			rng = c.HoldRange
		}
		a, _, d = compileMatcher(cfg, cache, plainMatcher(spec, opts), spec.Name, spec.Source, slices.Concat(c.Note, c.Hold), rng, spec.Where, spec.WhereRange)
		diags = append(diags, d...)
	}
	if len(c.Success)+len(c.End) > 0 {
		rng := c.SuccessRange
		if len(c.Success) == 0 {
			rng = c.EndRange
		}
		b, _, d = compileMatcher(cfg, cache, plainMatcher(spec, opts), spec.Name, spec.Source, slices.Concat(c.Success, c.End), rng, spec.Where, spec.WhereRange)
		diags = append(diags, d...)
	}
	if diags.HasErrors() {
		return diags
	}
	cr.bounds = [connKinds]int32{
		connFail:    int32(len(spec.Matches)),
		connNote:    int32(len(c.Note)),
		connHold:    int32(len(c.Note) + len(c.Hold)),
		connSuccess: int32(len(c.Success)),
		connEnd:     int32(len(c.Success) + len(c.End)),
	}
	cr.lists = [connKinds]*matcher{r.m, a, a, b, b}
	for i, m := range cr.lists {
		if m == nil {
			continue
		}
		cr.byParts[i] = r.resolveParts(m, c.By)
		for _, f := range c.Fill {
			cr.fillSlots[i] = append(cr.fillSlots[i], m.slotOf(f))
		}
		cr.switchSlot[i] = -1
		if c.Switch != "" {
			cr.switchSlot[i] = m.slotOf(c.Switch)
		}
	}
	for _, f := range c.By {
		slot := r.m.slotOf(f)
		if slot < r.m.ncap {
			cr.bySrc = nil
			break
		}
		cr.bySrc = append(cr.bySrc, slot-r.m.ncap)
	}
	for _, m := range cr.lists {
		if m != nil && !slices.Equal(m.srcFields, r.m.srcFields) {
			cr.bySrc = nil
		}
	}
	cr.set = &connSet{within: c.Within, keys: newKeyed[conn](c.MaxKeys)}
	if len(c.Fill) == 1 && cr.fillSlots[connFail][0] >= 0 {
		cr.set.recent = new([recentSlots]recentFill)
	}
	cache.conns[share] = cr
	r.conn = cr
	return diags
}

func errorAt(rng hcl.Range, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()}
}

// evaluateConn runs a line through a rule with a connection block: the
// rule's match, else the first of its lists that matches, then what the
// line's kind does to its connection; every event that counts goes through
// the threshold like a plain rule's match, on this line.
func (r *Rule) evaluateConn(ev Event, out []Finding) []Finding {
	c := r.conn
	if c.gen != ev.gen {
		c.gen = ev.gen
		c.step(r, ev)
	}
	if c.kind == connKinds {
		return out
	}
	m := c.lists[c.kind]
	for _, f := range c.emit {
		out = r.countFields(f, m, ev, out)
	}
	if c.self {
		out = r.countMatch(m, ev, out)
	}
	return out
}

// step works out what the event does to its connection. A line that
// counts with its own fields (a failure that carries the address, most of
// them) is counted from the matcher's slots, without a map.
func (c *connRule) step(r *Rule, ev Event) {
	c.kind, c.self, c.emit = connKinds, false, c.emit[:0]
	// With by fields of the source, the filter tells, from a hash of
	// them, whether the line's connection may be tracked: when not, no
	// key is built and no lookup made.
	var h uint64
	tracked, hashed := c.set.keys.len() > 0, false
	if tracked && c.bySrc != nil {
		h, hashed = c.srcHash(ev), true
		tracked = c.set.filter[h%connFilterSize] != 0
	}
	text := ev.Line
	if ev.Message != nil {
		text = ev.Message
	}
	kind := connKinds
	if c.lists[connFail].match(ev, &r.stats) {
		kind = connFail
	} else if m := c.lists[connNote]; m != nil && m.mayMatch(text) && m.match(ev, &r.stats) {
		kind = connNote
		if m.which >= c.bounds[connNote] {
			kind = connHold
		}
	} else if m := c.lists[connSuccess]; m != nil && tracked && m.mayMatch(text) {
		// Success and end lines only end a connection: not run for one
		// not tracked.
		if m.match(ev, &r.stats) {
			kind = connSuccess
			if m.which >= c.bounds[connSuccess] {
				kind = connEnd
			}
		}
	}
	if kind == connKinds {
		return
	}
	m := c.lists[kind]
	var e *entry[conn]
	built := false
	if tracked {
		c.buf, built = r.appendKey(c.buf[:0], m, c.byParts[kind], ev.Source), true
		e = c.set.get(c.buf, ev.Time)
	}
	var seed []byte
	var seedUser uint64
	if e == nil {
		if kind == connSuccess || kind == connEnd {
			return // the end of a connection never seen (or forgotten)
		}
		if c.set.recent != nil {
			// A connection known only by its complete failures is
			// kept in the recent table, without an entry: most
			// failures are one connection's only lines that matter.
			// The table keeps the connection's address and its last
			// user, for a later line of it that needs an entry.
			if c.bySrc != nil && !hashed {
				h, hashed = c.srcHash(ev), true
			}
			if c.bySrc == nil {
				if !built {
					c.buf, built = r.appendKey(c.buf[:0], m, c.byParts[kind], ev.Source), true
				}
				h = maphash.Bytes(connSeed, c.buf)
			}
			slot := &c.set.recent[h%recentSlots]
			known := slot.hash == h && slot.n > 0 && ev.Time.UnixNano()-slot.last <= int64(c.set.within)
			if kind == connFail {
				var user uint64
				if us := c.switchSlot[kind]; us >= 0 {
					if v := m.value(us); len(v) > 0 {
						user = maphash.Bytes(connSeed, v)
					}
				}
				switched := known && slot.user != 0 && user != 0 && user != slot.user
				if v := m.value(c.fillSlots[kind][0]); len(v) > 0 && !switched {
					if len(v) <= len(slot.val) {
						slot.hash, slot.last, slot.n, slot.user = h, ev.Time.UnixNano(), uint8(len(v)), user
						copy(slot.val[:], v)
					}
					c.kind, c.self = kind, true
					return
				}
				// A failure without the address, or a second user on
				// a connection the table knows: tracked from here.
			}
			if known {
				seed, seedUser = slot.val[:slot.n], slot.user
			}
		}
		if !built {
			c.buf = r.appendKey(c.buf[:0], m, c.byParts[kind], ev.Source)
		}
		if c.bySrc != nil && !hashed {
			h = c.srcHash(ev)
		}
		e = c.set.add(c.buf, uint16(h%connFilterSize), ev.Time)
		if seed != nil {
			c.vals = append(c.vals[:0], seed)
			e.v.fill, c.packBuf = e.v.fill.update(c.vals, c.packBuf)
		}
		if seedUser != 0 {
			e.v.users[0], e.v.nusers = seedUser, 1
		}
	}
	c.kind = kind
	c.set.keys.touch(e)
	st := &e.v
	st.last = ev.Time.UnixNano()
	complete, filled := true, false
	c.vals = c.vals[:0]
	for i, slot := range c.fillSlots[kind] {
		var v []byte
		if slot >= 0 {
			v = m.value(slot)
		}
		c.vals = append(c.vals, v)
		if len(v) == 0 {
			if st.fill.get(i) != "" {
				filled = true
			} else {
				complete = false
			}
		}
	}
	st.fill, c.packBuf = st.fill.update(c.vals, c.packBuf)
	var fields map[string]string
	own := func() map[string]string {
		if fields == nil {
			fields = m.fieldMap()
			for i, f := range c.spec.Fill {
				if fields[f] == "" {
					fields[f] = st.fill.get(i)
				}
			}
		}
		return fields
	}
	release := func(list []map[string]string) {
		for _, w := range list {
			for i, f := range c.spec.Fill {
				if w[f] == "" {
					w[f] = st.fill.get(i)
				}
			}
			c.emit = append(c.emit, w)
		}
	}
	keep := func(list []map[string]string) []map[string]string {
		if len(list) >= configs.MaxConnectionHeld {
			c.set.dropped.Add(1)
			return list
		}
		return append(list, own())
	}
	if complete && len(st.waiting) > 0 {
		release(st.waiting)
		st.waiting = nil
	}
	switched := false
	if slot := c.switchSlot[kind]; slot >= 0 {
		if v := m.value(slot); len(v) > 0 {
			h := maphash.Bytes(connSeed, v)
			if !slices.Contains(st.users[:st.nusers], h) {
				switched = st.nusers > 0
				if st.nusers < maxConnUsers {
					st.users[st.nusers] = h
					st.nusers++
				}
			}
		}
	}
	switch kind {
	case connFail:
		if !complete {
			st.waiting = keep(st.waiting)
			break
		}
		release(st.held)
		st.held = nil
		if filled {
			c.emit = append(c.emit, own())
		} else {
			c.self = true
		}
	case connNote, connHold:
		if switched {
			release(st.held)
			st.held = nil
			c.emit = append(c.emit, own())
		} else if kind == connHold {
			st.held = keep(st.held)
		}
	case connSuccess:
		if switched {
			release(st.held)
			c.emit = append(c.emit, own())
		}
		st.held = nil
		c.set.forget(e)
	case connEnd:
		if complete {
			release(st.held)
			st.held = nil
		}
		c.set.forget(e)
	}
}

// countFields counts one event, whose fields are in a map, as a match of
// the rule: the threshold's window, or a finding of its own.
func (r *Rule) countFields(fields map[string]string, m *matcher, ev Event, out []Finding) []Finding {
	r.stats.matches.Add(1)
	if r.onMatch != nil {
		r.onMatch(r.spec.Name, fields)
	}
	value := func(name string) []byte {
		switch name {
		case FieldRule:
			return []byte(r.spec.Name)
		case FieldSource:
			return []byte(ev.Source)
		case configs.FieldSeenIn:
			return r.partValue(m, slotSeenIn, ev.Source)
		}
		return []byte(fields[name])
	}
	buf := r.keyBuf[:0]
	for i, g := range r.groupBy {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, g...)
		buf = append(buf, '=')
		buf = append(buf, value(g)...)
	}
	r.keyBuf = capKey(buf, 0)
	if fields == nil {
		fields = map[string]string{} // none: not the current event's
	}
	var distinct []byte
	if r.windows != nil && r.distinct != "" {
		distinct = value(r.distinct)
	}
	return r.count(m, fields, distinct, ev, out)
}
