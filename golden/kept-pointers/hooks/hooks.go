// Package hooks holds hooks that keep the pointers they get, against the
// hook API's advice, in globals and in Call.Data.
package hooks

import (
	"fmt"
	"runtime"

	"github.com/otelgen/otelgen/hook"
)

// What the hooks keep.
var (
	KeptCall   *hook.Call
	KeptTag    *string
	KeptResult *int
)

// WalkBefore keeps c and tag.
func WalkBefore(c *hook.Call, n *int, tag *string) {
	KeptCall, KeptTag = c, tag
	c.Data = tag
}

// WalkAfter collects garbage, then reads what WalkBefore kept: the body has
// grown the goroutine's stack meanwhile.
func WalkAfter(c *hook.Call, depth *int, tag *string) {
	runtime.GC()
	fmt.Printf("after Walk: depth %d, fn %s, kept tag %q, Data tag %q, same call %v\n",
		*depth, KeptCall.Function(), *KeptTag, *c.Data.(*string), KeptCall == c)
}

// SumAfter keeps the result's address.
func SumAfter(c *hook.Call, r *int) {
	KeptResult = r
}
