// Package loops holds the benchmark bodies, shared by the package test of
// pair (no hook bound) and the test of the main package cmd/hooked (hooks
// bound by otelgen's otelgen_register.go).
//
// The loops are classic b.N loops writing to a package variable, not b.Loop:
// the point is to let the compiler inline what it can, as in real callers.
package loops

import (
	"testing"

	"example.com/bench/pair"
)

// Sink keeps results alive.
var Sink int

// Xs is the input of the Sum benchmarks.
var Xs = func() []int {
	xs := make([]int, 64)
	for i := range xs {
		xs[i] = i
	}
	return xs
}()

// PlainSum times pair.PlainSum.
func PlainSum(b *testing.B) {
	s := 0
	for i := 0; i < b.N; i++ {
		s += pair.PlainSum(Xs)
	}
	Sink = s
}

// InstrumentedSum times pair.InstrumentedSum.
func InstrumentedSum(b *testing.B) {
	s := 0
	for i := 0; i < b.N; i++ {
		s += pair.InstrumentedSum(Xs)
	}
	Sink = s
}

// PlainAdd times pair.PlainAdd.
func PlainAdd(b *testing.B) {
	s := 0
	for i := 0; i < b.N; i++ {
		s = pair.PlainAdd(s, i)
	}
	Sink = s
}

// InstrumentedAdd times pair.InstrumentedAdd.
func InstrumentedAdd(b *testing.B) {
	s := 0
	for i := 0; i < b.N; i++ {
		s = pair.InstrumentedAdd(s, i)
	}
	Sink = s
}

// PlainNoinlineSum times pair.PlainNoinlineSum.
func PlainNoinlineSum(b *testing.B) {
	s := 0
	for i := 0; i < b.N; i++ {
		s += pair.PlainNoinlineSum(Xs)
	}
	Sink = s
}

// PlainNoinlineAdd times pair.PlainNoinlineAdd.
func PlainNoinlineAdd(b *testing.B) {
	s := 0
	for i := 0; i < b.N; i++ {
		s = pair.PlainNoinlineAdd(s, i)
	}
	Sink = s
}

// PlainAfterAdd times pair.PlainAfterAdd.
func PlainAfterAdd(b *testing.B) {
	s := 0
	for i := 0; i < b.N; i++ {
		s = pair.PlainAfterAdd(s, i)
	}
	Sink = s
}

// InstrumentedAfterAdd times pair.InstrumentedAfterAdd.
func InstrumentedAfterAdd(b *testing.B) {
	s := 0
	for i := 0; i < b.N; i++ {
		s = pair.InstrumentedAfterAdd(s, i)
	}
	Sink = s
}

// PlainNoinlineAfterAdd times pair.PlainNoinlineAfterAdd.
func PlainNoinlineAfterAdd(b *testing.B) {
	s := 0
	for i := 0; i < b.N; i++ {
		s = pair.PlainNoinlineAfterAdd(s, i)
	}
	Sink = s
}
