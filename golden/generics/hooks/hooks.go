// Package hooks holds the hook functions that otelgen.yaml binds.
package hooks

import (
	"fmt"

	"github.com/otelgen/otelgen/hook"
)

// MapBefore gets []T and func(T) U as any, holding *[]T and *func(T) U.
func MapBefore(c *hook.Call, xs, f any) {
	fmt.Printf("before %s: %T %T\n", c.Function(), xs, f)
	if p, ok := xs.(*[]int); ok {
		*p = append(*p, 4)
	}
}

// MapAfter gets []U as any, holding *[]U.
func MapAfter(c *hook.Call, out any) {
	fmt.Printf("after %s: %T\n", c.Function(), out)
}

// PushBefore gets the receiver *Stack[E] as any, and v (an E) as any holding
// a *E.
func PushBefore(c *hook.Call, s, v any) {
	fmt.Printf("before %s: %T %T\n", c.Function(), s, v)
}

// PushAfter gets the int result as it is: its type has no type parameter.
func PushAfter(c *hook.Call, depth *int) {
	fmt.Printf("after %s: depth %d\n", c.Function(), *depth)
}

// DerefBefore gets p (a P) as any, holding a *P.
func DerefBefore(c *hook.Call, p any) {
	fmt.Printf("before %s: %T\n", c.Function(), p)
}

// DerefAfter gets the int result as it is.
func DerefAfter(c *hook.Call, v *int) {
	fmt.Printf("after %s: %d\n", c.Function(), *v)
}
