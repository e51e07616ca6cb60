package rules

import (
	"container/list"
	"sync/atomic"
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
	max      int
	keys     map[string]*list.Element
	lru      list.List // of *keyWindow; front is least recently seen

	size      atomic.Int64
	evictions atomic.Uint64
}

type keyWindow struct {
	key string
	// times is a ring of the last count event times (next is the slot to
	// write, n how many are set). For distinct counting, values[i] is the
	// value seen at times[i], each value once.
	times  []time.Time
	values []string
	next   int
	n      int
	last   time.Time
	fired  time.Time // when the key last fired; zero if never
}

func newWindowSet(count int, within, cooldown time.Duration, maxKeys int) *windowSet {
	return &windowSet{count: count, within: within, cooldown: cooldown, max: maxKeys, keys: make(map[string]*list.Element)}
}

// observe records an event for key at t, with value the field counted
// distinctly ("" when not counting distinct values, which is then unused).
// It reports how many events (or distinct values) lie within the window
// ending at t, and whether the key fires: that number reaches count and the
// key is not cooling down from an earlier firing.
func (w *windowSet) observe(key, value string, t time.Time, distinct bool) (int, bool) {
	w.expire(t)
	el, ok := w.keys[key]
	if !ok {
		if len(w.keys) >= w.max {
			oldest := w.lru.Front()
			delete(w.keys, oldest.Value.(*keyWindow).key)
			w.lru.Remove(oldest)
			w.evictions.Add(1)
		}
		kw := &keyWindow{key: key, times: make([]time.Time, w.count)}
		if distinct {
			kw.values = make([]string, w.count)
		}
		el = w.lru.PushBack(kw)
		w.keys[key] = el
	} else {
		w.lru.MoveToBack(el)
	}
	kw := el.Value.(*keyWindow)
	if distinct {
		kw.observeValue(value, t)
	} else {
		kw.times[kw.next] = t
		kw.next = (kw.next + 1) % w.count
		kw.n = min(kw.n+1, w.count)
	}
	if t.After(kw.last) {
		kw.last = t
	}
	w.size.Store(int64(len(w.keys)))

	in := 0
	for i := 0; i < kw.n; i++ {
		if d := t.Sub(kw.times[i]); d <= w.within && d >= -w.within {
			in++
		}
	}
	if in < w.count {
		return in, false
	}
	if !kw.fired.IsZero() {
		if d := t.Sub(kw.fired); d < w.cooldown && d > -w.cooldown {
			return in, false
		}
	}
	kw.fired = t
	return in, true
}

// observeValue records that value occurred at t: its time is updated if it
// is already kept; otherwise it takes a free slot or the slot of the value
// seen longest ago. The kept values are then the count most recently seen,
// which are within the window whenever any count distinct values are.
func (kw *keyWindow) observeValue(value string, t time.Time) {
	oldest := 0
	for i := 0; i < kw.n; i++ {
		if kw.values[i] == value {
			if t.After(kw.times[i]) {
				kw.times[i] = t
			}
			return
		}
		if kw.times[i].Before(kw.times[oldest]) {
			oldest = i
		}
	}
	if kw.n < len(kw.times) {
		oldest = kw.n
		kw.n++
	} else if !t.After(kw.times[oldest]) {
		return // older than every kept value: it cannot change the outcome
	}
	kw.values[oldest], kw.times[oldest] = value, t
}

// expire drops keys whose newest event is older than the window ending at t
// and that are not cooling down: they can never contribute to a firing
// again.
func (w *windowSet) expire(t time.Time) {
	for {
		front := w.lru.Front()
		if front == nil {
			return
		}
		kw := front.Value.(*keyWindow)
		if t.Sub(kw.last) <= w.within || (!kw.fired.IsZero() && t.Sub(kw.fired) < w.cooldown) {
			return
		}
		delete(w.keys, kw.key)
		w.lru.Remove(front)
	}
}
