// Package set is the code that otelgen instruments.
package set

import "cmp"

// Set is a sorted set.
type Set[T cmp.Ordered] struct {
	items []T
}
