package match

import (
	"bytes"
	"regexp/syntax"
	"slices"
	"strings"
)

// Literals is the literal analysis of a match expression, done once at load: what every
// line the expression matches must contain. The engine checks it with
// substring searches before running the expression, and the source filter
// (rules/filter.go) scans each line once for the literals of all rules.
//
// A requirement is a set of alternatives: a matching line contains at
// least one of them (one string for `Failed password for `, four for
// `(Connection closed by|Disconnected from) (invalid|authenticating) user `).
// An expression has any number of requirements, all of which hold, and may
// have a required prefix (a requirement anchored at the start of the text,
// for expressions that begin with ^).
type Literals struct {
	Prefix [][]byte   // one of them starts the text; nil if none
	Reqs   [][][]byte // for each, one of its strings is in the text
	// best is the most selective requirement (its shortest alternative is
	// the longest), the one the source filter scans for; nil if none is
	// long enough to be worth it.
	Best [][]byte
}

const (
	// maxAlternatives caps the strings of one requirement: beyond it an
	// alternation or a product of alternations is not expanded.
	maxAlternatives = 16
	// minLiteral is the shortest alternative worth a search: shorter ones
	// are in most lines.
	minLiteral = 3
	// maxRequirements caps the requirements checked per expression.
	maxRequirements = 4
)

// litInfo is what the analysis knows of a sub-expression: the exact set of
// strings it matches when small (nil otherwise), and its requirements.
type litInfo struct {
	exact []string
	Reqs  [][]string
	// prefix is the required prefix, for a concatenation that starts at
	// the beginning of the text.
	Prefix []string
}

// Analyze returns the literal analysis of expr.
func Analyze(expr string) Literals {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return Literals{}
	}
	info := analyze(re.Simplify())
	var out Literals
	if usable(info.Prefix) {
		out.Prefix = toBytes(info.Prefix)
	}
	reqs := info.Reqs
	if info.exact != nil {
		reqs = append(reqs, info.exact)
	}
	var kept [][]string
	for _, r := range reqs {
		if usable(r) && !slices.ContainsFunc(kept, func(k []string) bool { return slices.Equal(k, r) }) {
			kept = append(kept, r)
		}
	}
	// Most selective first: the first failing search ends the check.
	slices.SortStableFunc(kept, func(a, b []string) int { return shortest(b) - shortest(a) })
	if len(kept) > maxRequirements {
		kept = kept[:maxRequirements]
	}
	for _, r := range kept {
		out.Reqs = append(out.Reqs, toBytes(r))
	}
	switch {
	case out.Prefix != nil && (len(kept) == 0 || shortest(info.Prefix) >= shortest(kept[0])):
		out.Best = out.Prefix
	case len(kept) > 0:
		out.Best = out.Reqs[0]
	}
	return out
}

// usable reports whether a requirement is worth checking: not empty, not
// too many alternatives, none too short.
func usable(r []string) bool {
	return len(r) > 0 && len(r) <= maxAlternatives && shortest(r) >= minLiteral
}

func shortest(r []string) int {
	n := -1
	for _, s := range r {
		if n < 0 || len(s) < n {
			n = len(s)
		}
	}
	return n
}

func toBytes(r []string) [][]byte {
	out := make([][]byte, len(r))
	for i, s := range r {
		out[i] = []byte(s)
	}
	return out
}

func analyze(re *syntax.Regexp) litInfo {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return litInfo{}
		}
		return litInfo{exact: []string{string(re.Rune)}}
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return litInfo{exact: []string{""}}
	case syntax.OpCharClass:
		// A small class such as [.:] is a set of one-rune strings.
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(out) == 4 {
					return litInfo{}
				}
				out = append(out, string(r))
			}
		}
		return litInfo{exact: out}
	case syntax.OpCapture:
		return analyze(re.Sub[0])
	case syntax.OpQuest:
		sub := analyze(re.Sub[0])
		if sub.exact != nil && len(sub.exact) < maxAlternatives {
			return litInfo{exact: union(sub.exact, []string{""})}
		}
		return litInfo{}
	case syntax.OpPlus:
		return requirementsOf(analyze(re.Sub[0]))
	case syntax.OpRepeat:
		if re.Min >= 1 {
			sub := analyze(re.Sub[0])
			if re.Min == 1 && re.Max == 1 {
				return sub
			}
			return requirementsOf(sub)
		}
		return litInfo{}
	case syntax.OpAlternate:
		return analyzeAlternate(re.Sub)
	case syntax.OpConcat:
		return analyzeConcat(re.Sub)
	}
	return litInfo{}
}

// requirementsOf keeps what is required of every match of sub, dropping
// its exactness (for repetitions).
func requirementsOf(sub litInfo) litInfo {
	out := litInfo{Reqs: sub.Reqs}
	if sub.exact != nil {
		out.Reqs = append(slices.Clip(out.Reqs), sub.exact)
	}
	return out
}

func analyzeAlternate(subs []*syntax.Regexp) litInfo {
	infos := make([]litInfo, len(subs))
	exact := true
	var all []string
	for i, s := range subs {
		infos[i] = analyze(s)
		if infos[i].exact == nil {
			exact = false
		}
		all = union(all, infos[i].exact)
	}
	if exact && len(all) <= maxAlternatives {
		return litInfo{exact: all}
	}
	// Each branch's most selective requirement; the match contains one of
	// them, whichever branch matched.
	var any []string
	for _, in := range infos {
		best := bestOf(in)
		if best == nil {
			return litInfo{}
		}
		any = union(any, best)
	}
	if len(any) > maxAlternatives {
		return litInfo{}
	}
	return litInfo{Reqs: [][]string{any}}
}

// bestOf returns the most selective requirement of in (its exact set
// counts as one), or nil.
func bestOf(in litInfo) []string {
	var best []string
	for _, r := range append(slices.Clip(in.Reqs), in.exact) {
		if usable(r) && (best == nil || shortest(r) > shortest(best)) {
			best = r
		}
	}
	return best
}

// analyzeConcat joins adjacent exact parts into runs (products of their
// sets, while small): each run is a requirement of the whole, as is every
// requirement of its parts.
func analyzeConcat(subs []*syntax.Regexp) litInfo {
	var out litInfo
	run := []string{""}
	exact := true
	anchored := len(subs) > 0 && subs[0].Op == syntax.OpBeginText
	prefixDone := !anchored
	flush := func() {
		if !prefixDone {
			out.Prefix, prefixDone = run, true
		} else if !slices.Contains(run, "") {
			out.Reqs = append(out.Reqs, run)
		}
		run = []string{""}
	}
	for _, s := range subs {
		in := analyze(s)
		if in.exact != nil {
			if p := product(run, in.exact); p != nil {
				run = p
				continue
			}
			flush()
			exact = false
			run = in.exact
			continue
		}
		exact = false
		flush()
		out.Reqs = append(out.Reqs, in.Reqs...)
		if in.Prefix != nil {
			out.Reqs = append(out.Reqs, in.Prefix)
		}
	}
	if exact {
		return litInfo{exact: run}
	}
	flush()
	if slices.Contains(out.Prefix, "") {
		out.Prefix = nil
	}
	return out
}

// product returns every a+b, or nil when there would be too many.
func product(as, bs []string) []string {
	if len(as)*len(bs) > maxAlternatives {
		return nil
	}
	out := make([]string, 0, len(as)*len(bs))
	for _, a := range as {
		for _, b := range bs {
			out = union(out, []string{a + b})
		}
	}
	return out
}

func union(a, b []string) []string {
	for _, s := range b {
		if !slices.Contains(a, s) {
			a = append(a, s)
		}
	}
	return a
}

// Check reports whether text satisfies the analysis: it starts with one of
// the prefixes and contains one string of every requirement. A false
// result means the expression cannot match text.
func (l *Literals) Check(text []byte) bool {
	if !l.HasPrefix(text) {
		return false
	}
	for _, r := range l.Reqs {
		if !ContainsAny(text, r) {
			return false
		}
	}
	return true
}

// CommonPrefix returns the longest prefix the strings share.
func CommonPrefix(strs [][]byte) []byte {
	if len(strs) == 0 {
		return nil
	}
	lead := strs[0]
	for _, s := range strs[1:] {
		n := 0
		for n < len(lead) && n < len(s) && lead[n] == s[n] {
			n++
		}
		lead = lead[:n]
	}
	return lead
}

// HasPrefix reports whether text begins with one of the prefixes, if
// the expression has any.
func (l *Literals) HasPrefix(text []byte) bool {
	return l.Prefix == nil || slices.ContainsFunc(l.Prefix, func(p []byte) bool { return bytes.HasPrefix(text, p) })
}

// ContainsAny reports whether text contains one of alts.
func ContainsAny(text []byte, alts [][]byte) bool {
	for _, a := range alts {
		if bytes.Contains(text, a) {
			return true
		}
	}
	return false
}

// Empty reports whether the analysis found nothing to check.
func (l *Literals) Empty() bool { return l.Prefix == nil && l.Reqs == nil }

// String describes the analysis, for tests and debugging.
func (l *Literals) String() string {
	var b strings.Builder
	join := func(r [][]byte) {
		for i, s := range r {
			if i > 0 {
				b.WriteString("|")
			}
			b.Write(s)
		}
	}
	if l.Prefix != nil {
		b.WriteString("^(")
		join(l.Prefix)
		b.WriteString(")")
	}
	for _, r := range l.Reqs {
		b.WriteString(" & (")
		join(r)
		b.WriteString(")")
	}
	b.WriteString(" best (")
	join(l.Best)
	b.WriteString(")")
	return b.String()
}
