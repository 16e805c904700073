// Package hook is what a hook function sees of the instrumented call it runs in.
//
// A rule of kind "hook" binds a before and an after function to a target
// function. otelgen checks their signatures against the target:
//
//	before: func(c *hook.Call, recv R, p1 *P1, ..., pn *Pn)
//	after:  func(c *hook.Call, r1 *R1, ..., rn *Rn)
//
// The receiver is passed by value and omitted for plain functions. Parameters
// and results are passed by pointer, so a hook may replace them. A parameter or
// result whose type mentions a type parameter is passed as an any holding the
// pointer.
//
// c and the pointers are valid until the after hook returns (the before
// hook's, when the rule has no after hook): a before hook may keep them in
// c.Data for the after hook. They point into a record of the call that
// otelgen takes from a pool, and gives back cleared for another call to
// reuse, when the call ends: keep values, not pointers, past that. A pointer
// kept longer never points at freed memory (the record is a heap object, not
// part of a goroutine's stack), but at a cleared record or another call's.
//
// An after hook runs when the function returns or panics. A small function
// whose rules have after hooks only runs, while a hook is bound, as a copy
// of itself named otelgen_<rule>_hooked (one more frame in a stack trace), so
// that it keeps no defer and stays inlinable while none is.
//
// This package imports nothing, because the trampolines in a target package
// (possibly in the standard library) carry a copy of the Call layout.
package hook

// Call is one call of an instrumented function, shared by the before and
// after hooks of one rule.
//
// Its layout is mirrored by the generated otelgen_call type in every target
// package; see templates/hooks.go.tmpl. Change both together.
type Call struct {
	skip    bool
	results []any
	fn      string

	// Data carries state from the before hook to the after hook.
	Data any
}

// Skip makes the instrumented function return at once, without running its
// body, with the given results. Results are matched by position; a missing or
// ill-typed value leaves that result at its zero value. The after hook still
// runs and sees the results. Skip has an effect only in a before hook.
func (c *Call) Skip(results ...any) {
	c.skip = true
	c.results = results
}

// Skipped reports whether a before hook called Skip.
func (c *Call) Skipped() bool { return c.skip }

// Function names the instrumented function, as in "net/http.(*Client).do".
func (c *Call) Function() string { return c.fn }
