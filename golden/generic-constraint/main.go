// Command golden calls the instrumented code. It does not import the hooks:
// otelgen adds a file to this package that binds them.
package main

import (
	"fmt"

	"example.com/golden/set"
)

func main() {
	var s set.Set[string]
	s.Add("b")
	fmt.Println(s.Add("a"))
}
