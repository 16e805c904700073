// Package hooks holds the hook functions that otelgen.yaml binds.
package hooks

import (
	"fmt"
	"strings"

	"github.com/otelgen/otelgen/hook"
)

// HelloBefore runs before greet.Hello. Parameters come by pointer, so it can
// replace them; c.Data carries state to the after hook.
func HelloBefore(c *hook.Call, name *string) {
	fmt.Printf("before %s(%q)\n", c.Function(), *name)
	*name = strings.ToUpper(*name)
	c.Data = len(*name)
}

// HelloAfter runs when greet.Hello returns, and may replace its result.
func HelloAfter(c *hook.Call, result *string) {
	fmt.Printf("after %s: %q (data %v)\n", c.Function(), *result, c.Data)
	*result += "!"
}
