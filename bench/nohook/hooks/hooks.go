// Package hooks holds the before and after hooks of the benchmark rules. They
// do the least a hook can do, count, so that a benchmark with hooks bound
// measures otelgen's trampolines rather than the hooks.
package hooks

import "github.com/otelgen/otelgen/hook"

// Calls counts hook calls.
var Calls int

// SumBefore is the before hook of pair.InstrumentedSum.
func SumBefore(c *hook.Call, xs *[]int) { Calls++ }

// SumAfter is the after hook of pair.InstrumentedSum.
func SumAfter(c *hook.Call, r *int) { Calls++ }

// AddBefore is the before hook of pair.InstrumentedAdd.
func AddBefore(c *hook.Call, a, b *int) { Calls++ }

// AddAfter is the after hook of pair.InstrumentedAdd.
func AddAfter(c *hook.Call, r *int) { Calls++ }

// AfterAddAfter is the after hook of pair.InstrumentedAfterAdd, which has no
// before hook.
func AfterAddAfter(c *hook.Call, r *int) { Calls++ }
