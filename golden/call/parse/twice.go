package parse

import conv "strconv"

// Twice reads a number and doubles it.
func Twice(s string) int {
	n, _ := conv.Atoi(s)
	return 2 * n
}
