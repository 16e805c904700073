// Package hooks holds the hook functions that otelgen.yaml binds.
package hooks

import (
	"fmt"

	"github.com/otelgen/otelgen/hook"
)

// SplitAfter gets every result by pointer.
func SplitAfter(c *hook.Call, key, value *string) {
	fmt.Printf("after %s: %q %q\n", c.Function(), *key, *value)
}

// SeparatorAfter gets the single result by pointer.
func SeparatorAfter(c *hook.Call, sep *string) {
	fmt.Printf("after %s: %q\n", c.Function(), *sep)
}
