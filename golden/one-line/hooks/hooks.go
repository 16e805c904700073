// Package hooks holds the hook functions that otelgen.yaml binds.
package hooks

import (
	"fmt"

	"github.com/otelgen/otelgen/hook"
)

// OneBefore takes only the call: One has no parameters.
func OneBefore(c *hook.Call) {
	fmt.Println("before", c.Function())
}

// OneAfter changes the result.
func OneAfter(c *hook.Call, r *int) {
	fmt.Println("after", *r)
	*r = 11
}
