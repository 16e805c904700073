package parse; import otelgen_hooks "example.com/golden/hooks"

import conv "strconv"

// Twice reads a number and doubles it.
func Twice(s string) int {
	n, _ := otelgen_hooks.Atoi(s)
	return 2 * n
}

var _ = conv.Atoi // the calls of strconv.Atoi above call example.com/golden/hooks.Atoi
