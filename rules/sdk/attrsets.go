package sdk

import (
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
)

// AttrSets remembers attribute sets by a comparable key made of the values
// they hold, so that a hook that records a metric with the same attributes
// request after request (one method, route and status) makes each set
// once: attribute.NewSet copies, sorts and hashes the attributes, which
// costs more than looking the key up. At most max sets are kept; past
// that, a new key is not kept and its set is made at each call, so that a
// key made of what a client controls (a Host header) cannot grow it
// without bound. Safe for concurrent use: a lookup is an atomic load and a
// map read; adding copies the map.
type AttrSets[K comparable] struct {
	max int
	m   atomic.Pointer[map[K]attribute.Set]
	mu  sync.Mutex // serialises adding
}

// NewAttrSets returns an empty AttrSets that keeps at most max sets.
func NewAttrSets[K comparable](max int) *AttrSets[K] {
	return &AttrSets[K]{max: max}
}

// Lookup returns the set kept for k, if there is one.
func (c *AttrSets[K]) Lookup(k K) (attribute.Set, bool) {
	if m := c.m.Load(); m != nil {
		s, ok := (*m)[k]
		return s, ok
	}
	return attribute.Set{}, false
}

// Add makes the set of kvs, keeps it for k while there is room, and returns
// it. kvs must be what k stands for: a later Lookup(k) returns this set.
func (c *AttrSets[K]) Add(k K, kvs []attribute.KeyValue) attribute.Set {
	s := attribute.NewSet(kvs...)
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	if old != nil {
		if _, ok := (*old)[k]; ok || len(*old) >= c.max {
			return s
		}
	}
	m := make(map[K]attribute.Set, 1+lenOf(old))
	if old != nil {
		for ok, os := range *old {
			m[ok] = os
		}
	}
	m[k] = s
	c.m.Store(&m)
	return s
}

func lenOf[K comparable](m *map[K]attribute.Set) int {
	if m == nil {
		return 0
	}
	return len(*m)
}
