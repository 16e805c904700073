// Command golden prints the structs, new fields and all.
package main

import (
	"fmt"

	"example.com/golden/model"
)

func main() {
	fmt.Printf("%+v\n", model.Request{Method: "GET", Path: "/"})
	fmt.Printf("%+v\n", model.Point{X: 1, Y: 2})
}
