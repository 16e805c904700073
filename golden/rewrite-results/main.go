// Command golden calls the instrumented code. It does not import the hooks:
// otelgen adds a file to this package that binds them.
package main

import (
	"fmt"

	"example.com/golden/calc"
)

func main() {
	fmt.Println(calc.Divide(7, 2))
	fmt.Println(calc.Divide(7, 0))
}
