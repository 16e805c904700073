// Command engine is the program of the engine's end-to-end test. It knows
// nothing of otelgen; the rules in otelgen.yaml hook a standard library
// function, a dependency's function and one of its own.
package main

import (
	"fmt"
	"os"
	"strings"

	"example.com/engine/work"
	"golang.org/x/mod/semver"
)

func banner() string { return "engine" }

func main() {
	fmt.Println("banner:", banner())
	fmt.Println("upper:", strings.ToUpper("abc"))
	fmt.Println("compare:", semver.Compare("v1.0.0", "v2.0.0"))
	fmt.Println("sum:", work.Sum(1, 2, 3))
	if len(os.Args) > 1 && os.Args[1] == "panic" {
		work.Crash()
	}
}
