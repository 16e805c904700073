// Package tiny is the code that otelgen instruments.
package tiny

import "fmt"

// Counter counts nothing; Get says so.
type Counter int

// Get returns the counter. Its receiver has no name.
func (Counter) Get() int { return 42 }

// Sum adds its arguments.
func Sum(xs ...int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

// First returns the first element of xs, or T's zero value.
func First[T any](xs []T) (v T) {
	if len(xs) > 0 {
		v = xs[0]
	}
	return
}

// Note prints s.
func Note(s string) {
	fmt.Println("note", s)
}
