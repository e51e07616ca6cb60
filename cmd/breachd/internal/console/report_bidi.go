package console

import (
	"slices"

	"golang.org/x/text/unicode/bidi"
)

// The PDF draws each line's characters left to right as it is given them,
// so right-to-left text (Hebrew, Arabic) is put in the order it is seen
// first, by the Unicode Bidirectional Algorithm (UAX #9) for a paragraph
// without explicit formatting characters (the report shows those as
// \uXXXX text, so none is left): the paragraph's level from its first
// strong character (P2, P3), the weak types (W1-W7), the neutrals (N1,
// N2; not N0's bracket pairs), the implicit levels (I1, I2), then for
// each line the trailing whitespace (L1), the reversals (L2), the
// combining marks after their base (L3) and mirrored brackets (L4).
// Arabic letters are not joined (there is no shaping): each prints in its
// isolated form, and the text extracts as the letters it holds.

// bidiParagraph is a paragraph's characters with their resolved levels.
type bidiParagraph struct {
	runes  []rune
	class  []bidi.Class // as looked up, before the rules
	levels []uint8
	base   uint8
}

// newBidiParagraph resolves the levels of a paragraph's characters.
// Text with no right-to-left character or Arabic number is left to right
// throughout: all its levels are 0.
func newBidiParagraph(runes []rune) bidiParagraph {
	p := bidiParagraph{runes: runes, class: make([]bidi.Class, len(runes)), levels: make([]uint8, len(runes))}
	rtl := false
	for i, r := range runes {
		props, _ := bidi.LookupRune(r)
		p.class[i] = props.Class()
		rtl = rtl || p.class[i] == bidi.R || p.class[i] == bidi.AL || p.class[i] == bidi.AN
	}
	if !rtl {
		return p
	}
	p.base = paragraphLevel(p.class)
	t := slices.Clone(p.class)
	resolveWeak(t, p.base)
	resolveNeutral(t, p.base)
	for i, c := range t {
		p.levels[i] = implicitLevel(c, p.base)
	}
	return p
}

// paragraphLevel is 1 when the first strong character is right to left,
// else 0 (P2, P3).
func paragraphLevel(class []bidi.Class) uint8 {
	for _, c := range class {
		switch c {
		case bidi.L:
			return 0
		case bidi.R, bidi.AL:
			return 1
		}
	}
	return 0
}

// direction is the strong type of a level: L for even, R for odd.
func direction(level uint8) bidi.Class {
	if level%2 == 0 {
		return bidi.L
	}
	return bidi.R
}

// resolveWeak applies W1-W7 to the paragraph's types t, whose start and
// end take the paragraph's direction (sos, eos).
func resolveWeak(t []bidi.Class, base uint8) {
	sos := direction(base)
	prev := sos
	for i, c := range t {
		switch c {
		case bidi.L, bidi.R, bidi.EN, bidi.ES, bidi.ET, bidi.AN, bidi.CS, bidi.B, bidi.S, bidi.WS, bidi.AL:
		case bidi.NSM: // W1
			t[i] = prev
		default: // other neutrals, and what cannot be here (controls, boundary neutrals)
			t[i] = bidi.ON
		}
		prev = t[i]
	}
	lastStrong := sos
	for i, c := range t { // W2, W3
		switch c {
		case bidi.L, bidi.R:
			lastStrong = c
		case bidi.AL:
			lastStrong, t[i] = bidi.AL, bidi.R
		case bidi.EN:
			if lastStrong == bidi.AL {
				t[i] = bidi.AN
			}
		}
	}
	separators(t)
	terminators(t)
	lastStrong = sos
	for i, c := range t { // W6, W7
		switch c {
		case bidi.ES, bidi.ET, bidi.CS:
			t[i] = bidi.ON
		case bidi.L, bidi.R:
			lastStrong = c
		case bidi.EN:
			if lastStrong == bidi.L {
				t[i] = bidi.L
			}
		}
	}
}

// separators is W4: a single separator between two numbers of a type
// takes that type (ES between European numbers, CS between either).
func separators(t []bidi.Class) {
	for i := 1; i+1 < len(t); i++ {
		switch {
		case t[i] == bidi.ES && t[i-1] == bidi.EN && t[i+1] == bidi.EN:
			t[i] = bidi.EN
		case t[i] == bidi.CS && (t[i-1] == bidi.EN || t[i-1] == bidi.AN) && t[i+1] == t[i-1]:
			t[i] = t[i-1]
		}
	}
}

// terminators is W5: terminators next to a European number are part of
// it.
func terminators(t []bidi.Class) {
	for i := 0; i < len(t); {
		if t[i] != bidi.ET {
			i++
			continue
		}
		j := i
		for j < len(t) && t[j] == bidi.ET {
			j++
		}
		if i > 0 && t[i-1] == bidi.EN || j < len(t) && t[j] == bidi.EN {
			for k := i; k < j; k++ {
				t[k] = bidi.EN
			}
		}
		i = j
	}
}

// resolveNeutral applies N1 and N2: neutrals between two strong types of
// one direction (numbers count as right to left) take it, the others the
// paragraph's.
func resolveNeutral(t []bidi.Class, base uint8) {
	e := direction(base)
	for i := 0; i < len(t); {
		if !neutral(t[i]) {
			i++
			continue
		}
		j := i
		for j < len(t) && neutral(t[j]) {
			j++
		}
		before, after := e, e
		if i > 0 {
			before = strongOf(t[i-1])
		}
		if j < len(t) {
			after = strongOf(t[j])
		}
		d := e
		if before == after {
			d = before
		}
		for k := i; k < j; k++ {
			t[k] = d
		}
		i = j
	}
}

// neutral says whether a resolved type is a neutral.
func neutral(c bidi.Class) bool {
	return c == bidi.B || c == bidi.S || c == bidi.WS || c == bidi.ON
}

// strongOf is a resolved type's direction for N1: numbers are right to
// left.
func strongOf(c bidi.Class) bidi.Class {
	if c == bidi.L {
		return bidi.L
	}
	return bidi.R
}

// implicitLevel is I1 and I2.
func implicitLevel(c bidi.Class, base uint8) uint8 {
	if base%2 == 0 {
		switch c {
		case bidi.R:
			return base + 1
		case bidi.AN, bidi.EN:
			return base + 2
		}
		return base
	}
	if c == bidi.L || c == bidi.EN || c == bidi.AN {
		return base + 1
	}
	return base
}

// visual is the line runes[lo:hi] in the order it is drawn, left to
// right.
func (p bidiParagraph) visual(lo, hi int) string {
	if lo == hi || p.base == 0 && !slices.ContainsFunc(p.levels[lo:hi], func(l uint8) bool { return l > 0 }) {
		return string(p.runes[lo:hi])
	}
	levels := p.lineLevels(lo, hi)
	order := make([]int, hi-lo)
	for i := range order {
		order[i] = lo + i
	}
	top := slices.Max(levels)
	for l := top; l >= 1; l-- { // L2
		for i := 0; i < len(order); {
			if levels[i] < l {
				i++
				continue
			}
			j := i
			for j < len(order) && levels[j] >= l {
				j++
			}
			slices.Reverse(order[i:j])
			slices.Reverse(levels[i:j])
			i = j
		}
	}
	p.marksAfterBase(order, levels)
	out := make([]rune, len(order))
	for i, k := range order {
		out[i] = p.runes[k]
		if levels[i]%2 == 1 {
			out[i] = mirrored(out[i])
		}
	}
	return string(out)
}

// lineLevels are the levels of runes[lo:hi] once the line's trailing
// whitespace, and its segment separators with the whitespace before
// them, are back at the paragraph's level (L1).
func (p bidiParagraph) lineLevels(lo, hi int) []uint8 {
	levels := slices.Clone(p.levels[lo:hi])
	trailing := true
	for i := len(levels) - 1; i >= 0; i-- {
		switch c := p.class[lo+i]; {
		case c == bidi.S || c == bidi.B:
			levels[i], trailing = p.base, true
		case trailing && (c == bidi.WS || c == bidi.BN):
			levels[i] = p.base
		default:
			trailing = false
		}
	}
	return levels
}

// marksAfterBase puts the combining marks of right-to-left text, which
// the reversal put before their base character, after it again: the font
// draws a mark over the character before it (L3).
func (p bidiParagraph) marksAfterBase(order []int, levels []uint8) {
	for i := 0; i < len(order); {
		if levels[i]%2 == 0 || p.class[order[i]] != bidi.NSM {
			i++
			continue
		}
		j := i
		for j < len(order) && levels[j]%2 == 1 && p.class[order[j]] == bidi.NSM {
			j++
		}
		if j < len(order) && levels[j]%2 == 1 {
			base := order[j]
			copy(order[i+1:j+1], order[i:j])
			order[i] = base
			j++
		}
		i = j
	}
}

// mirrored is the character that shows r in right-to-left text: brackets
// face the other way (L4).
func mirrored(r rune) rune {
	if props, _ := bidi.LookupRune(r); props.IsBracket() {
		return []rune(bidi.ReverseString(string(r)))[0]
	}
	switch r {
	case '<':
		return '>'
	case '>':
		return '<'
	case '«':
		return '»'
	case '»':
		return '«'
	case '‹':
		return '›'
	case '›':
		return '‹'
	case '≤':
		return '≥'
	case '≥':
		return '≤'
	}
	return r
}
