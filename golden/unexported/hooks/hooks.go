// Package hooks holds the hook functions that otelgen.yaml binds.
package hooks

import (
	"fmt"

	"example.com/golden/wire"
	"github.com/otelgen/otelgen/hook"
)

// SendBefore gets the *conn receiver and a *frame as any; retries keeps its
// type.
func SendBefore(c *hook.Call, conn, f any, retries *int) {
	fmt.Printf("before %s: %T %T %d\n", c.Function(), conn, f, *retries)
}

// SendAfter gets the exported Ack by pointer, and the **frame as any.
func SendAfter(c *hook.Call, ack *wire.Ack, f any) {
	fmt.Printf("after %s: %d bytes, %T\n", c.Function(), ack.Bytes, f)
}
