// Package hooks holds the wrapper: a function with strconv.Atoi's
// parameters and results, which calls it.
package hooks

import (
	"fmt"
	"strconv"
)

// Atoi calls strconv.Atoi and says so.
func Atoi(s string) (int, error) {
	n, err := strconv.Atoi(s)
	fmt.Printf("wrapped strconv.Atoi(%q) = %d, %v\n", s, n, err)
	return n, err
}
