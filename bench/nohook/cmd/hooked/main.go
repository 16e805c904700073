// Command hooked is a main package that uses package pair, so that otelgen
// adds otelgen_register.go to it and the hooks of pair.InstrumentedX are bound.
// Its test (go test -bench . ./cmd/hooked) times the pairs with hooks bound;
// run as a program, it prints the same figures through testing.Benchmark.
package main

import (
	"fmt"
	"testing"

	"example.com/bench/hooks"
	"example.com/bench/internal/loops"
)

func main() {
	for _, bm := range []struct {
		name string
		f    func(*testing.B)
	}{
		{"HookedPlainSum", loops.PlainSum},
		{"HookedPlainNoinlineSum", loops.PlainNoinlineSum},
		{"HookedInstrumentedSum", loops.InstrumentedSum},
		{"HookedPlainAdd", loops.PlainAdd},
		{"HookedPlainNoinlineAdd", loops.PlainNoinlineAdd},
		{"HookedInstrumentedAdd", loops.InstrumentedAdd},
		{"HookedPlainAfterAdd", loops.PlainAfterAdd},
		{"HookedPlainNoinlineAfterAdd", loops.PlainNoinlineAfterAdd},
		{"HookedInstrumentedAfterAdd", loops.InstrumentedAfterAdd},
	} {
		r := testing.Benchmark(bm.f)
		fmt.Printf("Benchmark%s\t%d\t%.2f ns/op\n", bm.name, r.N, float64(r.T.Nanoseconds())/float64(r.N))
	}
	fmt.Println("hook calls:", hooks.Calls > 0)
}
