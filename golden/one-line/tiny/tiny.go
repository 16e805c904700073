// Package tiny is the code that otelgen instruments.
package tiny

// One returns 1.
func One() int { return 1 }
