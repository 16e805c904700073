// Package pair holds functions in identical pairs: PlainX is left alone and
// InstrumentedX carries an otelgen hook rule (see ../otelgen.yaml). Built with
// the overlay, the difference between the two is what the injected jump line
// costs.
package pair

// PlainSum returns the sum of xs.
func PlainSum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

// InstrumentedSum returns the sum of xs.
func InstrumentedSum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

// PlainNoinlineSum returns the sum of xs. It is a diagnostic, not part of
// a pair: the Plain function with inlining forbidden, as the defer in the
// jump line forbids it for the Instrumented one.
//
//go:noinline
func PlainNoinlineSum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

// PlainAdd returns a+b.
func PlainAdd(a, b int) int {
	return a + b
}

// InstrumentedAdd returns a+b.
func InstrumentedAdd(a, b int) int {
	return a + b
}

// PlainNoinlineAdd returns a+b: PlainAdd with inlining forbidden.
//
//go:noinline
func PlainNoinlineAdd(a, b int) int {
	return a + b
}

// PlainAfterAdd returns a+b. Its pair has only an after hook.
func PlainAfterAdd(a, b int) int {
	return a + b
}

// InstrumentedAfterAdd returns a+b.
func InstrumentedAfterAdd(a, b int) int {
	return a + b
}

// PlainNoinlineAfterAdd returns a+b: PlainAfterAdd with inlining forbidden.
//
//go:noinline
func PlainNoinlineAfterAdd(a, b int) int {
	return a + b
}
