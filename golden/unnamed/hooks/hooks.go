// Package hooks holds the hook functions that otelgen.yaml binds.
package hooks

import (
	"fmt"

	"example.com/golden/store"
	"github.com/otelgen/otelgen/hook"
)

// GetBefore sees the receiver and the arguments, though the method does not
// name them.
func GetBefore(c *hook.Call, s store.Store, key *string, n *int) {
	fmt.Printf("before %s: store %q, args %q %d\n", c.Function(), s.Name, *key, *n)
}

// PutBefore sees the blank receiver and the blank parameter.
func PutBefore(c *hook.Call, s *store.Store, key *string, value *int) {
	fmt.Printf("before %s: store %q, args %q %d\n", c.Function(), s.Name, *key, *value)
}
