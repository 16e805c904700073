// Command golden calls the instrumented code. It does not import the hooks:
// otelgen adds a file to this package that binds them.
package main

import (
	"fmt"

	"example.com/golden/wire"
)

func main() {
	fmt.Println(wire.Send("peer-1", "hello"))
}
