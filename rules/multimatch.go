package rules

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
)

// litScanner finds, in one pass over a line, which of a set of literals
// it contains (Aho-Corasick). The engine uses it to pick, per line, the
// rules whose required literals are present, so that the cost of a line
// that matches nothing stays nearly flat as rules are added.
//
// It is written here rather than taken from a library: the Go
// implementations at hand either keep two 256-pointer arrays per trie node
// (4 KiB each, tens of MB for a thousand rules) or allocate a result per
// call, and the hot path must not allocate.
type litScanner struct {
	// dense, when set, is the automaton as a DFA over byte classes: one
	// table lookup per byte (dense.go).
	dense *denseScanner

	root  [256]int32 // transitions from the root, for speed; 0 = root
	first []int32    // edges of node i: edges[first[i]:first[i+1]]
	edges []acEdge
	fail  []int32 // longest proper suffix that is a trie node
	lit   []int32 // literal ending exactly at the node, or -1
	dict  []int32 // nearest node on the fail chain with a literal, or -1
}

type acEdge struct {
	b  byte
	to int32
}

// maxDenseEntries bounds the DFA table (4 bytes an entry): past it, for
// thousands of long literals, the scanner walks the sparse trie instead.
const maxDenseEntries = 1 << 21

// newLitScanner builds a scanner for lits (non-empty).
func newLitScanner(lits [][]byte) *litScanner {
	return newLitScannerLimit(lits, maxDenseEntries)
}

// newLitScannerLimit builds a scanner whose DFA table has at most
// maxEntries entries (none if it would have more).
func newLitScannerLimit(lits [][]byte, maxEntries int) *litScanner {
	// A trie with map transitions first, flattened below.
	type tnode struct {
		next map[byte]int32
		lit  int32
	}
	nodes := []tnode{{next: map[byte]int32{}, lit: -1}}
	for id, l := range lits {
		n := int32(0)
		for _, b := range l {
			to, ok := nodes[n].next[b]
			if !ok {
				to = int32(len(nodes))
				nodes = append(nodes, tnode{next: map[byte]int32{}, lit: -1})
				nodes[n].next[b] = to
			}
			n = to
		}
		if nodes[n].lit < 0 {
			nodes[n].lit = int32(id)
		}
	}
	s := &litScanner{
		first: make([]int32, len(nodes)+1),
		fail:  make([]int32, len(nodes)),
		lit:   make([]int32, len(nodes)),
		dict:  make([]int32, len(nodes)),
	}
	for i, n := range nodes {
		s.first[i] = int32(len(s.edges))
		bs := make([]int, 0, len(n.next))
		for b := range n.next {
			bs = append(bs, int(b))
		}
		sort.Ints(bs)
		for _, b := range bs {
			s.edges = append(s.edges, acEdge{byte(b), n.next[byte(b)]})
		}
		s.lit[i] = n.lit
	}
	s.first[len(nodes)] = int32(len(s.edges))
	for b, to := range nodes[0].next {
		s.root[b] = to
	}
	// Breadth-first: a node's fail link is found from its parent's.
	queue := make([]int32, 0, len(nodes))
	s.dict[0] = -1
	for _, e := range s.edges[s.first[0]:s.first[1]] {
		s.fail[e.to] = 0
		queue = append(queue, e.to)
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		f := s.fail[n]
		if s.lit[f] >= 0 {
			s.dict[n] = f
		} else {
			s.dict[n] = s.dict[f]
		}
		for _, e := range s.edges[s.first[n]:s.first[n+1]] {
			// The child's fail link: the longest suffix of parent+b.
			x := f
			for {
				if to := s.step(x, e.b); to >= 0 {
					if to != e.to {
						s.fail[e.to] = to
					}
					break
				}
				if x == 0 {
					s.fail[e.to] = 0
					break
				}
				x = s.fail[x]
			}
			queue = append(queue, e.to)
		}
	}
	s.dense = newDenseScanner(s, lits, maxEntries)
	return s
}

// step returns the transition of node n on b, or -1. From the root, a
// missing transition stays at the root.
func (s *litScanner) step(n int32, b byte) int32 {
	if n == 0 {
		return s.root[b]
	}
	for _, e := range s.edges[s.first[n]:s.first[n+1]] {
		if e.b == b {
			return e.to
		}
	}
	return -1
}

// scan calls found with the id of every literal text contains (possibly
// more than once for literals that occur several times).
func (s *litScanner) scan(text []byte, found func(id int32)) {
	if s.dense != nil {
		s.dense.scan(text, found)
		return
	}
	n := int32(0)
	for _, b := range text {
		for {
			if to := s.step(n, b); to >= 0 {
				n = to
				break
			}
			n = s.fail[n]
		}
		if n == 0 {
			continue
		}
		x := n
		if s.lit[x] < 0 {
			x = s.dict[x]
		}
		for x > 0 {
			found(s.lit[x])
			x = s.dict[x]
		}
	}
}

// prefixTable finds which of a set of prefixes, none longer than
// maxDispatchPrefix (8) bytes, a line starts with: the line's first 8
// bytes are one word, compared under a mask with the prefixes that begin
// with its first byte; when more than maxPrefixList share it, looked up
// by length in maps, so a thousand rules cost a few lookups.
type prefixTable struct {
	byFirst [256][]prefixEntry
	byLen   [256]*[9]map[uint64][]int32
	empty   []int32 // ids of empty prefixes, which every line has
}

const maxPrefixList = 8

type prefixEntry struct {
	key, mask uint64
	n         int // length
	id        int32
}

// newPrefixTable indexes prefixes by their position in lits.
func newPrefixTable(lits [][]byte) *prefixTable {
	t := &prefixTable{}
	for i, l := range lits {
		if len(l) == 0 {
			t.empty = append(t.empty, int32(i))
			continue
		}
		if len(l) > 8 {
			panic("rules: dispatch prefix longer than 8 bytes")
		}
		e := prefixEntry{key: word(l), mask: ^uint64(0) >> (64 - 8*len(l)), n: len(l), id: int32(i)}
		t.byFirst[l[0]] = append(t.byFirst[l[0]], e)
	}
	for b, list := range t.byFirst {
		if len(list) <= maxPrefixList {
			continue
		}
		maps := new([9]map[uint64][]int32)
		for _, e := range list {
			if maps[e.n] == nil {
				maps[e.n] = map[uint64][]int32{}
			}
			maps[e.n][e.key] = append(maps[e.n][e.key], e.id)
		}
		t.byFirst[b], t.byLen[b] = nil, maps
	}
	return t
}

// word is the first 8 bytes of b, little-endian, zero-padded.
func word(b []byte) uint64 {
	if len(b) >= 8 {
		return binary.LittleEndian.Uint64(b)
	}
	var w [8]byte
	copy(w[:], b)
	return binary.LittleEndian.Uint64(w[:])
}

// prefixes calls found with the id of every prefix text starts with.
func (t *prefixTable) prefixes(text []byte, found func(id int32)) {
	for _, id := range t.empty {
		found(id)
	}
	if len(text) == 0 {
		return
	}
	w := word(text)
	if maps := t.byLen[text[0]]; maps != nil {
		for n := 1; n <= min(8, len(text)); n++ {
			if maps[n] != nil {
				for _, id := range maps[n][w&(^uint64(0)>>(64-8*n))] {
					found(id)
				}
			}
		}
		return
	}
	for _, e := range t.byFirst[text[0]] {
		if w&e.mask == e.key && len(text) >= e.n {
			found(e.id)
		}
	}
}

// sourceFilter picks the rules of one source worth evaluating for a line,
// among a subset of them: those with a pattern whose required literal the
// line contains, and those that must always run (a pattern without a
// literal, metric and keyless absent rules). With few rules it picks the
// whole subset.
type sourceFilter struct {
	subset []int32 // indexes into the source's rules, in config order
	// pre finds the anchored prefixes a line starts with (compared as
	// words), for expressions that start with ^ and literal text; scan finds the literals of the others anywhere
	// in the line (nil when every expression has a prefix).
	pre                *prefixTable
	scan               *litScanner
	preRules, litRules [][]int32 // by literal: indexes into the source's rules
	always             []int32
	seen               []uint64 // by rule index: the event that last selected it
	cand               []int32
}

// minFilteredRules is the number of rules from which a source's lines go
// through the literal scan; below it, checking each rule is as cheap.
const minFilteredRules = 3

func newSourceFilter(rules []*Rule, subset []int32, source string, minRules int) *sourceFilter {
	f := &sourceFilter{subset: subset}
	if len(subset) < minRules {
		return f
	}
	f.seen = make([]uint64, len(rules))
	var lits, pres literalSet
	// Expressions with an anchored prefix are dispatched on its first
	// maxDispatchPrefix bytes, unless more than maxSharedPrefix rules share
	// those (a thousand "Accepted publickey for svcNNNN" rules): those are
	// found by the literal scan on their whole prefix instead, so a line
	// selects only the rules it can match.
	type prefixed struct {
		rule     int32
		prefixes [][]byte
	}
	var withPrefix []prefixed
	for _, i := range subset {
		r := rules[i]
		always := r.metric != nil || r.anyLine
		n := 0
		for _, m := range r.matchers() {
			if m.source != source {
				continue
			}
			for _, p := range m.pats {
				n++
				switch {
				case p.lits.prefix != nil:
					withPrefix = append(withPrefix, prefixed{i, p.lits.prefix})
				case p.lits.best != nil:
					lits.add(p.lits.best, i)
				default:
					always = true
				}
			}
		}
		if always || n == 0 {
			f.always = append(f.always, i)
		}
	}
	sharing := map[string][]int32{} // rules by cut prefix
	for _, w := range withPrefix {
		for _, p := range dispatchPrefixes(w.prefixes) {
			if !slices.Contains(sharing[string(p)], w.rule) {
				sharing[string(p)] = append(sharing[string(p)], w.rule)
			}
		}
	}
	for _, w := range withPrefix {
		cut := dispatchPrefixes(w.prefixes)
		crowded := slices.ContainsFunc(cut, func(p []byte) bool { return len(sharing[string(p)]) > maxSharedPrefix })
		if crowded && !slices.ContainsFunc(w.prefixes, func(p []byte) bool { return len(p) == 0 }) {
			lits.add(w.prefixes, w.rule)
		} else {
			pres.add(cut, w.rule)
		}
	}
	if len(lits.lits) > 0 {
		f.scan, f.litRules = newLitScanner(lits.lits), lits.rules
	}
	if len(pres.lits) > 0 {
		f.pre, f.preRules = newPrefixTable(pres.lits), pres.rules
	}
	return f
}

// maxSharedPrefix is how many rules may share a dispatch prefix before
// they are found by their whole prefix instead.
const maxSharedPrefix = 8

// maxDispatchPrefix is how much of an anchored prefix the dispatch walks:
// enough to tell the messages of the packs apart, short enough that the
// walk stays a few steps. The expressions check their whole prefix.
const maxDispatchPrefix = 8

// dispatchPrefixes returns the prefixes cut to maxDispatchPrefix bytes,
// without duplicates.
func dispatchPrefixes(prefixes [][]byte) [][]byte {
	var out [][]byte
	for _, p := range prefixes {
		p = p[:min(len(p), maxDispatchPrefix)]
		if !slices.ContainsFunc(out, func(o []byte) bool { return bytes.Equal(o, p) }) {
			out = append(out, p)
		}
	}
	return out
}

// literalSet collects distinct literals and the rules that need each.
type literalSet struct {
	lits  [][]byte
	rules [][]int32
	ids   map[string]int32
}

func (s *literalSet) add(lits [][]byte, rule int32) {
	if s.ids == nil {
		s.ids = map[string]int32{}
	}
	for _, l := range lits {
		id, ok := s.ids[string(l)]
		if !ok {
			id = int32(len(s.lits))
			s.ids[string(l)] = id
			s.lits = append(s.lits, l)
			s.rules = append(s.rules, nil)
		}
		if !slices.Contains(s.rules[id], rule) {
			s.rules[id] = append(s.rules[id], rule)
		}
	}
}

// candidates returns, in config order, the indexes of the rules to
// evaluate for text, the text of event gen. The slice is reused.
func (f *sourceFilter) candidates(text []byte, gen uint64) []int32 {
	if f.seen == nil {
		return f.subset
	}
	f.cand = f.cand[:0]
	for _, r := range f.always {
		f.seen[r] = gen
		f.cand = append(f.cand, r)
	}
	if f.pre != nil {
		f.pre.prefixes(text, func(id int32) { f.pick(f.preRules[id], gen) })
	}
	if f.scan != nil {
		f.scan.scan(text, func(id int32) { f.pick(f.litRules[id], gen) })
	}
	if len(f.cand) > len(f.always) {
		slices.Sort(f.cand)
	}
	return f.cand
}

// pick adds the rules not yet picked for event gen to the candidates.
func (f *sourceFilter) pick(rules []int32, gen uint64) {
	for _, r := range rules {
		if f.seen[r] != gen {
			f.seen[r] = gen
			f.cand = append(f.cand, r)
		}
	}
}

// newSourceRules groups the rules of a source for dispatch. When rules
// guard on a source field (guard.go), lines are dispatched on its value:
// each value gets a filter over the rules that accept it plus the rules
// without a guard, and other values get a filter over the latter only.
func newSourceRules(rules []*Rule, source string, minRules int) *sourceRules {
	sr := &sourceRules{rules: rules, field: -1}
	guards := make([]*guard, len(rules))
	count := map[int]int{}
	for i, r := range rules {
		guards[i] = ruleGuard(r, source)
		if guards[i] != nil {
			count[guards[i].field]++
		}
	}
	for f, n := range count {
		if n >= 2 && (sr.field < 0 || n > count[sr.field] || (n == count[sr.field] && f < sr.field)) {
			sr.field = f
		}
	}
	var all, unguarded []int32
	byValue := map[string][]int32{}
	var values []string
	for i, g := range guards {
		all = append(all, int32(i))
		if sr.field < 0 || g == nil || g.field != sr.field {
			unguarded = append(unguarded, int32(i))
			continue
		}
		for _, v := range g.values {
			if _, ok := byValue[v]; !ok {
				values = append(values, v)
			}
			byValue[v] = append(byValue[v], int32(i))
		}
	}
	if sr.field < 0 {
		sr.filter = newSourceFilter(rules, all, source, minRules)
		return sr
	}
	sr.filter = newSourceFilter(rules, unguarded, source, minRules)
	byFilter := make(map[string]*sourceFilter, len(values))
	shared := map[string]*sourceFilter{} // by subset: values with the same rules share a filter
	for _, v := range values {
		subset := append(slices.Clone(unguarded), byValue[v]...)
		slices.Sort(subset)
		k := fmt.Sprint(subset)
		if shared[k] == nil {
			shared[k] = newSourceFilter(rules, subset, source, minRules)
		}
		byFilter[v] = shared[k]
	}
	sr.byValue = newValueTable(byFilter)
	return sr
}

// ruleGuard returns the guard that every matcher of r on source has on one
// field, with the union of their values, or nil.
func ruleGuard(r *Rule, source string) *guard {
	if r.metric != nil || r.anyLine {
		return nil
	}
	var out *guard
	for _, m := range r.matchers() {
		if m.source != source {
			continue
		}
		if m.guard == nil || (out != nil && m.guard.field != out.field) {
			return nil
		}
		if out == nil {
			out = &guard{field: m.guard.field}
		}
		for _, v := range m.guard.values {
			if !slices.Contains(out.values, v) {
				out.values = append(out.values, v)
			}
		}
	}
	return out
}
