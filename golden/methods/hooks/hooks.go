// Package hooks holds the hook functions that otelgen.yaml binds.
package hooks

import (
	"fmt"

	"example.com/golden/bank"
	"github.com/otelgen/otelgen/hook"
)

// DepositBefore gets the pointer receiver, then the parameter by pointer.
func DepositBefore(c *hook.Call, a *bank.Account, amount *int) {
	fmt.Printf("before %s: owner %s, amount %d\n", c.Function(), a.Owner, *amount)
	*amount *= 10
}

// DepositAfter sees the new balance.
func DepositAfter(c *hook.Call, balance *int) {
	fmt.Printf("after %s: balance %d\n", c.Function(), *balance)
}

// StringBefore gets a copy of the value receiver.
func StringBefore(c *hook.Call, a bank.Account) {
	fmt.Printf("before %s: owner %s\n", c.Function(), a.Owner)
}

// StringAfter replaces the result.
func StringAfter(c *hook.Call, s *string) {
	*s = "[" + *s + "]"
}
