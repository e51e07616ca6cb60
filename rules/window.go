package rules

import (
	"container/list"
	"sync/atomic"
	"time"
)

// windowSet is an exact sliding window per group key: it keeps the times of
// the last `count` events of each key, and fires when the oldest of them is
// within `within` of the newest (count events in [t-within, t]).
//
// Keys are kept in least-recently-seen order so that expired keys are dropped
// from the front cheaply, and so that the oldest key is evicted when the set
// is full.
type windowSet struct {
	count  int
	within time.Duration
	max    int
	keys   map[string]*list.Element
	lru    list.List // of *keyWindow; front is least recently seen

	size      atomic.Int64
	evictions atomic.Uint64
}

type keyWindow struct {
	key   string
	times []time.Time // ring buffer of the last count event times
	next  int
	n     int
	last  time.Time
}

func newWindowSet(count int, within time.Duration, maxKeys int) *windowSet {
	return &windowSet{count: count, within: within, max: maxKeys, keys: make(map[string]*list.Element)}
}

// observe records an event for key at t and reports how many of the key's
// events lie within the window ending at t, and whether that reaches count.
func (w *windowSet) observe(key string, t time.Time) (int, bool) {
	w.expire(t)
	el, ok := w.keys[key]
	if !ok {
		if len(w.keys) >= w.max {
			oldest := w.lru.Front()
			delete(w.keys, oldest.Value.(*keyWindow).key)
			w.lru.Remove(oldest)
			w.evictions.Add(1)
		}
		el = w.lru.PushBack(&keyWindow{key: key, times: make([]time.Time, w.count)})
		w.keys[key] = el
	} else {
		w.lru.MoveToBack(el)
	}
	kw := el.Value.(*keyWindow)
	kw.times[kw.next] = t
	kw.next = (kw.next + 1) % w.count
	kw.n = min(kw.n+1, w.count)
	if t.After(kw.last) {
		kw.last = t
	}
	w.size.Store(int64(len(w.keys)))

	// Count the stored events inside the window; the ring holds at most
	// count of them, newest last.
	in := 0
	for i := 0; i < kw.n; i++ {
		if d := t.Sub(kw.times[i]); d <= w.within && d >= -w.within {
			in++
		}
	}
	return in, in >= w.count
}

// expire drops keys whose newest event is older than the window ending at t:
// they can never contribute to a firing again.
func (w *windowSet) expire(t time.Time) {
	for {
		front := w.lru.Front()
		if front == nil {
			return
		}
		kw := front.Value.(*keyWindow)
		if t.Sub(kw.last) <= w.within {
			return
		}
		delete(w.keys, kw.key)
		w.lru.Remove(front)
	}
}
