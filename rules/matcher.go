package rules

// A rule's match expressions and where condition on one source, run on an
// event: the hot path of the engine.

import (
	"bytes"
	"regexp"
	"slices"

	"github.com/expr-lang/expr/vm"

	"github.com/breachd/breachd/rules/match"
)

// matcher is a compiled match and where on one source.
type matcher struct {
	source string
	// ipSlot is the capture slot named ip, -1 when no expression captures
	// it.
	ipSlot int
	// pats are the match expressions, tried in order.
	pats []*pattern
	// byFirst gives, for a text's first byte, the indexes of the
	// expressions that can match a text starting with it, in order: an
	// expression whose literal prefix starts with another byte is left
	// out, so a list of many anchored expressions costs a lookup, not a
	// prefix comparison each. Nil when no expression has a prefix.
	byFirst *[256][]int32
	// noLead are the indexes of the expressions without a prefix: the
	// list for an empty text and for a first byte no prefix starts with.
	noLead []int32
	where  *vm.Program
	// native is where compiled to Go when it can be (native.go); the
	// program then does not run.
	native cond
	vm     vm.VM
	env    map[string]any
	// usesLine and usesTime are set when the condition reads the whole
	// line or the event time, which are then put in the environment.
	usesLine, usesTime bool
	// whereVars are the slots of the fields the condition reads: only
	// they are put in its environment.
	whereVars []int
	// guard, if set, is a test of a source field that where requires.
	guard *guard
	// srcFields are the names of the source's fields.
	srcFields []string
	// known are the fields its events have.
	known map[string]bool
	// slots name the fields of a matching event, without maps: the
	// captures of all expressions (ncap of them, captureNames order), then
	// the source's fields.
	slots []string
	ncap  int
	// patSlots gives, for each expression, the slot of each of its
	// submatches (-1 for unnamed ones).
	patSlots [][]int32

	// The result for the current event, shared by the rules using the
	// matcher: whether it matched, and where its fields are. Valid during
	// Evaluate only.
	gen uint64
	ok  bool
	// which is the index of the expression that matched.
	which int32
	text  []byte
	caps  []int // start and end in text of each capture slot, -1 if none
	src   [][]byte
	path  []byte // the event's file, for seen_in
}

// slotOf returns the slot of field name, or -1.
func (m *matcher) slotOf(name string) int { return slices.Index(m.slots, name) }

// value returns the current event's value of a slot (nil when empty).
func (m *matcher) value(slot int) []byte {
	if slot < m.ncap {
		if s := m.caps[2*slot]; s >= 0 {
			return m.text[s:m.caps[2*slot+1]]
		}
		return nil
	}
	if j := slot - m.ncap; j < len(m.src) {
		return m.src[j]
	}
	return nil
}

// fieldMap returns the current event's fields as a new map: every slot,
// empty when absent.
func (m *matcher) fieldMap() map[string]string {
	out := make(map[string]string, len(m.slots)+2)
	for i, name := range m.slots {
		out[name] = string(m.value(i))
	}
	return out
}

// pattern is one compiled match expression, shared by every rule that uses
// it; its result for the current event is kept, so each expression runs at
// most once per event.
type pattern struct {
	re *regexp.Regexp
	// names gives the capture name of each submatch ("" for unnamed).
	names []string
	// lits is what every text it matches contains (package match).
	lits match.Literals
	// fast finds the submatches on ASCII text (match.ASCII); nil for the
	// expressions it does not handle.
	fast *match.ASCII
	// lead is what every prefix of lits begins with: all the ASCII
	// matcher of an anchored expression needs checked first.
	lead []byte
	gen  uint64 // the event idx belongs to
	idx  []int  // submatch indexes, nil when no match
}

// find returns the submatch indexes of text, the text of event gen.
func (p *pattern) find(text []byte, gen uint64) []int {
	if p.gen == gen {
		return p.idx
	}
	p.gen, p.idx = gen, nil
	// An expression whose required literals are absent cannot match; one
	// with them present is run once, for its captures. The ASCII matcher
	// on an anchored expression fails as soon as a literal is missing, so
	// it is tried once the (cheap) prefix and the most selective literal
	// are there. For regexp, an
	// expression with no literals is tried with Match first: most lines do
	// not match, and a plain match neither allocates nor tracks
	// submatches.
	if p.fast == nil || !p.fast.Anchored {
		if !p.lits.Empty() && !p.lits.Check(text) {
			return nil
		}
	} else if !bytes.HasPrefix(text, p.lead) || len(p.lits.Reqs) > 0 && !match.ContainsAny(text, p.lits.Reqs[0]) {
		return nil
	}
	if p.fast != nil {
		if idx, ok := p.fast.Find(text); ok {
			p.idx = idx
			return idx
		}
	}
	if p.lits.Empty() && !p.re.Match(text) {
		return nil
	}
	p.idx = p.re.FindSubmatchIndex(text)
	return p.idx
}

// match reports whether the event matches the expressions and the where
// condition; its fields are then available through value.
func (m *matcher) match(ev Event, stats *ruleCounters) bool {
	if m.source != ev.Source {
		return false
	}
	// Rules with the same match, where and source share the matcher: it
	// runs once per event.
	if m.gen == ev.gen {
		return m.ok
	}
	m.gen, m.ok = ev.gen, false
	if m.guard != nil && !m.guard.allows(ev.Fields) {
		return false
	}
	text := ev.Line
	if ev.Message != nil {
		text = ev.Message
	}
	matched := -1
	var idx []int
	if m.byFirst == nil {
		for i, p := range m.pats {
			if idx = p.find(text, ev.gen); idx != nil {
				matched = i
				break
			}
		}
	} else {
		order := m.noLead
		if len(text) > 0 {
			order = m.byFirst[text[0]]
		}
		for _, i := range order {
			if idx = m.pats[i].find(text, ev.gen); idx != nil {
				matched = int(i)
				break
			}
		}
	}
	if matched < 0 {
		return false
	}
	m.which = int32(matched)
	for i := range m.caps {
		m.caps[i] = -1
	}
	for i, slot := range m.patSlots[matched] {
		if slot >= 0 && idx[2*i] >= 0 {
			m.caps[2*slot], m.caps[2*slot+1] = idx[2*i], idx[2*i+1]
		}
	}
	// An IPv4-mapped address captured as ip is its IPv4 address: one
	// client, one key, whichever way its server wrote it.
	if m.ipSlot >= 0 && m.caps[2*m.ipSlot] >= 0 {
		if a, b := m.caps[2*m.ipSlot], m.caps[2*m.ipSlot+1]; mappedIPv4(text[a:b]) {
			m.caps[2*m.ipSlot] = a + len(mappedPrefix)
		}
	}
	m.text, m.src, m.path = text, ev.Fields, ev.Path
	if m.native != nil {
		if !m.native(m) {
			return false
		}
	} else if m.where != nil {
		for _, slot := range m.whereVars {
			setEnvBytes(m.env, m.slots[slot], m.value(slot))
		}
		if m.usesLine {
			m.env[FieldLine] = string(ev.Line)
		}
		if m.usesTime {
			m.env[FieldTime] = ev.Time
		}
		res, err := m.vm.Run(m.where, m.env)
		if err != nil {
			stats.whereErrors.Add(1)
			return false
		}
		if ok, _ := res.(bool); !ok {
			return false
		}
	}
	m.ok = true
	return true
}

// setEnvBytes stores a value in a where environment as a string, unless
// the same string is already there: storing allocates the string and
// boxes it, and successive events often repeat values (the host, the
// program).
func setEnvBytes(env map[string]any, k string, v []byte) {
	if old, ok := env[k].(string); !ok || old != string(v) {
		env[k] = string(v)
	}
}
