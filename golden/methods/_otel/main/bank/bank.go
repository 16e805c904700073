// Package bank is the code that otelgen instruments.
package bank

import "fmt"

// Account holds money.
type Account struct {
	Owner   string
	balance int
}

// Deposit adds amount to the account and returns the new balance.
func (a *Account) Deposit(amount int) (otelgen_r0 int) { if otelgen_bank_deposit_before != nil { var otelgen_c *otelgen_call; otelgen_c, amount = otelgen_bank_deposit_enter(a, amount); defer func() { otelgen_r0 = otelgen_bank_deposit_exit(otelgen_c, otelgen_r0) }(); if otelgen_c.skip { return otelgen_bank_deposit_skipped(otelgen_c) } };
	a.balance += amount
	return a.balance
}

// String describes the account.
func (a Account) String() (otelgen_r0 string) { if otelgen_bank_string_before != nil { otelgen_c := otelgen_bank_string_enter(a); defer func() { otelgen_r0 = otelgen_bank_string_exit(otelgen_c, otelgen_r0) }(); if otelgen_c.skip { return otelgen_bank_string_skipped(otelgen_c) } };
	return fmt.Sprintf("%s has %d", a.Owner, a.balance)
}

// Trampolines of rule bank-deposit on example.com/golden/bank.(*Account).Deposit, added by otelgen.

type otelgen_bank_deposit_before_func func(*otelgen_call, *Account, *int)

type otelgen_bank_deposit_after_func func(*otelgen_call, *int)

func otelgen_bank_deposit_enter(otelgen_recv *Account, otelgen_p0 int) (otelgen_c *otelgen_call, otelgen_o0 int) {
	otelgen_c = &otelgen_call{fn: "example.com/golden/bank.(*Account).Deposit"}
	otelgen_o0 = otelgen_p0
	defer func() {
		if recover() != nil {
			otelgen_c.skip, otelgen_c.results = false, nil
			otelgen_o0 = otelgen_p0
		}
	}()
	otelgen_bank_deposit_before(otelgen_c, otelgen_recv, &otelgen_o0)
	return
}

func otelgen_bank_deposit_exit(otelgen_c *otelgen_call, otelgen_r0 int) (otelgen_o0 int) {
	otelgen_o0 = otelgen_r0
	defer func() {
		if recover() != nil {
			otelgen_o0 = otelgen_r0
		}
	}()
	otelgen_bank_deposit_after(otelgen_c, &otelgen_o0)
	return
}

func otelgen_bank_deposit_skipped(otelgen_c *otelgen_call) (otelgen_o0 int) {
	if len(otelgen_c.results) > 0 {
		otelgen_o0, _ = otelgen_c.results[0].(int)
	}
	return
}

// Trampolines of rule bank-string on example.com/golden/bank.Account.String, added by otelgen.

type otelgen_bank_string_before_func func(*otelgen_call, Account)

type otelgen_bank_string_after_func func(*otelgen_call, *string)

func otelgen_bank_string_enter(otelgen_recv Account) (otelgen_c *otelgen_call) {
	otelgen_c = &otelgen_call{fn: "example.com/golden/bank.Account.String"}
	defer func() {
		if recover() != nil {
			otelgen_c.skip, otelgen_c.results = false, nil
		}
	}()
	otelgen_bank_string_before(otelgen_c, otelgen_recv)
	return
}

func otelgen_bank_string_exit(otelgen_c *otelgen_call, otelgen_r0 string) (otelgen_o0 string) {
	otelgen_o0 = otelgen_r0
	defer func() {
		if recover() != nil {
			otelgen_o0 = otelgen_r0
		}
	}()
	otelgen_bank_string_after(otelgen_c, &otelgen_o0)
	return
}

func otelgen_bank_string_skipped(otelgen_c *otelgen_call) (otelgen_o0 string) {
	if len(otelgen_c.results) > 0 {
		otelgen_o0, _ = otelgen_c.results[0].(string)
	}
	return
}
