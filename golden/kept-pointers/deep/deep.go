// Package deep holds the functions that otelgen.yaml hooks.
package deep

// Walk recurses n levels, each with a large frame, so that the stack of the
// goroutine that calls it grows (and moves) while it runs. It returns the
// number of levels and tag.
func Walk(n int, tag string) (int, string) {
	return Grow(n), tag
}

// Grow recurses n levels with a 1 KiB frame each and returns n.
func Grow(n int) int {
	var pad [1024]byte
	pad[n%len(pad)] = byte(n)
	if n == 0 {
		return int(pad[0])
	}
	return Grow(n-1) + 1 + int(pad[n%len(pad)]) - int(byte(n))
}

// Sum returns a+b.
func Sum(a, b int) int {
	return a + b
}
