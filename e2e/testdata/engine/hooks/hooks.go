// Package hooks is what the rules bind to the program's functions.
package hooks

import (
	"fmt"

	"github.com/otelgen/otelgen/hook"
)

// UpperBefore changes the argument of strings.ToUpper.
func UpperBefore(c *hook.Call, s *string) {
	*s += "-def"
	c.Data = len(*s)
}

// UpperAfter sees the result and the data the before hook left.
func UpperAfter(c *hook.Call, r *string) {
	*r += fmt.Sprintf(" (len %d, via %s)", c.Data, c.Function())
}

// CompareAfter reverses semver.Compare's answer.
func CompareAfter(c *hook.Call, r *int) { *r = -*r }

// SumBefore panics: the program must go on as if there were no hook.
func SumBefore(c *hook.Call, xs *[]int) { panic("hook bug") }

// SumAfter adds 100 to the result.
func SumAfter(c *hook.Call, r *int) { *r += 100 }

// CrashBefore is a no-op hook on a function that panics by itself.
func CrashBefore(c *hook.Call) {}

// BannerAfter decorates the result of a function of the main package.
func BannerAfter(c *hook.Call, r *string) { *r = "[" + *r + "]" }
