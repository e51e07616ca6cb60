package rules

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// KeyState is the state one group key of a rule holds: a threshold's
// window (event times, distinct values, when it last fired), a sequence's
// attempt, or when an absent rule last saw the key. Changes exports it and
// Import restores it, so that the state can be kept with the positions of
// the lines that produced it. Metric series are not kept: their sources
// are scraped again.
type KeyState struct {
	// Rule is the rule's StateKey: the state means nothing to a rule
	// whose detection changed.
	Rule string
	Key  string
	// Used orders the keys of all rules from least to most recently used;
	// Import takes them in that order, so eviction at the key cap drops the
	// same keys as it would have in memory.
	Used int64
	// State is the encoded state; nil when the key holds none any more
	// (expired, evicted, a sequence completed).
	State []byte
}

// TickSource is the source under which Changes reports what Tick changed.
const TickSource = ""

// tracker records, while changes are tracked, which keys of which rules
// each source's events changed.
type tracker struct {
	cur  *changeLog            // the log of the event or tick in hand
	logs map[string]*changeLog // by source; TickSource for Tick
}

type changeLog struct {
	refs []stateRef
}

// stateRef is one change: the rule's index and the key. The key is the
// entry's own string, so recording it allocates nothing but the slice's
// growth.
type stateRef struct {
	rule int32
	key  string
}

// TrackChanges makes the engine record which keys each event changes, for
// Changes. It must be called before the first Evaluate; replay and tests
// that do not persist state leave it off. Called again (on an engine whose
// state another adopted and gave back), it points the state at this
// engine's records again.
func (e *Engine) TrackChanges() {
	if e.track != nil {
		e.wire()
		return
	}
	e.track = &tracker{logs: map[string]*changeLog{TickSource: {}}}
	for src, sr := range e.bySource {
		sr.log = &changeLog{}
		e.track.logs[src] = sr.log
	}
	e.wire()
}

// wire points the per-key state of every rule at the tracker.
func (e *Engine) wire() {
	for i, r := range e.rules {
		owner := int32(i)
		switch {
		case r.windows != nil:
			r.windows.keys.track, r.windows.keys.owner = e.track, owner
		case r.seqs != nil:
			r.seqs.keys.track, r.seqs.keys.owner = e.track, owner
		case r.silence != nil:
			r.silence.keys.track, r.silence.keys.owner = e.track, owner
		}
	}
}

// StateKey identifies what the rule's state depends on (reload.go).
func (r *Rule) StateKey() string { return r.stateKey }

// StateKeys returns the StateKey of every rule whose state Changes
// reports.
func (e *Engine) StateKeys() []string {
	var out []string
	for _, r := range e.rules {
		if r.windows != nil || r.seqs != nil || r.silence != nil {
			out = append(out, r.stateKey)
		}
	}
	return out
}

// Changes appends to out the state, as it is now, of every key that the
// events of source (or Tick, for TickSource) changed since the last call
// for that source, least recently used first, and forgets those changes.
// Committed with the position just past the source's last event, it is
// the state that reading up to that position gave. It must not be called
// concurrently with Evaluate or Tick, and returns nothing unless
// TrackChanges was called.
func (e *Engine) Changes(source string, out []KeyState) []KeyState {
	if e.track == nil {
		return out
	}
	log := e.track.logs[source]
	if log == nil || len(log.refs) == 0 {
		return out
	}
	// The last change of each key orders them.
	last := make(map[stateRef]int, len(log.refs))
	for i, ref := range log.refs {
		last[ref] = i
	}
	refs := slices.SortedFunc(maps.Keys(last), func(a, b stateRef) int { return cmp.Compare(last[a], last[b]) })
	clear(log.refs)
	log.refs = log.refs[:0]
	for _, ref := range refs {
		e.used++
		out = append(out, KeyState{Rule: e.rules[ref.rule].stateKey, Key: ref.key, Used: e.used, State: e.rules[ref.rule].encodeState(ref.key)})
	}
	return out
}

// State kinds, the first byte of an encoded state.
const (
	stateWindow   = 'w'
	stateDistinct = 'd'
	stateAttempt  = 's'
	stateSilence  = 'q'
)

// encodeState returns the encoded state of key, nil if it has none.
func (r *Rule) encodeState(key string) []byte {
	switch {
	case r.windows != nil:
		if e := r.windows.keys.get(key); e != nil {
			return r.windows.encode(&e.v, r.distinct != "")
		}
	case r.seqs != nil:
		if e := r.seqs.keys.get(key); e != nil {
			a := &e.v
			b := []byte{stateAttempt}
			for _, v := range []int64{int64(a.step), int64(a.n), int64(a.total), a.first} {
				b = binary.AppendVarint(b, v)
			}
			return append(b, a.fields...)
		}
	case r.silence != nil:
		if e := r.silence.keys.get(key); e != nil {
			q := &e.v
			b := binary.AppendVarint([]byte{stateSilence}, q.last.UnixNano())
			for _, k := range slices.Sorted(maps.Keys(q.fields)) {
				b = appendString(appendString(b, k), q.fields[k])
			}
			return b
		}
	}
	return nil
}

// encode encodes a key's window: its event times oldest first (with the
// distinct values' hashes and the seed they were made with), when it was
// last seen and when it last fired.
func (w *windowSet) encode(kw *keyWindow, distinct bool) []byte {
	idx := kw.oldestFirst()
	var b []byte
	if distinct {
		b = append([]byte{stateDistinct}, w.seed[:]...)
	} else {
		b = []byte{stateWindow}
	}
	b = binary.AppendVarint(b, kw.last)
	b = binary.AppendVarint(b, kw.fired)
	b = binary.AppendUvarint(b, uint64(len(idx)))
	for _, i := range idx {
		b = binary.AppendVarint(b, kw.times[i])
		if distinct {
			b = binary.LittleEndian.AppendUint64(b, kw.values[i])
		}
	}
	return b
}

// oldestFirst returns the indexes of the kept events, oldest first.
func (kw *keyWindow) oldestFirst() []int {
	idx := make([]int, kw.n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(kw.times[a], kw.times[b]) })
	return idx
}

// load sets the window to the newest count of times (oldest first, with
// their values when distinct).
func (kw *keyWindow) load(times []int64, values []uint64, count int, distinct bool) {
	if len(times) > count {
		times = times[len(times)-count:]
		if distinct {
			values = values[len(values)-count:]
		}
	}
	kw.times = make([]int64, min(count, max(2, len(times))))
	copy(kw.times, times)
	if distinct {
		kw.values = make([]uint64, len(kw.times))
		copy(kw.values, values)
	}
	kw.n = int32(len(times))
	kw.next = int32(len(times) % count)
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// errState is a stored state that does not decode.
var errState = errors.New("malformed state")

// decoder reads an encoded state; the first error sticks.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errState
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errState
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) bytes(n uint64) []byte {
	if uint64(len(d.b)) < n {
		d.err = errState
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

// Import restores keys exported by Changes, taken in the order given (least
// recently used first; the last state of a key wins). Keys of rules the
// engine does not have (their detection changed) are skipped, and so are
// states that do not decode, which are counted in the error. The
// per-rule key cap holds as in memory: importing past it evicts the least
// recently used keys. Event times are kept as they were, so windows whose
// events are older than within count nothing when the next event comes.
// It must be called before the first Evaluate.
func (e *Engine) Import(states []KeyState) (int, error) {
	byKey := make(map[string]*Rule, len(e.rules))
	for _, r := range e.rules {
		byKey[r.stateKey] = r
	}
	var cur *changeLog
	if e.track != nil {
		cur, e.track.cur = e.track.cur, nil // importing changes nothing to store
		defer func() { e.track.cur = cur }()
	}
	n, bad := 0, 0
	for _, st := range states {
		e.used = max(e.used, st.Used)
		r := byKey[st.Rule]
		if r == nil || st.State == nil {
			continue
		}
		if err := r.importState(st.Key, st.State); err != nil {
			bad++
			continue
		}
		n++
	}
	if bad > 0 {
		return n, fmt.Errorf("%d stored rule states do not decode and were skipped", bad)
	}
	return n, nil
}

func (r *Rule) importState(key string, b []byte) error {
	if len(b) == 0 {
		return errState
	}
	d := &decoder{b: b[1:]}
	switch kind := b[0]; {
	case r.windows != nil && (kind == stateWindow && r.distinct == "" || kind == stateDistinct && r.distinct != ""):
		w := r.windows
		distinct := kind == stateDistinct
		if distinct {
			seed := d.bytes(seedBytes)
			if d.err != nil {
				return d.err
			}
			if w.keys.len() == 0 {
				copy(w.seed[:], seed) // the hashes were made with it
			} else if string(seed) != string(w.seed[:]) {
				return errState
			}
		}
		last, fired := d.varint(), d.varint()
		n := d.uvarint()
		if d.err != nil || n > uint64(len(d.b)) {
			return errState
		}
		times := make([]int64, n)
		var values []uint64
		if distinct {
			values = make([]uint64, n)
		}
		for i := range times {
			times[i] = d.varint()
			if distinct {
				if v := d.bytes(8); v != nil {
					values[i] = binary.LittleEndian.Uint64(v)
				}
			}
		}
		if d.err != nil || len(d.b) != 0 || !slices.IsSorted(times) {
			return errState
		}
		e := w.entryFor(key)
		e.v = keyWindow{last: last, fired: fired}
		e.v.load(times, values, w.count, distinct)
	case r.seqs != nil && kind == stateAttempt:
		a := attempt{step: int32(d.varint()), n: int32(d.varint()), total: int32(d.varint()), first: d.varint()}
		if d.err != nil || a.step < 0 || int(a.step) >= len(r.steps) || a.n < 0 || a.total < 0 {
			return errState
		}
		a.fields = packed(d.b)
		e := r.seqs.keys.get(key)
		if e == nil {
			e = r.seqs.keys.add(key)
		} else {
			r.seqs.keys.touch(e)
		}
		e.v = a
	case r.silence != nil && kind == stateSilence:
		last := time.Unix(0, d.varint())
		fields := map[string]string{}
		for d.err == nil && len(d.b) > 0 {
			k := d.bytes(d.uvarint())
			v := d.bytes(d.uvarint())
			fields[string(k)] = string(v)
		}
		if d.err != nil {
			return d.err
		}
		s := r.silence
		e := s.keys.get(key)
		if e == nil {
			e = s.keys.add(key)
		} else {
			s.keys.touch(e)
		}
		e.v = quiet{key: key, last: last, due: last.Add(s.within), fields: fields}
		s.recent = nil
	default:
		return errState
	}
	return nil
}

// entryFor returns the entry of key, added if missing, as the most
// recently used.
func (w *windowSet) entryFor(key string) *entry[keyWindow] {
	e := w.keys.get(key)
	if e == nil {
		return w.keys.add(key)
	}
	w.keys.touch(e)
	return e
}
