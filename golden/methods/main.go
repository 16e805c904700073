// Command golden calls the instrumented code. It does not import the hooks:
// otelgen adds a file to this package that binds them.
package main

import (
	"fmt"

	"example.com/golden/bank"
)

func main() {
	a := &bank.Account{Owner: "ada"}
	fmt.Println(a.Deposit(5))
	fmt.Println(a.String())
}
