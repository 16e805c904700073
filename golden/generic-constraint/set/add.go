package set

import "slices"

// Add inserts v, and returns the size of the set. This file does not import
// cmp.
func (s *Set[T]) Add(v T) int {
	if i, found := slices.BinarySearch(s.items, v); !found {
		s.items = slices.Insert(s.items, i, v)
	}
	return len(s.items)
}
