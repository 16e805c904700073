// Command golden calls the instrumented code. It does not import the hooks:
// otelgen adds a file to this package that binds them.
package main

import (
	"fmt"

	"example.com/golden/tiny"
)

func main() {
	var c tiny.Counter
	fmt.Println(c.Get())
	fmt.Println(tiny.Sum(1, 2, 3))
	fmt.Println(tiny.First([]string{"a", "b"}))
	tiny.Note("hi")
}
