// Command golden calls the instrumented code. It does not import the hooks:
// otelgen adds a file to this package that binds them.
package main

import (
	"fmt"

	"example.com/golden/store"
)

func main() {
	s := &store.Store{Name: "s1"}
	fmt.Println(s.Get("k", 1))
	fmt.Println(s.Put("k", 2))
}
