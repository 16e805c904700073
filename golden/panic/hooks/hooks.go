// Package hooks holds the hook functions that otelgen.yaml binds.
package hooks

import (
	"fmt"

	"github.com/otelgen/otelgen/hook"
)

// DoubleBefore changes the argument, asks to skip the body, then panics.
func DoubleBefore(c *hook.Call, x *int) {
	fmt.Println("before: panicking")
	*x = 100
	c.Skip(-1)
	panic("before hook failed")
}

// DoubleAfter changes the result, then panics.
func DoubleAfter(c *hook.Call, r *int) {
	fmt.Println("after: panicking")
	*r = 0
	panic("after hook failed")
}

// ExplodeAfter runs while Explode panics; it cannot stop the panic.
func ExplodeAfter(c *hook.Call, r *int) {
	fmt.Println("after explode: result", *r)
	*r = 5
}
