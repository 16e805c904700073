package main

import (
	"testing"

	"example.com/bench/hooks"
	"example.com/bench/internal/loops"
	"example.com/bench/pair"
)

// This test binary links package main, and with it the otelgen_register.go
// that otelgen adds to it: built with the overlay, the hooks of
// pair.InstrumentedX are bound.

// TestHooksBound fails when the overlay was not used or the hooks are not
// bound, so that the benchmarks below cannot silently time the wrong thing.
func TestHooksBound(t *testing.T) {
	before := hooks.Calls
	pair.InstrumentedAdd(1, 2)
	if got := hooks.Calls - before; got != 2 {
		t.Fatalf("InstrumentedAdd ran %d hooks, want 2 (built without the overlay?)", got)
	}
	before = hooks.Calls
	pair.InstrumentedAfterAdd(1, 2)
	if got := hooks.Calls - before; got != 1 {
		t.Fatalf("InstrumentedAfterAdd ran %d hooks, want 1", got)
	}
}

func BenchmarkHookedPlainSum(b *testing.B)              { loops.PlainSum(b) }
func BenchmarkHookedPlainNoinlineSum(b *testing.B)      { loops.PlainNoinlineSum(b) }
func BenchmarkHookedInstrumentedSum(b *testing.B)       { loops.InstrumentedSum(b) }
func BenchmarkHookedPlainAdd(b *testing.B)              { loops.PlainAdd(b) }
func BenchmarkHookedPlainNoinlineAdd(b *testing.B)      { loops.PlainNoinlineAdd(b) }
func BenchmarkHookedInstrumentedAdd(b *testing.B)       { loops.InstrumentedAdd(b) }
func BenchmarkHookedPlainAfterAdd(b *testing.B)         { loops.PlainAfterAdd(b) }
func BenchmarkHookedPlainNoinlineAfterAdd(b *testing.B) { loops.PlainNoinlineAfterAdd(b) }
func BenchmarkHookedInstrumentedAfterAdd(b *testing.B)  { loops.InstrumentedAfterAdd(b) }
