package rules

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/breachd/breachd/rules/match"
)

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
	pre                *match.PrefixTable
	scan               *match.Scanner
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
				case p.lits.Prefix != nil:
					withPrefix = append(withPrefix, prefixed{i, p.lits.Prefix})
				case p.lits.Best != nil:
					lits.add(p.lits.Best, i)
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
		f.scan, f.litRules = match.NewScanner(lits.lits), lits.rules
	}
	if len(pres.lits) > 0 {
		f.pre, f.preRules = match.NewPrefixTable(pres.lits), pres.rules
	}
	return f
}

// maxSharedPrefix is how many rules may share a dispatch prefix before
// they are found by their whole prefix instead.
const maxSharedPrefix = 8

// maxDispatchPrefix is how much of an anchored prefix the dispatch walks:
// enough to tell the messages of the packs apart, short enough that the
// walk stays a few steps. The expressions check their whole prefix.
const maxDispatchPrefix = match.MaxPrefix

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
		f.pre.Prefixes(text, func(id int32) { f.pick(f.preRules[id], gen) })
	}
	if f.scan != nil {
		f.scan.Scan(text, func(id int32) { f.pick(f.litRules[id], gen) })
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
