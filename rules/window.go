package rules

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"time"
)

// windowSet is an exact sliding window per group key, by event time. It
// keeps, per key, the times of the last `count` events (or, when counting
// distinct values, the last time each of the `count` most recently seen
// values occurred), and fires when all of them lie within `within` of the
// newest event: count events (or count distinct values) in [t-within, t].
// A key that fired stays silent for `cooldown`.
//
// Keys are kept in least-recently-seen order so that expired keys are dropped
// from the front cheaply, and so that the oldest key is evicted when the set
// is full.
type windowSet struct {
	count    int
	within   time.Duration
	cooldown time.Duration
	keys     *keyed[keyWindow]
	// seed keys the hash of distinct values: secret, so that an attacker
	// cannot pick values whose hashes collide, and stored with the state
	// (persist.go), so that hashes kept across a restart still compare.
	seed [seedBytes]byte
	buf  []byte // scratch: seed and value
}

const seedBytes = 16

type keyWindow struct {
	// times is a ring of the last count event times (next is the slot to
	// write, n how many are set). For distinct counting, values[i] is the
	// value seen at times[i], each value once.
	// Times are Unix nanoseconds: a third of time.Time's size, for the
	// 100,000 keys a rule may hold.
	times []int64
	// values holds hashes of the distinct values (equality is all that
	// counting needs; 8 bytes each instead of the strings).
	values []uint64
	next   int32
	n      int32
	last   int64
	fired  int64 // when the key last fired; 0 if never
}

func newWindowSet(count int, within, cooldown time.Duration, maxKeys int) *windowSet {
	w := &windowSet{count: count, within: within, cooldown: cooldown, keys: newKeyed[keyWindow](maxKeys)}
	rand.Read(w.seed[:])
	return w
}

// hash returns the keyed hash of a distinct value: the first 8 bytes of
// SHA-256 over the seed and the value.
func (w *windowSet) hash(value []byte) uint64 {
	w.buf = append(append(w.buf[:0], w.seed[:]...), value...)
	sum := sha256.Sum256(w.buf)
	return binary.LittleEndian.Uint64(sum[:8])
}

// observe records an event for key at t, with value the field counted
// distinctly (unused when not counting distinct values). It reports how
// many events (or distinct values) lie within the window ending at t,
// whether the key fires (that number reaches count and the key is not
// cooling down from an earlier firing), and the key as a string.
func (w *windowSet) observe(key, value []byte, t time.Time, distinct bool) (int, bool, string) {
	w.expire(t)
	e := w.keys.getBytes(key)
	if e == nil {
		e = w.keys.add(string(key))
	} else {
		w.keys.touch(e)
	}
	kw := &e.v
	now := t.UnixNano()
	if distinct {
		kw.observeValue(w.hash(value), now, w.count)
	} else {
		kw.room(w.count, false)
		kw.times[kw.next] = now
		kw.next = (kw.next + 1) % int32(w.count)
		kw.n = min(kw.n+1, int32(w.count))
	}
	kw.last = max(kw.last, now)

	within := int64(w.within)
	in := 0
	for i := int32(0); i < kw.n; i++ {
		if d := now - kw.times[i]; d <= within && d >= -within {
			in++
		}
	}
	if in < w.count {
		return in, false, e.key
	}
	if kw.fired != 0 {
		if d := now - kw.fired; d < int64(w.cooldown) && d > -int64(w.cooldown) {
			return in, false, e.key
		}
	}
	kw.fired = now
	return in, true, e.key
}

// observeValue records that value occurred at t: its time is updated if it
// is already kept; otherwise it takes a free slot or the slot of the value
// seen longest ago. The kept values are then the count most recently seen,
// which are within the window whenever any count distinct values are.
func (kw *keyWindow) observeValue(value uint64, t int64, count int) {
	oldest := int32(0)
	for i := int32(0); i < kw.n; i++ {
		if kw.values[i] == value {
			kw.times[i] = max(kw.times[i], t)
			return
		}
		if kw.times[i] < kw.times[oldest] {
			oldest = i
		}
	}
	if int(kw.n) < count {
		kw.room(count, true)
		oldest = kw.n
		kw.n++
	} else if t <= kw.times[oldest] {
		return // older than every kept value: it cannot change the outcome
	}
	kw.values[oldest], kw.times[oldest] = value, t
}

// room makes a free slot for one more event (and value) when fewer than
// count are kept. Slots grow as needed: most keys (one address failing
// once or twice) never need all count.
func (kw *keyWindow) room(count int, distinct bool) {
	if int(kw.n) < len(kw.times) || len(kw.times) >= count {
		return
	}
	size := min(count, max(2, 2*len(kw.times)))
	kw.times = append(make([]int64, 0, size), kw.times...)[:size]
	if distinct {
		kw.values = append(make([]uint64, 0, size), kw.values...)[:size]
	}
}

// expire drops keys whose newest event is older than the window ending at t
// and that are not cooling down: they can never contribute to a firing
// again.
func (w *windowSet) expire(t time.Time) {
	now := t.UnixNano()
	for {
		front := w.keys.front()
		if front == nil {
			return
		}
		kw := &front.v
		if now-kw.last <= int64(w.within) || (kw.fired != 0 && now-kw.fired < int64(w.cooldown)) {
			return
		}
		w.keys.remove(front)
	}
}

// retuned returns a copy of w's keys and their event times under a new
// count, within and cooldown, so that a reload changing a threshold keeps
// the events already seen: each key keeps its newest min(n, count) times
// (or distinct values), in the same least-recently-seen order, with the
// evictions counted so far. w is left as it was.
func (w *windowSet) retuned(count int, within, cooldown time.Duration, maxKeys int, distinct bool) *windowSet {
	n := newWindowSet(count, within, cooldown, maxKeys)
	n.seed = w.seed // the distinct values are hashed with it
	n.keys.evictions.Store(w.keys.evictions.Load())
	for e := w.keys.front(); e != nil; e = e.next {
		ne := n.keys.add(e.key)
		old := &e.v
		kw := &ne.v
		kw.last, kw.fired = old.last, old.fired
		idx := old.oldestFirst()
		times := make([]int64, len(idx))
		var values []uint64
		if distinct {
			values = make([]uint64, len(idx))
		}
		for j, i := range idx {
			times[j] = old.times[i]
			if distinct {
				values[j] = old.values[i]
			}
		}
		kw.load(times, values, count, distinct)
	}
	return n
}
