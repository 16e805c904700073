// Package calc holds the functions that otelgen.yaml hooks.
package calc

// Scale returns xs[i]*k summed.
func Scale(xs []int, k int) int {
	s := 0
	for _, x := range xs {
		s += x * k
	}
	return s
}

// Join returns a and b with sep between them, when both are not empty.
func Join(a, b, sep string) (string, bool) {
	if a == "" || b == "" {
		return a + b, false
	}
	return a + sep + b, true
}

// Clamp returns x within [lo, hi].
func Clamp(x, lo, hi int) int {
	return max(lo, min(x, hi))
}

// Ticks counts the calls of Tick.
var Ticks int

// Tick counts.
func Tick() {
	Ticks++
}
