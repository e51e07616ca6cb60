package rules

import "sync/atomic"

// keyed holds per-key state of a rule (windows, sequence attempts,
// silences, series) in least-recently-used order, up to a cap: when full,
// the least recently used key is evicted and counted. Each key costs one
// allocation: the entry holds the state inline and is its own list node.
type keyed[T any] struct {
	max        int
	m          map[string]*entry[T]
	head, tail *entry[T] // head is the least recently used

	size      atomic.Int64
	evictions atomic.Uint64

	// track, when set, records each key added, touched or removed as a
	// change of rule owner (persist.go).
	track *tracker
	owner int32
}

type entry[T any] struct {
	prev, next *entry[T]
	key        string
	v          T
}

func newKeyed[T any](max int) *keyed[T] {
	return &keyed[T]{max: max, m: make(map[string]*entry[T])}
}

// get returns the entry of key, or nil. It does not change the order.
func (k *keyed[T]) get(key string) *entry[T] { return k.m[key] }

// getBytes is get for a key held in bytes, without converting it.
func (k *keyed[T]) getBytes(key []byte) *entry[T] { return k.m[string(key)] }

// add inserts key as the most recently used, evicting the least recently
// used key when full. key must not be present.
func (k *keyed[T]) add(key string) *entry[T] {
	if len(k.m) >= k.max && k.head != nil {
		k.remove(k.head)
		k.evictions.Add(1)
	}
	e := &entry[T]{key: key}
	k.mark(key)
	k.m[key] = e
	k.pushBack(e)
	k.size.Store(int64(len(k.m)))
	return e
}

// touch makes e the most recently used.
func (k *keyed[T]) touch(e *entry[T]) {
	k.mark(e.key)
	if k.tail == e {
		return
	}
	k.unlink(e)
	k.pushBack(e)
}

// remove deletes e.
func (k *keyed[T]) remove(e *entry[T]) {
	k.mark(e.key)
	k.unlink(e)
	delete(k.m, e.key)
	k.size.Store(int64(len(k.m)))
}

// front returns the least recently used entry, or nil.
func (k *keyed[T]) front() *entry[T] { return k.head }

func (k *keyed[T]) len() int { return len(k.m) }

func (k *keyed[T]) pushBack(e *entry[T]) {
	e.prev, e.next = k.tail, nil
	if k.tail != nil {
		k.tail.next = e
	} else {
		k.head = e
	}
	k.tail = e
}

func (k *keyed[T]) unlink(e *entry[T]) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		k.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		k.tail = e.prev
	}
	e.prev, e.next = nil, nil
}

// mark records that key's state changes, when changes are tracked.
func (k *keyed[T]) mark(key string) {
	if t := k.track; t != nil && t.cur != nil {
		t.cur.refs = append(t.cur.refs, stateRef{rule: k.owner, key: key})
	}
}
