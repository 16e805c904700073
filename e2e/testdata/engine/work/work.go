// Package work holds the program's own instrumented functions.
package work

// Sum adds its arguments.
func Sum(xs ...int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}

// Crash panics on a known line, so that the test can check that the
// stack trace points at it.
func Crash() {
	var m map[string]int
	m["boom"] = 1 // CRASH LINE
}
