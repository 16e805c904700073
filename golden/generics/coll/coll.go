// Package coll is the code that otelgen instruments.
package coll

// Map applies f to every element of xs.
func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

// Stack is a stack of comparable values.
type Stack[E comparable] struct {
	items []E
}

// Push adds v and returns the new depth.
func (s *Stack[E]) Push(v E) int {
	s.items = append(s.items, v)
	return len(s.items)
}

// Deref returns what p points to. Its one type parameter's constraint starts
// with *: in a type declaration, [P *int] would read as an array length.
func Deref[P *int](p P) int {
	return *p
}
