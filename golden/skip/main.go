// Command golden calls the instrumented code. It does not import the hooks:
// otelgen adds a file to this package that binds them.
package main

import (
	"fmt"

	"example.com/golden/cache"
)

func main() {
	fmt.Println(cache.Load("hot"))
	fmt.Println(cache.Load("cold"))
}
