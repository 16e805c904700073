// Package mathx is the code that otelgen instruments.
package mathx

// Sum adds xs to base.
func Sum(base int, xs ...int) int {
	for _, x := range xs {
		base += x
	}
	return base
}
