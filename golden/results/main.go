// Command golden calls the instrumented code. It does not import the hooks:
// otelgen adds a file to this package that binds them.
package main

import (
	"fmt"

	"example.com/golden/kv"
)

func main() {
	fmt.Println(kv.Split("lang=go"))
}
