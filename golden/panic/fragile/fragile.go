// Package fragile is the code that otelgen instruments.
package fragile

import "fmt"

// Double returns 2*x.
func Double(x int) int {
	fmt.Println("double", x)
	return 2 * x
}

// Explode panics: that panic is the program's own, and goes on.
func Explode(x int) int {
	panic(fmt.Sprint("explode ", x))
}
