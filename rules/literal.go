package rules

import (
	"regexp/syntax"
	"strings"
)

// requiredLiteral returns the longest string that every match of expr must
// contain, or "" when there is none worth checking (case-insensitive parts,
// alternations, optional parts). Lines without it cannot match, so the
// engine skips the expression for them with one substring search.
func requiredLiteral(expr string) string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return ""
	}
	lit := required(re.Simplify())
	if len(lit) < 3 {
		return "" // too short to be worth a search before the expression
	}
	return lit
}

func required(re *syntax.Regexp) string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return ""
		}
		return string(re.Rune)
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpConcat:
		// Adjacent literals form one run; otherwise the longest required
		// part of any element is required of the whole.
		best := ""
		var run strings.Builder
		flush := func() {
			if run.Len() > len(best) {
				best = run.String()
			}
			run.Reset()
		}
		for _, s := range re.Sub {
			if s.Op == syntax.OpLiteral && s.Flags&syntax.FoldCase == 0 {
				run.WriteString(string(s.Rune))
				continue
			}
			flush()
			if r := required(s); len(r) > len(best) {
				best = r
			}
		}
		flush()
		return best
	}
	return ""
}
