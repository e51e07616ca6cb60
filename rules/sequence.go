package rules

import (
	"time"
)

// seqSet holds the attempts of a sequence rule, one per key (the by
// values): which step each has reached, since when, and the fields seen.
// An attempt older than within is forgotten; when the set is full the
// least recently advanced attempt is evicted.
type seqSet struct {
	within time.Duration
	keys   *keyed[attempt]
}

type attempt struct {
	step  int32 // the step the next event must match
	n     int32 // events matched in the current step
	total int32 // events matched in all steps
	first int64 // Unix nanoseconds of the attempt's first event
	// fields are the steps' fields, in the order of Rule.seqFields,
	// packed into one string (packed.go: an attempt is kept per key, up
	// to 100,000, and one allocation beats one per field); a later step's
	// value wins unless it is empty.
	fields packed
}

func newSeqSet(within time.Duration, maxKeys int) *seqSet {
	return &seqSet{within: within, keys: newKeyed[attempt](maxKeys)}
}

// get returns the live attempt of key at t, or nil.
func (s *seqSet) get(key []byte, t time.Time) *entry[attempt] {
	s.expire(t)
	e := s.keys.getBytes(key)
	if e != nil && t.UnixNano()-e.v.first > int64(s.within) {
		s.keys.remove(e)
		return nil
	}
	return e
}

// start begins an attempt for key at t.
func (s *seqSet) start(key string, t time.Time) *entry[attempt] {
	e := s.keys.add(key)
	e.v = attempt{first: t.UnixNano()}
	return e
}

// expire forgets attempts that started more than within before t, from
// the least recently advanced.
func (s *seqSet) expire(t time.Time) {
	now := t.UnixNano()
	for {
		front := s.keys.front()
		if front == nil || now-front.v.first <= int64(s.within) {
			return
		}
		s.keys.remove(front)
	}
}

// evaluateSequence advances the attempt of the event's key when the event
// matches the step that attempt waits for, starts an attempt when it
// matches the first step, and reports a finding when the last step is
// complete. An event may match several steps; the furthest one an attempt
// waits for wins.
func (r *Rule) evaluateSequence(ev Event, out []Finding) []Finding {
	matched := r.stepBuf[:0]
	for i, st := range r.steps {
		if st.m.match(ev, &r.stats) {
			matched = append(matched, i)
		}
	}
	r.stepBuf = matched
	if len(matched) == 0 {
		return out
	}
	r.stats.matches.Add(1)
	if r.onMatch != nil {
		r.onMatch(r.spec.Name, r.steps[matched[0]].m.fieldMap())
	}
	for j := len(matched) - 1; j >= 0; j-- {
		si := matched[j]
		m := r.steps[si].m
		r.keyBuf = r.appendKey(r.keyBuf[:0], m, r.stepKeys[si], ev.Source)
		e := r.seqs.get(r.keyBuf, ev.Time)
		if e == nil {
			if si != 0 {
				continue
			}
			e = r.seqs.start(string(r.keyBuf), ev.Time)
		} else if int(e.v.step) != si {
			continue
		}
		r.seqs.keys.touch(e)
		a := &e.v
		r.valBuf = r.valBuf[:0]
		for _, slot := range r.stepSlots[si] {
			var v []byte
			if slot >= 0 {
				v = m.value(slot)
			}
			r.valBuf = append(r.valBuf, v)
		}
		a.fields, r.packBuf = a.fields.update(r.valBuf, r.packBuf)
		a.n++
		a.total++
		if int(a.n) >= r.steps[a.step].count {
			a.step++
			a.n = 0
		}
		if int(a.step) < len(r.steps) {
			return out
		}
		key := e.key
		r.seqs.keys.remove(e)
		fields := make(map[string]string, len(r.seqFields)+2)
		for i, name := range r.seqFields {
			fields[name] = a.fields.get(i)
		}
		return append(out, r.finding(fields, key, ev, int(a.total)))
	}
	return out
}
