// Package hooks holds the hook functions that otelgen.yaml binds.
package hooks

import (
	"fmt"

	"github.com/otelgen/otelgen/hook"
)

// HandleBefore runs before main.handle.
func HandleBefore(c *hook.Call, req *string) {
	fmt.Printf("before %s(%q)\n", c.Function(), *req)
}
