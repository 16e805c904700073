// Package hooks holds the hook functions that otelgen.yaml binds.
package hooks

import (
	"fmt"

	"github.com/otelgen/otelgen/hook"
)

// AddBefore gets the receiver and v as any: their types mention T.
func AddBefore(c *hook.Call, s, v any) {
	fmt.Printf("before %s: %T %T\n", c.Function(), s, v)
}

// AddAfter gets the size.
func AddAfter(c *hook.Call, n *int) {
	fmt.Printf("after %s: %d\n", c.Function(), *n)
}
