// Command golden calls the instrumented code. It does not import the hooks:
// otelgen adds a file to this package that binds them.
package main

import (
	"fmt"

	"example.com/golden/mathx"
)

func main() {
	fmt.Println(mathx.Sum(1, 2, 3))
	fmt.Println(mathx.Sum(1))
	xs := []int{4, 5}
	fmt.Println(mathx.Sum(0, xs...), xs)
}
