// Package hooks holds the hook functions that otelgen.yaml binds.
package hooks

import (
	"fmt"

	"github.com/otelgen/otelgen/hook"
)

// SumBefore sees the variadic arguments as a slice, and adds one.
func SumBefore(c *hook.Call, base *int, xs *[]int) {
	fmt.Printf("before %s: base %d, xs %v (nil %v)\n", c.Function(), *base, *xs, *xs == nil)
	*xs = append(*xs, 100)
}

// SumAfter sees the sum.
func SumAfter(c *hook.Call, sum *int) {
	fmt.Printf("after %s: %d\n", c.Function(), *sum)
}
