// Package fragile is the code that otelgen instruments.
package fragile

import "fmt"

// Double returns 2*x.
func Double(x int) (otelgen_r0 int) { if otelgen_fragile_double_before != nil { var otelgen_c *otelgen_call; otelgen_c, x = otelgen_fragile_double_enter(x); defer func() { otelgen_r0 = otelgen_fragile_double_exit(otelgen_c, otelgen_r0) }(); if otelgen_c.skip { return otelgen_fragile_double_skipped(otelgen_c) } };
	fmt.Println("double", x)
	return 2 * x
}

// Explode panics: that panic is the program's own, and goes on.
func Explode(x int) (otelgen_r0 int) { if otelgen_fragile_explode_after != nil { otelgen_c := otelgen_fragile_explode_enter(); defer func() { otelgen_r0 = otelgen_fragile_explode_exit(otelgen_c, otelgen_r0) }(); };
	panic(fmt.Sprint("explode ", x))
}

// Trampolines of rule fragile-double on example.com/golden/fragile.Double, added by otelgen.

type otelgen_fragile_double_before_func func(*otelgen_call, *int)

type otelgen_fragile_double_after_func func(*otelgen_call, *int)

func otelgen_fragile_double_enter(otelgen_p0 int) (otelgen_c *otelgen_call, otelgen_o0 int) {
	otelgen_c = &otelgen_call{fn: "example.com/golden/fragile.Double"}
	otelgen_o0 = otelgen_p0
	defer func() {
		if recover() != nil {
			otelgen_c.skip, otelgen_c.results = false, nil
			otelgen_o0 = otelgen_p0
		}
	}()
	otelgen_fragile_double_before(otelgen_c, &otelgen_o0)
	return
}

func otelgen_fragile_double_exit(otelgen_c *otelgen_call, otelgen_r0 int) (otelgen_o0 int) {
	otelgen_o0 = otelgen_r0
	defer func() {
		if recover() != nil {
			otelgen_o0 = otelgen_r0
		}
	}()
	otelgen_fragile_double_after(otelgen_c, &otelgen_o0)
	return
}

func otelgen_fragile_double_skipped(otelgen_c *otelgen_call) (otelgen_o0 int) {
	if len(otelgen_c.results) > 0 {
		otelgen_o0, _ = otelgen_c.results[0].(int)
	}
	return
}

// Trampolines of rule fragile-explode on example.com/golden/fragile.Explode, added by otelgen.

type otelgen_fragile_explode_after_func func(*otelgen_call, *int)

func otelgen_fragile_explode_enter() *otelgen_call {
	return &otelgen_call{fn: "example.com/golden/fragile.Explode"}
}

func otelgen_fragile_explode_exit(otelgen_c *otelgen_call, otelgen_r0 int) (otelgen_o0 int) {
	otelgen_o0 = otelgen_r0
	defer func() {
		if recover() != nil {
			otelgen_o0 = otelgen_r0
		}
	}()
	otelgen_fragile_explode_after(otelgen_c, &otelgen_o0)
	return
}

func otelgen_fragile_explode_skipped(otelgen_c *otelgen_call) (otelgen_o0 int) {
	if len(otelgen_c.results) > 0 {
		otelgen_o0, _ = otelgen_c.results[0].(int)
	}
	return
}
