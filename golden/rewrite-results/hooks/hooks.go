// Package hooks holds the hook functions that otelgen.yaml binds.
package hooks

import (
	"fmt"

	"github.com/otelgen/otelgen/hook"
)

// DivideAfter rewrites the results of a failed division.
func DivideAfter(c *hook.Call, quo, rem *int, err *error) {
	if *err != nil {
		*quo = -1
		*err = fmt.Errorf("%s: %w", c.Function(), *err)
	}
}
