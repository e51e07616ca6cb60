package match

// denseScanner is a Scanner's automaton as a deterministic automaton:
// every state has a transition for every byte class, so scanning costs one
// table lookup per byte and never follows fail links. Bytes that occur in
// no literal share one class, so the table is states × (distinct literal
// bytes + 1) entries.
type denseScanner struct {
	class [256]uint8
	// next is indexed by state×nclass + class; states are numbered
	// pre-multiplied by nclass. States with a literal on their dictionary
	// chain are numbered from outStart, so one comparison tells whether a
	// byte ends a literal.
	next     []int32
	nclass   int32
	outStart int32
	lit      []int32 // by state number: the literal ending there, or -1
	dict     []int32 // by state number: next state on the chain with a literal, or -1
}

// newDenseScanner builds the DFA of s, or returns nil if its table would
// have more than maxEntries entries.
func newDenseScanner(s *Scanner, lits [][]byte, maxEntries int) *denseScanner {
	d := &denseScanner{}
	var used [256]bool
	for _, l := range lits {
		for _, b := range l {
			used[b] = true
		}
	}
	d.nclass = 1 // class 0: bytes in no literal
	for b := range used {
		if used[b] {
			d.class[b] = uint8(d.nclass)
			d.nclass++
		}
	}
	nodes := len(s.lit)
	if d.nclass > 256 || nodes*int(d.nclass) > maxEntries {
		return nil
	}
	// Renumber: states without output first (the root stays 0), then
	// those with output.
	hasOut := func(n int32) bool { return s.lit[n] >= 0 || s.dict[n] >= 0 }
	num := make([]int32, nodes)
	k := int32(0)
	for pass := range 2 {
		for n := range int32(nodes) {
			if hasOut(n) == (pass == 1) {
				num[n] = k
				k++
			}
		}
		if pass == 0 {
			d.outStart = k * d.nclass
		}
	}
	d.next = make([]int32, nodes*int(d.nclass))
	d.lit = make([]int32, nodes)
	d.dict = make([]int32, nodes)
	// Transitions in breadth-first order, so that a state's fail target,
	// which is shallower, is already filled: a missing edge goes where the
	// fail target's goes.
	order := []int32{0}
	for i := 0; i < len(order); i++ {
		n := order[i]
		row := num[n] * d.nclass
		if n != 0 {
			copy(d.next[row:row+d.nclass], d.next[num[s.fail[n]]*d.nclass:][:d.nclass])
		}
		for _, e := range s.edges[s.first[n]:s.first[n+1]] {
			d.next[row+int32(d.class[e.b])] = num[e.to] * d.nclass
			order = append(order, e.to)
		}
		d.lit[num[n]] = s.lit[n]
		d.dict[num[n]] = -1
		if s.dict[n] >= 0 {
			d.dict[num[n]] = num[s.dict[n]]
		}
	}
	return d
}

func (d *denseScanner) Scan(text []byte, found func(id int32)) {
	n := int32(0)
	for _, b := range text {
		n = d.next[n+int32(d.class[b])]
		if n < d.outStart {
			continue
		}
		x := n / d.nclass
		if d.lit[x] < 0 {
			x = d.dict[x]
		}
		for x > 0 {
			found(d.lit[x])
			x = d.dict[x]
		}
	}
}
