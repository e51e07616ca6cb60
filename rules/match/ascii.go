package match

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"regexp/syntax"
	"slices"
	"unicode"
)

// ASCII finds the submatches of a rule expression in ASCII text, a
// literal or a run of bytes at a time. Go's regexp steps through its
// program a rune and an instruction at a time; on a line that passes the
// literal prefilter it costs microseconds, most of a matching line's
// time. ASCII runs the same backtracking search over coarser
// instructions: a literal is compared at once, a repetition of a byte
// class is measured with one loop and its continuation tried only where
// the next literal's first byte is. Its answer is the one regexp gives
// (leftmost, then the first alternative in priority order: regexp
// documents that this is what a backtracking implementation chooses);
// FuzzASCIIMatcher checks that against regexp.
//
// On ASCII text a rune is a byte, so byte positions and rune positions
// agree; find reports ok == false on text with any byte of 0x80 or above,
// and on text too long for its memory of visited states, and the caller
// uses regexp. Failed states are remembered as regexp's backtracker
// does, so the search is linear in the text times the program.
type ASCII struct {
	prog     []btInst
	ncap     int  // submatch slots, 2 per group including the whole match
	Anchored bool // begins with ^: only a match at 0 is possible
	// first holds the bytes a match can begin with; nil when it may be
	// empty. An unanchored search tries only positions holding one.
	first *[256]bool
	// visited has a bit per (instruction, position) state the search
	// entered at a join: entered again, it fails, as it did (or is
	// doing) before.
	// A second half has a bit per (run instruction, position) where a
	// repetition stood with its minimum consumed: runs entered at
	// successive positions explore each position once. This is what
	// regexp's backtracker does, a state per instruction and rune, and
	// keeps the search linear in the text times the program.
	visited []uint64
	// steps counts the states and bytes the last find examined.
	steps int
	caps  []int
	text  []byte
	end   int // where the match found ended
}

type btOp uint8

const (
	btLit    btOp = iota // lit at the position
	btFold               // lit, ASCII letters in either case
	btRun                // min to max bytes of set; greedy unless lazy
	btAlt                // try x, then y
	btJmp                // continue at x
	btSave               // record the position in capture slot x
	btAssert             // empty-width assertion
	btFail
	btMatch
)

type btInst struct {
	op     btOp
	lazy   bool
	hasNxt bool // the continuation of a run starts with the byte nxt
	// join is set where the search can arrive by more than one way (the
	// target of several instructions, the continuation of a run): only
	// there can a state be entered twice, so only there is it marked.
	join   bool
	nxt    byte
	assert syntax.EmptyOp
	lit    []byte
	letter []bool // btFold: which bytes of lit are lower-case letters
	set    *[256]bool
	min    int
	max    int // -1: unbounded
	x, y   int
}

const (
	// maxBacktrackProg bounds the program ASCII accepts.
	maxBacktrackProg = 2000
	// maxVisitedBits bounds the memory of visited states (256 KB); a
	// longer text goes to regexp.
	maxVisitedBits = 1 << 21
)

// NewASCII compiles expr, which regexp.Compile accepted, or returns
// nil for expressions it does not handle: repetitions of bodies that can
// match the empty string.
func NewASCII(expr string) *ASCII {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	c := btCompiler{}
	if !c.emit(re) || len(c.prog) >= maxBacktrackProg {
		return nil
	}
	c.prog = append(c.prog, btInst{op: btMatch})
	m := &ASCII{prog: c.prog, ncap: 2 * (re.MaxCap() + 1)}
	m.Anchored = len(m.prog) > 0 && m.prog[0].op == btAssert && m.prog[0].assert == syntax.EmptyBeginText
	m.caps = make([]int, m.ncap)
	for pc := range m.prog {
		in := &m.prog[pc]
		if in.op != btRun {
			continue
		}
		// The byte the continuation must begin with, if it is fixed:
		// captures are empty-width, the literal after them decides.
		next := pc + 1
		for m.prog[next].op == btSave {
			next++
		}
		if n := &m.prog[next]; n.op == btLit && len(n.lit) > 0 {
			in.hasNxt, in.nxt = true, n.lit[0]
		}
	}
	m.first = m.firstBytes()
	m.markJoins()
	return m
}

// markJoins sets join on the instructions reached from more than one
// instruction, or from a run (at each of its lengths).
func (m *ASCII) markJoins() {
	preds := make([]int, len(m.prog))
	for pc, in := range m.prog {
		switch in.op {
		case btAlt:
			preds[in.x]++
			preds[in.y]++
		case btJmp:
			preds[in.x]++
		case btRun:
			preds[pc+1] += 2
		case btFail, btMatch:
		default:
			preds[pc+1]++
		}
	}
	preds[0]++ // the search starts there
	for pc := range m.prog {
		m.prog[pc].join = preds[pc] > 1
	}
}

// firstBytes returns the bytes a match can begin with, or nil if a match
// can be empty.
func (m *ASCII) firstBytes() *[256]bool {
	var s [256]bool
	seen := make([]bool, len(m.prog))
	// walk adds the first bytes from pc, and reports false if the match
	// can end there having consumed nothing. A state seen before adds
	// nothing: it was walked, or it is on a loop, whose bodies consume.
	var walk func(pc int) bool
	walk = func(pc int) bool {
		for !seen[pc] {
			seen[pc] = true
			in := &m.prog[pc]
			switch in.op {
			case btLit:
				s[in.lit[0]] = true
				return true
			case btFold:
				s[in.lit[0]] = true
				if in.letter[0] {
					s[in.lit[0]-('a'-'A')] = true
				}
				return true
			case btRun:
				for b, ok := range in.set {
					s[b] = s[b] || ok
				}
				if in.min > 0 {
					return true
				}
				pc++
			case btAlt:
				if !walk(in.x) {
					return false
				}
				pc = in.y
			case btJmp:
				pc = in.x
			case btSave, btAssert:
				pc++
			case btFail:
				return true
			case btMatch:
				return false
			}
		}
		return true
	}
	if !walk(0) {
		return nil
	}
	return &s
}

type btCompiler struct {
	prog []btInst
}

func (c *btCompiler) add(in btInst) int {
	c.prog = append(c.prog, in)
	return len(c.prog) - 1
}

// emit appends the instructions of re; falling through the last one is
// the continuation. It reports false for what ASCII cannot run.
func (c *btCompiler) emit(re *syntax.Regexp) bool {
	if len(c.prog) >= maxBacktrackProg {
		return false
	}
	switch re.Op {
	case syntax.OpNoMatch:
		c.add(btInst{op: btFail})
	case syntax.OpEmptyMatch:
	case syntax.OpLiteral:
		c.literal(re.Rune, re.Flags&syntax.FoldCase != 0)
	case syntax.OpCharClass, syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		c.add(btInst{op: btRun, set: byteSet(re), min: 1, max: 1})
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		c.add(btInst{op: btAssert, assert: emptyOp(re.Op)})
	case syntax.OpCapture:
		c.add(btInst{op: btSave, x: 2 * re.Cap})
		if !c.emit(re.Sub[0]) {
			return false
		}
		c.add(btInst{op: btSave, x: 2*re.Cap + 1})
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !c.emit(sub) {
				return false
			}
		}
	case syntax.OpAlternate:
		var jumps []int
		for i, sub := range re.Sub {
			alt := -1
			if i < len(re.Sub)-1 {
				alt = c.add(btInst{op: btAlt})
				c.prog[alt].x = alt + 1
			}
			if !c.emit(sub) {
				return false
			}
			if alt >= 0 {
				jumps = append(jumps, c.add(btInst{op: btJmp}))
				c.prog[alt].y = len(c.prog)
			}
		}
		for _, j := range jumps {
			c.prog[j].x = len(c.prog)
		}
	case syntax.OpQuest:
		alt := c.add(btInst{op: btAlt})
		if !c.emit(re.Sub[0]) {
			return false
		}
		c.branch(alt, alt+1, len(c.prog), re.Flags&syntax.NonGreedy != 0)
	case syntax.OpStar, syntax.OpPlus, syntax.OpRepeat:
		return c.repeat(re)
	default:
		return false
	}
	return true
}

// branch sets an alternation that prefers body (or, lazily, skipping it).
func (c *btCompiler) branch(alt, body, skip int, lazy bool) {
	if lazy {
		c.prog[alt].x, c.prog[alt].y = skip, body
	} else {
		c.prog[alt].x, c.prog[alt].y = body, skip
	}
}

func (c *btCompiler) repeat(re *syntax.Regexp) bool {
	lazy := re.Flags&syntax.NonGreedy != 0
	sub := re.Sub[0]
	lo, hi := 0, -1
	switch re.Op {
	case syntax.OpPlus:
		lo = 1
	case syntax.OpRepeat:
		lo, hi = re.Min, re.Max
	}
	if single(sub) {
		c.add(btInst{op: btRun, set: byteSet(sub), min: lo, max: hi, lazy: lazy})
		return true
	}
	if re.Op == syntax.OpRepeat {
		// What regexp does: spelt out as copies, stars and quests.
		s := re.Simplify()
		if s.Op == syntax.OpRepeat {
			return false
		}
		return c.emit(s)
	}
	// A loop over a body that can match the empty string needs regexp's
	// rules for empty iterations; leave those to regexp.
	if minLen(sub) == 0 {
		return false
	}
	if re.Op == syntax.OpPlus {
		start := len(c.prog)
		if !c.emit(sub) {
			return false
		}
		alt := c.add(btInst{op: btAlt})
		c.branch(alt, start, alt+1, lazy)
		return true
	}
	alt := c.add(btInst{op: btAlt})
	if !c.emit(sub) {
		return false
	}
	c.add(btInst{op: btJmp, x: alt})
	c.branch(alt, alt+1, len(c.prog), lazy)
	return true
}

// literal appends a literal; with fold, ASCII letters match either case.
// On ASCII text a rune outside ASCII matches only through its ASCII case
// variants (the Kelvin sign K, the long s): fold is resolved per rune.
func (c *btCompiler) literal(runes []rune, fold bool) {
	lit := make([]byte, 0, len(runes))
	var letter []bool
	for _, r := range runes {
		b, isLetter, ok := asciiRune(r, fold)
		if !ok {
			c.add(btInst{op: btFail})
			return
		}
		lit = append(lit, b)
		letter = append(letter, isLetter)
	}
	if !slices.Contains(letter, true) {
		c.add(btInst{op: btLit, lit: lit})
		return
	}
	c.add(btInst{op: btFold, lit: lit, letter: letter})
}

// asciiRune is the byte an ASCII text must have for r: with fold, the
// lower-case letter of r's case orbit; ok is false when no ASCII byte
// matches r.
func asciiRune(r rune, fold bool) (b byte, letter, ok bool) {
	if !fold {
		return byte(r), false, r < 0x80
	}
	for f := r; ; {
		if f >= 'a' && f <= 'z' {
			return byte(f), true, true
		}
		if f = unicode.SimpleFold(f); f == r {
			break
		}
	}
	return byte(r), false, r < 0x80
}

// single reports whether re matches exactly one character from a set.
func single(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpCharClass, syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		return true
	case syntax.OpLiteral:
		return len(re.Rune) == 1
	}
	return false
}

// byteSet is the ASCII bytes a single-character expression matches.
func byteSet(re *syntax.Regexp) *[256]bool {
	var s [256]bool
	switch re.Op {
	case syntax.OpAnyChar:
		for b := range 0x80 {
			s[b] = true
		}
	case syntax.OpAnyCharNotNL:
		for b := range 0x80 {
			s[b] = b != '\n'
		}
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1] && r < 0x80; r++ {
				s[r] = true
			}
		}
	case syntax.OpLiteral:
		r := re.Rune[0]
		if re.Flags&syntax.FoldCase == 0 {
			if r < 0x80 {
				s[r] = true
			}
			break
		}
		for f := r; ; {
			if f < 0x80 {
				s[f] = true
			}
			if f = unicode.SimpleFold(f); f == r {
				break
			}
		}
	}
	return &s
}

// minLen is the fewest bytes re can match (0 for empty-width ones).
func minLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		return 1
	case syntax.OpCapture, syntax.OpPlus:
		return minLen(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min * minLen(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n += minLen(s)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, s := range re.Sub {
			if l := minLen(s); n < 0 || l < n {
				n = l
			}
		}
		return max(n, 0)
	}
	return 0
}

func emptyOp(op syntax.Op) syntax.EmptyOp {
	switch op {
	case syntax.OpBeginLine:
		return syntax.EmptyBeginLine
	case syntax.OpEndLine:
		return syntax.EmptyEndLine
	case syntax.OpBeginText:
		return syntax.EmptyBeginText
	case syntax.OpEndText:
		return syntax.EmptyEndText
	case syntax.OpWordBoundary:
		return syntax.EmptyWordBoundary
	}
	return syntax.EmptyNoWordBoundary
}

// Find returns the submatch indexes of the leftmost match in text, as
// regexp's FindSubmatchIndex does, or nil. ok is false when text is not
// ASCII or too long: the answer is then regexp's to give. The slice is
// reused by the next call.
func (m *ASCII) Find(text []byte) (idx []int, ok bool) {
	if !isASCII(text) {
		return nil, false
	}
	bits := 2 * len(m.prog) * (len(text) + 1)
	if bits > maxVisitedBits {
		return nil, false
	}
	words := (bits + 63) / 64
	if cap(m.visited) < words {
		m.visited = make([]uint64, words)
	}
	m.visited = m.visited[:words]
	clear(m.visited)
	m.text, m.steps = text, 0
	last := len(text)
	if m.Anchored {
		last = 0
	}
	// A failed try restores the slots it set.
	for i := range m.caps {
		m.caps[i] = -1
	}
	for start := 0; start <= last; start++ {
		if m.first != nil && !m.Anchored {
			for start < len(text) && !m.first[text[start]] {
				start++
			}
			if start == len(text) {
				break
			}
		}
		if m.try(0, start) {
			m.caps[0], m.caps[1] = start, m.end
			return m.caps, true
		}
	}
	return nil, true
}

// seen marks the state (pc, pos) and reports whether it was marked.
func (m *ASCII) seen(pc, pos int) bool {
	return m.mark(uint(pc*(len(m.text)+1) + pos))
}

// starSeen marks the state of run pc standing at pos with its minimum
// consumed, and reports whether it was marked.
func (m *ASCII) starSeen(pc, pos int) bool {
	return m.mark(uint((len(m.prog)+pc)*(len(m.text)+1) + pos))
}

// extend runs the greedy repetition pc from its star state at start as
// far as its class goes, up to limit, or to a star state marked before
// (from which the longer runs were tried), marking the star states it
// passes, 64 positions of the bitmap at a time. It returns where it
// stopped.
func (m *ASCII) extend(in *btInst, pc, start, limit int) int {
	text := m.text
	base := uint((len(m.prog) + pc) * (len(text) + 1))
	end := start
	for end < limit {
		// The star states end+1 onwards that share a bitmap word.
		n := base + uint(end+1)
		w, off := n/64, n%64
		span := min(64-int(off), limit-end)
		free := span
		if marked := m.visited[w] >> off & (^uint64(0) >> (64 - span)); marked != 0 {
			free = bits.TrailingZeros64(marked)
		}
		k := 0
		for k < free && in.set[text[end+k]] {
			k++
		}
		m.visited[w] |= (uint64(1)<<k - 1) << off
		end += k
		m.steps += k
		if k < span {
			break
		}
	}
	return end
}

func (m *ASCII) mark(n uint) bool {
	w, b := n/64, uint64(1)<<(n%64)
	if m.visited[w]&b != 0 {
		return true
	}
	m.visited[w] |= b
	return false
}

// try reports whether the program from pc matches text from pos.
func (m *ASCII) try(pc, pos int) bool {
	text := m.text
	for {
		in := &m.prog[pc]
		if in.join && m.seen(pc, pos) {
			return false
		}
		m.steps++
		switch in.op {
		case btLit:
			if !bytes.HasPrefix(text[pos:], in.lit) {
				return false
			}
			pos += len(in.lit)
			pc++
		case btFold:
			if len(text)-pos < len(in.lit) {
				return false
			}
			for i, want := range in.lit {
				b := text[pos+i]
				if in.letter[i] && b >= 'A' && b <= 'Z' {
					b += 'a' - 'A'
				}
				if b != want {
					return false
				}
			}
			pos += len(in.lit)
			pc++
		case btSave:
			old := m.caps[in.x]
			m.caps[in.x] = pos
			if m.try(pc+1, pos) {
				return true
			}
			m.caps[in.x] = old
			return false
		case btAlt:
			if m.try(in.x, pos) {
				return true
			}
			pc = in.y
		case btJmp:
			pc = in.x
		case btRun:
			return m.run(in, pc, pos)
		case btAssert:
			if !m.holds(in.assert, pos) {
				return false
			}
			pc++
		case btFail:
			return false
		case btMatch:
			m.end = pos
			return true
		}
	}
}

// run tries the continuation of a repetition after each number of bytes
// it may take, most first or (lazy) fewest first.
func (m *ASCII) run(in *btInst, pc, pos int) bool {
	text := m.text
	limit := len(text)
	if in.max >= 0 && pos+in.max < limit {
		limit = pos + in.max
	}
	end := pos
	for end < pos+in.min {
		if end == limit || !in.set[text[end]] {
			return false
		}
		end++
	}
	m.steps += in.min
	if in.max >= 0 {
		// Bounded: at most max bytes from pos, whatever came before.
		return m.bounded(in, pc, end, limit)
	}
	start := end
	if in.lazy {
		// Fewest first: extend a byte at a time, trying the
		// continuation where it can begin, until a position explored
		// before.
		for p := start; ; p++ {
			if m.starSeen(pc, p) {
				return false
			}
			m.steps++
			if m.cont(in, pc+1, p) {
				return true
			}
			if p == limit || !in.set[text[p]] {
				return false
			}
		}
	}
	// Most first: extend as far as the class goes, or to a position
	// explored before (from which every longer run was tried), then try
	// the continuation from there back.
	if m.starSeen(pc, start) {
		return false
	}
	end = m.extend(in, pc, start, limit)
	for p := end; p >= start; p-- {
		if m.cont(in, pc+1, p) {
			return true
		}
	}
	return false
}

// bounded runs a repetition with a maximum from end, where its minimum
// is consumed, to limit.
func (m *ASCII) bounded(in *btInst, pc, end, limit int) bool {
	text := m.text
	if in.lazy {
		for p := end; ; p++ {
			m.steps++
			if m.cont(in, pc+1, p) {
				return true
			}
			if p == limit || !in.set[text[p]] {
				return false
			}
		}
	}
	start := end
	for end < limit && in.set[text[end]] {
		end++
		m.steps++
	}
	for p := end; p >= start; p-- {
		if m.cont(in, pc+1, p) {
			return true
		}
	}
	return false
}

// cont tries the continuation next of run in at p.
func (m *ASCII) cont(in *btInst, next, p int) bool {
	if in.hasNxt && (p >= len(m.text) || m.text[p] != in.nxt) {
		return false
	}
	return m.try(next, p)
}

func (m *ASCII) holds(op syntax.EmptyOp, pos int) bool {
	text := m.text
	switch op {
	case syntax.EmptyBeginText:
		return pos == 0
	case syntax.EmptyEndText:
		return pos == len(text)
	case syntax.EmptyBeginLine:
		return pos == 0 || text[pos-1] == '\n'
	case syntax.EmptyEndLine:
		return pos == len(text) || text[pos] == '\n'
	}
	before, after := pos > 0 && isWordByte(text[pos-1]), pos < len(text) && isWordByte(text[pos])
	if op == syntax.EmptyWordBoundary {
		return before != after
	}
	return before == after
}

func isWordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// isASCII reports whether text has no byte of 0x80 or above, eight bytes
// at a time.
func isASCII(text []byte) bool {
	i := 0
	for ; i+8 <= len(text); i += 8 {
		if binary.LittleEndian.Uint64(text[i:])&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(text); i++ {
		if text[i] >= 0x80 {
			return false
		}
	}
	return true
}
