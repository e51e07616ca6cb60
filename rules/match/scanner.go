package match

import (
	"encoding/binary"
	"sort"
)

// Scanner finds, in one pass over a line, which of a set of literals
// it contains (Aho-Corasick). The engine uses it to pick, per line, the
// rules whose required literals are present, so that the cost of a line
// that matches nothing stays nearly flat as rules are added.
//
// It is written here rather than taken from a library: the Go
// implementations at hand either keep two 256-pointer arrays per trie node
// (4 KiB each, tens of MB for a thousand rules) or allocate a result per
// call, and the hot path must not allocate.
type Scanner struct {
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

// NewScanner builds a scanner for lits (non-empty).
func NewScanner(lits [][]byte) *Scanner {
	return NewScannerLimit(lits, maxDenseEntries)
}

// NewScannerLimit builds a scanner whose DFA table has at most
// maxEntries entries (none if it would have more).
func NewScannerLimit(lits [][]byte, maxEntries int) *Scanner {
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
	s := &Scanner{
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
func (s *Scanner) step(n int32, b byte) int32 {
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

// Scan calls found with the id of every literal text contains (possibly
// more than once for literals that occur several times).
func (s *Scanner) Scan(text []byte, found func(id int32)) {
	if s.dense != nil {
		s.dense.Scan(text, found)
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

// MaxPrefix is the longest prefix a PrefixTable compares: one machine
// word.
const MaxPrefix = 8

// PrefixTable finds which of a set of prefixes, none longer than
// maxDispatchPrefix (8) bytes, a line starts with: the line's first 8
// bytes are one word, compared under a mask with the prefixes that begin
// with its first byte; when more than maxPrefixList share it, looked up
// by length in maps, so a thousand rules cost a few lookups.
type PrefixTable struct {
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

// NewPrefixTable indexes prefixes by their position in lits.
func NewPrefixTable(lits [][]byte) *PrefixTable {
	t := &PrefixTable{}
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

// Prefixes calls found with the id of every prefix text starts with.
func (t *PrefixTable) Prefixes(text []byte, found func(id int32)) {
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
