package replay

import (
	"cmp"
	"slices"
	"strings"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/rules"
)

// The stages of a replay after reading: the rules shared out among
// goroutines (shards), and the batches of parsed lines handed to them.

// partition shares rules out among at most n shards, keeping their config
// order within each. Rules with the same source and expressions go
// together, since one engine evaluates those once per line for all of
// them; the groups are dealt largest first to the least loaded shard, a
// group weighing its expressions (the work per line it is a candidate
// for).
func partition(rs []*configs.Rule, n int) [][]*configs.Rule {
	if n <= 1 || len(rs) <= 1 {
		return [][]*configs.Rule{rs}
	}
	type group struct {
		rules  []int
		weight int
	}
	// Rules that share an expression list (a rule's match, a sequence
	// step's) go to one shard, where the engine runs the list once per
	// line for all of them (the sshd pack's brute-force, spraying and
	// success-after-failures rules share theirs).
	var groups []*group
	byKey := map[string]*group{}
	of := make([]*group, len(rs))
	for i, r := range rs {
		var keys []string
		if len(r.Matches) > 0 {
			keys = append(keys, r.Source+"\x00"+strings.Join(r.Matches, "\x00"))
		}
		weight := len(r.Matches)
		if r.Sequence != nil {
			for _, st := range r.Sequence.Steps {
				src := cmp.Or(st.Source, r.Source) // a step reads its rule's source unless it names one
				keys = append(keys, src+"\x00"+strings.Join(st.Matches, "\x00"))
				weight += len(st.Matches)
			}
		}
		var g *group
		for _, k := range keys {
			if h := byKey[k]; h != nil && h != g {
				if g == nil {
					g = h
					continue
				}
				// Two groups meet in this rule: merge h into g.
				g.rules = append(g.rules, h.rules...)
				g.weight += h.weight
				for _, j := range h.rules {
					of[j] = g
				}
				for k2, v := range byKey {
					if v == h {
						byKey[k2] = g
					}
				}
				h.rules, h.weight = nil, 0
			}
		}
		if g == nil {
			g = &group{}
			groups = append(groups, g)
			g.weight += max(weight, 1) // the lists are run once per group
		}
		for _, k := range keys {
			if byKey[k] == nil {
				byKey[k] = g
			}
		}
		g.rules = append(g.rules, i)
		g.weight++
		of[i] = g
	}
	groups = slices.DeleteFunc(groups, func(g *group) bool { return len(g.rules) == 0 })
	slices.SortStableFunc(groups, func(a, b *group) int { return b.weight - a.weight })
	n = min(n, len(groups))
	load := make([]int, n)
	shard := map[*group]int{}
	for _, g := range groups {
		k := 0
		for j := range load {
			if load[j] < load[k] {
				k = j
			}
		}
		load[k] += g.weight
		shard[g] = k
	}
	out := make([][]*configs.Rule, n)
	for i, r := range rs {
		out[shard[of[i]]] = append(out[shard[of[i]]], r)
	}
	return out
}

// maxShards caps the goroutines evaluating rules: past the cores, or past
// where the reading stage keeps up, more only divide the same work.
const maxShards = 4

// evaluate runs one shard of the rules on each batch from in, noting its
// findings in the batch, and hands the batch on to out. atLine, when not
// nil, is told each line's number before its evaluation.
func evaluate(engine *rules.Engine, shard int, in <-chan *batch, out chan<- *batch, atLine func(int64)) {
	defer close(out)
	var fs []rules.Finding
	for b := range in {
		mine := b.found[shard][:0]
		for i := range b.events {
			ev := b.events[i]
			if atLine != nil {
				atLine(b.first + int64(i))
			}
			fs = fs[:0]
			if engine.Timed() {
				fs = engine.Tick(ev.Time, fs)
			}
			fs = engine.Evaluate(ev, fs)
			for _, f := range fs {
				mine = append(mine, found{event: int32(i), Finding: f})
			}
		}
		b.found[shard] = mine
		out <- b
	}
}

// found is a finding of a batch's event.
type found struct {
	event int32
	rules.Finding
}

// Batches in flight between the stages, and a batch's size.
const (
	batches    = 4
	batchLines = 512
	batchBytes = 256 << 10
)

// batch is parsed lines handed from the reading stage to the rules: each
// event's bytes are copied into the batch's own arena, since the reader
// and the parser reuse theirs. Batches are recycled, so the steady state
// allocates nothing.
type batch struct {
	first  int64 // the line number of events[0]
	events []rules.Event
	arena  []byte
	fields [][]byte
	// found are each shard's findings, in event order.
	found  [][]found
	merged []found
}

// merge returns the shards' findings in event order and, for one event, in
// the rules' config order, as one engine with every rule gives them.
func (b *batch) merge(order map[string]int) []found {
	b.merged = b.merged[:0]
	for _, f := range b.found {
		b.merged = append(b.merged, f...)
	}
	if len(b.found) > 1 {
		slices.SortStableFunc(b.merged, func(x, y found) int {
			if x.event != y.event {
				return int(x.event - y.event)
			}
			return order[x.Rule] - order[y.Rule]
		})
	}
	return b.merged
}

// add copies ev into the batch. An arena that grows leaves the earlier
// events on its old backing array, which stays theirs.
func (b *batch) add(ev rules.Event) {
	ev.Line = b.keep(ev.Line)
	if ev.Message != nil {
		ev.Message = b.keep(ev.Message)
	}
	start := len(b.fields)
	for _, f := range ev.Fields {
		b.fields = append(b.fields, b.keep(f))
	}
	ev.Fields = b.fields[start:len(b.fields):len(b.fields)]
	b.events = append(b.events, ev)
}

func (b *batch) keep(p []byte) []byte {
	if len(p) == 0 {
		if p == nil {
			return nil
		}
		return []byte{} // empty, not absent (an empty message is not the whole line)
	}
	start := len(b.arena)
	b.arena = append(b.arena, p...)
	return b.arena[start:len(b.arena):len(b.arena)]
}

func (b *batch) reset() {
	// No reference to the arena's old arrays or to findings survives.
	clear(b.events)
	clear(b.merged)
	for k := range b.found {
		clear(b.found[k])
		b.found[k] = b.found[k][:0]
	}
	b.events, b.arena, b.fields, b.merged = b.events[:0], b.arena[:0], b.fields[:0], b.merged[:0]
}
