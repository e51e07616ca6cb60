package rules

import (
	"fmt"
	"testing"
)

func TestKeyedLRU(t *testing.T) {
	k := newKeyed[int](3)
	for i, key := range []string{"a", "b", "c"} {
		k.add(key).v = i
	}
	k.touch(k.get("a")) // order: b c a
	k.add("d")          // evicts b
	var order []string
	for e := k.front(); e != nil; e = e.next {
		order = append(order, e.key)
	}
	if fmt.Sprint(order) != "[c a d]" || k.get("b") != nil || k.evictions.Load() != 1 || k.size.Load() != 3 {
		t.Errorf("order %v, b %v, evictions %d, size %d", order, k.get("b"), k.evictions.Load(), k.size.Load())
	}
	k.remove(k.get("a"))
	k.remove(k.get("d"))
	k.remove(k.get("c"))
	if k.front() != nil || k.len() != 0 || k.tail != nil {
		t.Error("not empty after removing everything")
	}
}
