// Command golden parses numbers through strconv.Atoi, directly and through
// package parse; it never imports the wrapper.
package main

import (
	"fmt"
	"strconv"

	"example.com/golden/parse"
)

func main() {
	fmt.Println(parse.Port(":8080"))
	fmt.Println(parse.Sum("1", "2", "3"))
	fmt.Println(parse.Twice("21"))
	fmt.Println(parse.Plain("7"))
	fmt.Println(strconv.Atoi("x"))
}
