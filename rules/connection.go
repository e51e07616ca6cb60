package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
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

// maxConnUsers bounds the distinct switch values one connection keeps.
const maxConnUsers = 8

// connRule is the compiled connection block of a rule.
type connRule struct {
	spec *configs.Connection
	// lists are the note, hold, success and end matchers (nil when the
	// block has no such list), tried in that order after the rule's.
	lists [connKinds]*matcher
	// byParts are the by fields resolved against each kind's matcher.
	byParts [connKinds][]keyPart
	set     *connSet
	buf     []byte
}

// connSet holds a rule's connections in least-recently-seen order, up to
// its cap; a connection not seen for within is forgotten.
type connSet struct {
	within time.Duration
	keys   *keyed[conn]
	// dropped counts the waiting or held lines lost with their
	// connection (expired, evicted) or past MaxConnectionHeld.
	dropped atomic.Uint64
}

// conn is one connection's state.
type conn struct {
	last  int64    // Unix nanoseconds of its last line
	fill  []string // the fill fields' values, in the block's order
	users []string // the switch field's distinct values
	// waiting are failures still lacking a fill field; held are the
	// hold lines not yet counted or dropped.
	waiting, held []map[string]string
}

func (s *connSet) get(key []byte, t time.Time) *entry[conn] {
	now := t.UnixNano()
	for {
		front := s.keys.front()
		if front == nil || now-front.v.last <= int64(s.within) {
			break
		}
		s.forget(front)
	}
	return s.keys.getBytes(key)
}

func (s *connSet) add(key []byte, nfill int) *entry[conn] {
	if s.keys.len() >= s.keys.max {
		if h := s.keys.front(); h != nil {
			s.dropped.Add(uint64(len(h.v.waiting) + len(h.v.held)))
		}
	}
	e := s.keys.add(string(key))
	e.v = conn{fill: make([]string, nfill)}
	return e
}

// forget removes a connection, counting the lines it still held.
func (s *connSet) forget(e *entry[conn]) {
	s.dropped.Add(uint64(len(e.v.waiting) + len(e.v.held)))
	s.keys.remove(e)
}

// compileConnection compiles a rule's connection block: its lists with the
// rule's where, and checks that every line kind has the by fields.
func compileConnection(cfg *configs.Config, cache *compileCache, spec *configs.Rule, r *Rule, known map[string]bool, opts Options) hcl.Diagnostics {
	var diags hcl.Diagnostics
	c := spec.Connection
	cr := &connRule{spec: c}
	cr.lists[connFail] = r.m
	provides := [connKinds]map[string]bool{}
	provides[connFail] = known
	for i, l := range c.Lists() {
		if len(l.Matches) == 0 {
			continue
		}
		m, k, d := compileMatcher(cfg, cache, spec.Name, spec.Source, l.Matches, l.Range, spec.Where, spec.WhereRange)
		diags = append(diags, d...)
		if m == nil {
			continue
		}
		cr.lists[i+1] = m
		provides[i+1] = k
	}
	if diags.HasErrors() {
		return diags
	}
	for _, f := range c.By {
		for i, l := range c.Lists() {
			if provides[i+1] != nil && !provides[i+1][f] {
				diags = append(diags, errorAt(l.Range, "Connection line without a by field", fmt.Sprintf("The %s lines do not have %q, which identifies their connection; capture it or name a field of the source (host, program, pid).", l.Name, f)))
			}
		}
		if !known[f] {
			diags = append(diags, errorAt(spec.MatchRange, "Connection line without a by field", fmt.Sprintf("The rule's match does not have %q, which identifies its connection; capture it or name a field of the source (host, program, pid).", f)))
		}
	}
	for _, f := range c.Fill {
		if !known[f] {
			diags = append(diags, errorAt(c.FillRange, "Unknown fill field", fmt.Sprintf("fill names %q, which the rule's match does not capture: a failure cannot lack a field it never has. Add (?P<%s>...) to match or fix the name.", f, f)))
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
	for i, m := range cr.lists {
		if m != nil {
			cr.byParts[i] = r.resolveParts(m, c.By)
		}
	}
	cr.set = &connSet{within: c.Within, keys: newKeyed[conn](c.MaxKeys)}
	r.conn = cr
	return diags
}

func errorAt(rng hcl.Range, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()}
}

// evaluateConn runs a line through a rule with a connection block: the
// rule's match, else the first of its lists that matches, then what the
// line's kind does to its connection; every line that counts goes through
// the threshold like a plain rule's match, on this line.
func (r *Rule) evaluateConn(ev Event, out []Finding) []Finding {
	c := r.conn
	kind := connKinds
	for k, m := range c.lists {
		if m != nil && m.match(ev, &r.stats) {
			kind = connKind(k)
			break
		}
	}
	if kind == connKinds {
		return out
	}
	m := c.lists[kind]
	c.buf = r.appendKey(c.buf[:0], m, c.byParts[kind], ev.Source)
	fields := m.fieldMap()
	e := c.set.get(c.buf, ev.Time)
	if e == nil && kind != connSuccess && kind != connEnd {
		e = c.set.add(c.buf, len(c.spec.Fill))
	}
	complete := true
	for i, f := range c.spec.Fill {
		switch v := fields[f]; {
		case v != "" && e != nil:
			e.v.fill[i] = v
		case v == "" && e != nil && e.v.fill[i] != "":
			fields[f] = e.v.fill[i]
		case v == "":
			complete = false
		}
	}
	if e == nil {
		// A success or end of a connection never seen: nothing to do.
		return out
	}
	c.set.keys.touch(e)
	st := &e.v
	st.last = ev.Time.UnixNano()
	var emit []map[string]string
	release := func(list []map[string]string) {
		for _, w := range list {
			for i, f := range c.spec.Fill {
				if w[f] == "" {
					w[f] = st.fill[i]
				}
			}
			emit = append(emit, w)
		}
	}
	if complete && len(st.waiting) > 0 {
		release(st.waiting)
		st.waiting = nil
	}
	switched := false
	if sw := c.spec.Switch; sw != "" {
		if v := fields[sw]; v != "" && !slices.Contains(st.users, v) {
			switched = len(st.users) > 0
			if len(st.users) < maxConnUsers {
				st.users = append(st.users, v)
			}
		}
	}
	keep := func(list []map[string]string) []map[string]string {
		if len(list) >= configs.MaxConnectionHeld {
			c.set.dropped.Add(1)
			return list
		}
		return append(list, fields)
	}
	switch kind {
	case connFail:
		if !complete {
			st.waiting = keep(st.waiting)
			break
		}
		release(st.held)
		st.held = nil
		emit = append(emit, fields)
	case connNote, connHold:
		if switched {
			release(st.held)
			st.held = nil
			emit = append(emit, fields)
		} else if kind == connHold {
			st.held = keep(st.held)
		}
	case connSuccess:
		if switched {
			release(st.held)
			emit = append(emit, fields)
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
	for _, f := range emit {
		out = r.countFields(f, m, ev, out)
	}
	return out
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
	if len(buf) > maxKeyBytes {
		sum := sha256.Sum256(buf)
		buf = hex.AppendEncode(append(buf[:0], "sha256:"...), sum[:])
	}
	r.keyBuf = buf
	count, key := 1, string(buf)
	if r.windows != nil {
		var fired bool
		var distinct []byte
		if r.distinct != "" {
			distinct = value(r.distinct)
		}
		count, fired, key = r.windows.observe(r.keyBuf, distinct, ev.Time, r.distinct != "")
		if !fired {
			return out
		}
	}
	return append(out, r.finding(fields, key, ev, count))
}
