// Command golden calls the instrumented code. It does not import the hooks:
// otelgen adds a file to this package that binds them.
package main

import (
	"fmt"

	"example.com/golden/fragile"
)

func main() {
	fmt.Println(fragile.Double(3))
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		fmt.Println(fragile.Explode(1))
	}()
	fmt.Println("still running")
}
