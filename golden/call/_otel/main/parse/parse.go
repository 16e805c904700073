// Package parse reads numbers.
package parse; import otelgen_hooks "example.com/golden/hooks"

import (
	"strconv"
	"strings"
)

// Port reads a port number.
func Port(s string) (int, error) { return otelgen_hooks.Atoi(strings.TrimPrefix(s, ":")) }

// Sum adds up numbers, and says how many it read.
func Sum(xs ...string) (string, error) {
	total := 0
	for _, x := range xs {
		n, err := otelgen_hooks.Atoi(x)
		if err != nil {
			return "", err
		}
		total += n
	}
	return strconv.Itoa(len(xs)) + " numbers: " + strconv.Itoa(total), nil
}

// atoi is strconv.Atoi as a value: not a call, so not wrapped.
var atoi = strconv.Atoi

// Plain reads a number without the wrapper.
func Plain(s string) int {
	n, _ := atoi(s)
	return n
}
