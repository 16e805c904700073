// Package bank is the code that otelgen instruments.
package bank

import "fmt"

// Account holds money.
type Account struct {
	Owner   string
	balance int
}

// Deposit adds amount to the account and returns the new balance.
func (a *Account) Deposit(amount int) (otelgen_r0 int) { if otelgen_bank_deposit_before != nil { var otelgen_c *otelgen_bank_deposit_rec; otelgen_c, amount = otelgen_bank_deposit_enter(a, amount); defer otelgen_bank_deposit_exit(otelgen_c, &otelgen_r0); if otelgen_c.c.skip { return otelgen_bank_deposit_skipped(otelgen_c.c.results) } };
	a.balance += amount
	return a.balance
}

// String describes the account.
func (a Account) String() (otelgen_r0 string) { if otelgen_bank_string_before != nil { otelgen_c := otelgen_bank_string_enter(a); defer otelgen_bank_string_exit(otelgen_c, &otelgen_r0); if otelgen_c.c.skip { return otelgen_bank_string_skipped(otelgen_c.c.results) } };
	return fmt.Sprintf("%s has %d", a.Owner, a.balance)
}

// Trampolines of rule bank-deposit on example.com/golden/bank.(*Account).Deposit, added by otelgen.

type otelgen_bank_deposit_before_func func(*otelgen_call, *Account, *int)

type otelgen_bank_deposit_after_func func(*otelgen_call, *int)

// otelgen_bank_deposit_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_bank_deposit_pool, and goes back there cleared when the call ends.
type otelgen_bank_deposit_rec struct {
	c  otelgen_call
	p0 int
	r0 int
}

func otelgen_bank_deposit_enter(otelgen_recv *Account, otelgen_p0 int) (otelgen_c *otelgen_bank_deposit_rec, otelgen_o0 int) {
	otelgen_c = otelgen_bank_deposit_get()
	otelgen_c.c.fn = "example.com/golden/bank.(*Account).Deposit"
	otelgen_c.p0 = otelgen_p0
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
			otelgen_c.p0 = otelgen_p0
		}
		otelgen_o0 = otelgen_c.p0
	}()
	otelgen_bank_deposit_before(&otelgen_c.c, otelgen_recv, &otelgen_c.p0)
	return
}

func otelgen_bank_deposit_exit(otelgen_c *otelgen_bank_deposit_rec, otelgen_r0 *int) {
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
		*otelgen_c = otelgen_bank_deposit_rec{}
		otelgen_bank_deposit_pool.Put(otelgen_c)
	}()
	otelgen_bank_deposit_after(&otelgen_c.c, &otelgen_c.r0)
}

func otelgen_bank_deposit_skipped(otelgen_results []interface{}) (otelgen_o0 int) {
	if len(otelgen_results) > 0 {
		otelgen_o0, _ = otelgen_results[0].(int)
	}
	return
}

// Trampolines of rule bank-string on example.com/golden/bank.Account.String, added by otelgen.

type otelgen_bank_string_before_func func(*otelgen_call, Account)

type otelgen_bank_string_after_func func(*otelgen_call, *string)

// otelgen_bank_string_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_bank_string_pool, and goes back there cleared when the call ends.
type otelgen_bank_string_rec struct {
	c  otelgen_call
	r0 string
}

func otelgen_bank_string_enter(otelgen_recv Account) (otelgen_c *otelgen_bank_string_rec) {
	otelgen_c = otelgen_bank_string_get()
	otelgen_c.c.fn = "example.com/golden/bank.Account.String"
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
		}
	}()
	otelgen_bank_string_before(&otelgen_c.c, otelgen_recv)
	return
}

func otelgen_bank_string_exit(otelgen_c *otelgen_bank_string_rec, otelgen_r0 *string) {
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
		*otelgen_c = otelgen_bank_string_rec{}
		otelgen_bank_string_pool.Put(otelgen_c)
	}()
	otelgen_bank_string_after(&otelgen_c.c, &otelgen_c.r0)
}

func otelgen_bank_string_skipped(otelgen_results []interface{}) (otelgen_o0 string) {
	if len(otelgen_results) > 0 {
		otelgen_o0, _ = otelgen_results[0].(string)
	}
	return
}
