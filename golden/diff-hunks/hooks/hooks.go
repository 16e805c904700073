// Package hooks holds the hook functions that otelgen.yaml binds.
package hooks

import (
	"fmt"

	"github.com/otelgen/otelgen/hook"
)

// Result is the after hook of both rules: one hook can serve many functions
// of the same shape.
func Result(c *hook.Call, s *string) {
	fmt.Printf("after %s: %q\n", c.Function(), *s)
}
