// Package hooks holds the hook functions that otelgen.yaml binds.
package hooks

import (
	"fmt"

	"github.com/otelgen/otelgen/hook"
)

// LoadBefore answers for "hot" keys itself. It gives only the first result:
// the error stays nil.
func LoadBefore(c *hook.Call, key *string) {
	if *key == "hot" {
		c.Skip("cached " + *key)
	}
}

// LoadAfter runs whether or not the body ran.
func LoadAfter(c *hook.Call, value *string, err *error) {
	fmt.Printf("after %s: skipped %v, %q, %v\n", c.Function(), c.Skipped(), *value, *err)
}
