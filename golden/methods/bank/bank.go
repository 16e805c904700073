// Package bank is the code that otelgen instruments.
package bank

import "fmt"

// Account holds money.
type Account struct {
	Owner   string
	balance int
}

// Deposit adds amount to the account and returns the new balance.
func (a *Account) Deposit(amount int) int {
	a.balance += amount
	return a.balance
}

// String describes the account.
func (a Account) String() string {
	return fmt.Sprintf("%s has %d", a.Owner, a.balance)
}
