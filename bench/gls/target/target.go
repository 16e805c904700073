// Package target holds the function that the rule in ../otelgen.yaml hooks.
// The rule exists only to need goroutine-local storage; the benchmarks never
// call Touch.
package target

// Touch does nothing.
func Touch() {}
