// Package hooks holds the hook functions that otelgen.yaml binds. They use
// every pointer they get, and allocate nothing themselves.
package hooks

import "github.com/otelgen/otelgen/hook"

// Calls counts the hook calls.
var Calls int

// ScaleBefore doubles k, and passes a pointer-shaped value in c.Data.
func ScaleBefore(c *hook.Call, xs *[]int, k *int) {
	Calls++
	*k *= 2
	*xs = (*xs)[1:]
	c.Data = &Calls
}

// ScaleAfter adds one to the result, when the before hook ran.
func ScaleAfter(c *hook.Call, r *int) {
	Calls++
	if c.Data != nil {
		*r++
	}
}

// JoinAfter drops the result's first byte and flips ok.
func JoinAfter(c *hook.Call, s *string, ok *bool) {
	Calls++
	if len(*s) > 0 {
		*s = (*s)[1:]
	}
	*ok = !*ok
}

// ClampBefore widens the upper bound by one.
func ClampBefore(c *hook.Call, x, lo, hi *int) {
	Calls++
	*hi++
}

// TickBefore only counts.
func TickBefore(c *hook.Call) {
	Calls++
}
