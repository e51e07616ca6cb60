package rules

import (
	"container/list"
	"fmt"
	"sync/atomic"
	"time"
)

// silenceSet tracks when each key of an absent rule was last seen, least
// recently seen first, so that the keys that went silent are at the front.
type silenceSet struct {
	within time.Duration
	max    int
	keys   map[string]*list.Element
	lru    list.List // of *quiet
	// started is the time of the first tick; a rule without group_by is
	// silent from then until its first event.
	started time.Time

	size      atomic.Int64
	evictions atomic.Uint64
}

type quiet struct {
	key    string
	last   time.Time
	fields map[string]string
}

func newSilenceSet(within time.Duration, maxKeys int) *silenceSet {
	return &silenceSet{within: within, max: maxKeys, keys: make(map[string]*list.Element)}
}

// seen records an event of key at t.
func (s *silenceSet) seen(key string, t time.Time, fields map[string]string) {
	if el, ok := s.keys[key]; ok {
		q := el.Value.(*quiet)
		if t.After(q.last) {
			q.last = t
		}
		if fields != nil {
			q.fields = fields
		}
		s.lru.MoveToBack(el)
		return
	}
	if len(s.keys) >= s.max {
		oldest := s.lru.Front()
		delete(s.keys, oldest.Value.(*quiet).key)
		s.lru.Remove(oldest)
		s.evictions.Add(1)
	}
	s.keys[key] = s.lru.PushBack(&quiet{key: key, last: t, fields: fields})
	s.size.Store(int64(len(s.keys)))
}

// silent removes and returns the keys not seen for longer than within at
// now: each silence fires once, and a key that speaks again is tracked
// anew.
func (s *silenceSet) silent(now time.Time) []*quiet {
	var out []*quiet
	for {
		front := s.lru.Front()
		if front == nil {
			break
		}
		q := front.Value.(*quiet)
		if now.Sub(q.last) <= s.within {
			break
		}
		out = append(out, q)
		s.lru.Remove(front)
		delete(s.keys, q.key)
	}
	s.size.Store(int64(len(s.keys)))
	return out
}

// Tick reports, at now, the absent rules whose events (per key) stopped
// for longer than their within. The detector calls it periodically with
// the clock; replay and tests call it with the events' times. It must not
// be called concurrently with Evaluate.
func (e *Engine) Tick(now time.Time, out []Finding) []Finding {
	for _, r := range e.timed {
		s := r.silence
		if s.started.IsZero() {
			s.started = now
			if len(r.groupBy) == 0 {
				if _, ok := s.keys[""]; !ok {
					s.seen("", now, map[string]string{})
				}
			}
		}
		for _, q := range s.silent(now) {
			fields := make(map[string]string, len(q.fields)+2)
			for k, v := range q.fields {
				fields[k] = v
			}
			ev := Event{Source: r.m.source, Time: now,
				Line: fmt.Appendf(nil, "no matching event from source %s since %s", r.m.source, q.last.UTC().Format(time.RFC3339))}
			out = append(out, r.finding(fields, q.key, ev, 0))
		}
	}
	return out
}

// Timed reports whether the engine has rules that fire on the passing of
// time (absent), which need Tick.
func (e *Engine) Timed() bool { return len(e.timed) > 0 }
