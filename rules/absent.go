package rules

import (
	"fmt"
	"time"
)

// silenceSet tracks when each key of an absent rule was last seen, least
// recently seen first, so that the keys that went silent are at the front.
type silenceSet struct {
	within time.Duration
	keys   *keyed[quiet]
	// started is the time of the first tick; a rule without group_by is
	// silent from then until its first event.
	started time.Time
	// recent is the entry seen last (nil after a removal): a rule without
	// group_by sees the same key on every line.
	recent *entry[quiet]
}

type quiet struct {
	key    string
	last   time.Time
	due    time.Time // last plus within: silent after it
	fields map[string]string
}

func newSilenceSet(within time.Duration, maxKeys int) *silenceSet {
	return &silenceSet{within: within, keys: newKeyed[quiet](maxKeys)}
}

// seen records an event of key at t.
func (s *silenceSet) seen(key string, t time.Time, fields map[string]string) {
	e := s.recent
	if e == nil || e.key != key {
		if e = s.keys.get(key); e == nil {
			// Adding may evict the recent entry.
			e = s.keys.add(key)
			e.v = quiet{key: key, last: t, due: t.Add(s.within), fields: fields}
			s.recent = e
			return
		}
		s.recent = e
	}
	if t.After(e.v.last) {
		e.v.last, e.v.due = t, t.Add(s.within)
	}
	if fields != nil {
		e.v.fields = fields
	}
	s.keys.touch(e)
}

// silent removes and returns the keys not seen for longer than within at
// now: each silence fires once, and a key that speaks again is tracked
// anew.
func (s *silenceSet) silent(now time.Time) []quiet {
	var out []quiet
	for {
		front := s.keys.front()
		if front == nil || !now.After(front.v.due) {
			return out
		}
		out = append(out, front.v)
		s.keys.remove(front)
		s.recent = nil
	}
}

// Tick reports, at now, the absent rules whose events (per key) stopped
// for longer than their within. The detector calls it periodically with
// the clock; replay and tests call it with the events' times. It must not
// be called concurrently with Evaluate.
func (e *Engine) Tick(now time.Time, out []Finding) []Finding {
	if e.track != nil {
		e.track.cur = e.track.logs[TickSource]
	}
	for _, r := range e.timed {
		s := r.silence
		if s.started.IsZero() {
			s.started = now
			if len(r.groupBy) == 0 {
				if s.keys.get("") == nil {
					s.seen("", now, map[string]string{})
				}
			}
		}
		for _, q := range s.silent(now) {
			fields := make(map[string]string, len(q.fields)+2)
			for k, v := range q.fields {
				fields[k] = v
			}
			// The finding is timed when the silence began to count
			// (last plus within): a tick (a replay's next line) may come
			// long after.
			ev := Event{Source: r.m.source, Time: q.due,
				Line: fmt.Appendf(nil, "no matching event from source %s since %s", r.m.source, q.last.UTC().Format(time.RFC3339))}
			out = append(out, r.finding(fields, q.key, ev, 0))
		}
	}
	return out
}

// Timed reports whether the engine has rules that fire on the passing of
// time (absent), which need Tick.
func (e *Engine) Timed() bool { return len(e.timed) > 0 }
