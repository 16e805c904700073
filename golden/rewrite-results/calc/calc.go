// Package calc is the code that otelgen instruments.
package calc

import "errors"

// Divide returns a/b and a%b.
func Divide(a, b int) (quo, rem int, err error) {
	if b == 0 {
		return 0, 0, errors.New("division by zero")
	}
	return a / b, a % b, nil
}
