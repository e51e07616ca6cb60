package rules

import (
	"container/list"
	"sync/atomic"
	"time"
)

// seqSet holds the attempts of a sequence rule, one per key (the by
// values): which step each has reached, since when, and the fields seen.
// An attempt older than within is forgotten; when the set is full the
// least recently advanced attempt is evicted.
type seqSet struct {
	within  time.Duration
	max     int
	nfields int // len(Rule.seqFields)
	keys    map[string]*list.Element
	lru     list.List // of *attempt; front is least recently advanced

	size      atomic.Int64
	evictions atomic.Uint64
}

type attempt struct {
	key   string
	step  int // the step the next event must match
	n     int // events matched in the current step
	total int // events matched in all steps
	first time.Time
	last  time.Time
	// fields are the steps' fields, in the order of Rule.seqFields (a
	// slice, not a map: an attempt is kept per key, up to 100,000); a
	// later step's value wins unless it is empty.
	fields []string
}

func newSeqSet(within time.Duration, maxKeys, nfields int) *seqSet {
	return &seqSet{within: within, max: maxKeys, nfields: nfields, keys: make(map[string]*list.Element)}
}

// get returns the live attempt of key at t, or nil.
func (s *seqSet) get(key string, t time.Time) *attempt {
	s.expire(t)
	el, ok := s.keys[key]
	if !ok {
		return nil
	}
	a := el.Value.(*attempt)
	if t.Sub(a.first) > s.within {
		s.remove(key)
		return nil
	}
	return a
}

// start begins an attempt for key at t.
func (s *seqSet) start(key string, t time.Time) *attempt {
	if len(s.keys) >= s.max {
		oldest := s.lru.Front()
		delete(s.keys, oldest.Value.(*attempt).key)
		s.lru.Remove(oldest)
		s.evictions.Add(1)
	}
	a := &attempt{key: key, first: t, last: t, fields: make([]string, s.nfields)}
	s.keys[key] = s.lru.PushBack(a)
	s.size.Store(int64(len(s.keys)))
	return a
}

func (s *seqSet) touch(a *attempt, t time.Time) {
	if t.After(a.last) {
		a.last = t
	}
	s.lru.MoveToBack(s.keys[a.key])
}

func (s *seqSet) remove(key string) {
	if el, ok := s.keys[key]; ok {
		s.lru.Remove(el)
		delete(s.keys, key)
		s.size.Store(int64(len(s.keys)))
	}
}

// expire forgets attempts that started more than within before t, from
// the least recently advanced.
func (s *seqSet) expire(t time.Time) {
	for {
		front := s.lru.Front()
		if front == nil {
			return
		}
		a := front.Value.(*attempt)
		if t.Sub(a.first) <= s.within {
			return
		}
		s.remove(a.key)
	}
}

// stepMatch is an event's match of one step.
type stepMatch struct {
	step   int
	fields map[string]string
}

// evaluateSequence advances the attempt of the event's key when the event
// matches the step that attempt waits for, starts an attempt when it
// matches the first step, and reports a finding when the last step is
// complete. An event may match several steps; the furthest one an attempt
// waits for wins.
func (r *Rule) evaluateSequence(ev Event, out []Finding) []Finding {
	var matches []stepMatch
	for i, st := range r.steps {
		if f := st.m.match(ev, &r.stats); f != nil {
			matches = append(matches, stepMatch{i, f})
		}
	}
	if len(matches) == 0 {
		return out
	}
	r.stats.matches.Add(1)
	if r.onMatch != nil {
		r.onMatch(r.spec.Name, matches[0].fields)
	}
	for j := len(matches) - 1; j >= 0; j-- {
		m := matches[j]
		key := r.groupKey(m.fields, ev.Source)
		a := r.seqs.get(key, ev.Time)
		if a == nil {
			if m.step != 0 {
				continue
			}
			a = r.seqs.start(key, ev.Time)
		} else if a.step != m.step {
			continue
		}
		r.seqs.touch(a, ev.Time)
		for i, name := range r.seqFields {
			if v, ok := m.fields[name]; ok && v != "" {
				a.fields[i] = v
			}
		}
		a.n++
		a.total++
		if a.n >= r.steps[a.step].count {
			a.step++
			a.n = 0
		}
		if a.step < len(r.steps) {
			return out
		}
		r.seqs.remove(key)
		fields := make(map[string]string, len(r.seqFields)+2)
		for i, name := range r.seqFields {
			fields[name] = a.fields[i]
		}
		return append(out, r.finding(fields, key, ev, a.total))
	}
	return out
}
