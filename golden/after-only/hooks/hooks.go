// Package hooks holds the hook functions that otelgen.yaml binds.
package hooks

import (
	"fmt"

	"github.com/otelgen/otelgen/hook"
)

// GetAfter doubles the result.
func GetAfter(c *hook.Call, r *int) {
	fmt.Printf("after %s: %d\n", c.Function(), *r)
	*r *= 2
}

// SumAfter sees the sum.
func SumAfter(c *hook.Call, r *int) {
	fmt.Printf("after %s: %d\n", c.Function(), *r)
}

// FirstAfter gets the T result as an any holding a *T.
func FirstAfter(c *hook.Call, v any) {
	fmt.Printf("after %s: %T\n", c.Function(), v)
}

// NoteAfter runs after Note.
func NoteAfter(c *hook.Call) {
	fmt.Printf("after %s\n", c.Function())
}
