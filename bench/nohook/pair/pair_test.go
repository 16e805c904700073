package pair_test

import (
	"testing"

	"example.com/bench/hooks"
	"example.com/bench/internal/loops"
	"example.com/bench/pair"
)

// No main package is linked into this test binary, so no otelgen_register.go
// binds the hooks: built with the overlay, InstrumentedX runs its jump line
// with nil hook variables.

func TestHooksNotBound(t *testing.T) {
	pair.InstrumentedAdd(1, 2)
	pair.InstrumentedAfterAdd(1, 2)
	pair.InstrumentedSum(loops.Xs)
	if hooks.Calls != 0 {
		t.Fatalf("hooks ran %d times in a binary without main", hooks.Calls)
	}
}

func BenchmarkPlainSum(b *testing.B)              { loops.PlainSum(b) }
func BenchmarkPlainNoinlineSum(b *testing.B)      { loops.PlainNoinlineSum(b) }
func BenchmarkInstrumentedSum(b *testing.B)       { loops.InstrumentedSum(b) }
func BenchmarkPlainAdd(b *testing.B)              { loops.PlainAdd(b) }
func BenchmarkPlainNoinlineAdd(b *testing.B)      { loops.PlainNoinlineAdd(b) }
func BenchmarkInstrumentedAdd(b *testing.B)       { loops.InstrumentedAdd(b) }
func BenchmarkPlainAfterAdd(b *testing.B)         { loops.PlainAfterAdd(b) }
func BenchmarkPlainNoinlineAfterAdd(b *testing.B) { loops.PlainNoinlineAfterAdd(b) }
func BenchmarkInstrumentedAfterAdd(b *testing.B)  { loops.InstrumentedAfterAdd(b) }
