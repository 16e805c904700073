// Command golden calls the instrumented code. It does not import the hooks:
// otelgen adds a file to this package that binds them.
package main

import (
	"fmt"
	"strconv"

	"example.com/golden/coll"
)

func main() {
	fmt.Println(coll.Map([]int{1, 2, 3}, strconv.Itoa))
	var s coll.Stack[string]
	fmt.Println(s.Push("a"))
	n := 7
	fmt.Println(coll.Deref(&n))
}
