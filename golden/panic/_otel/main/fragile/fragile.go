// Package fragile is the code that otelgen instruments.
package fragile

import "fmt"

// Double returns 2*x.
func Double(x int) (otelgen_r0 int) { if otelgen_fragile_double_before != nil { var otelgen_c *otelgen_fragile_double_rec; otelgen_c, x = otelgen_fragile_double_enter(x); defer otelgen_fragile_double_exit(otelgen_c, &otelgen_r0); if otelgen_c.c.skip { return otelgen_fragile_double_skipped(otelgen_c.c.results) } };
	fmt.Println("double", x)
	return 2 * x
}

// Explode panics: that panic is the program's own, and goes on.
func Explode(x int) (otelgen_r0 int) { if otelgen_fragile_explode_after != nil { return otelgen_fragile_explode_hooked(x) };
	panic(fmt.Sprint("explode ", x))
}

// Trampolines of rule fragile-double on example.com/golden/fragile.Double, added by otelgen.

type otelgen_fragile_double_before_func func(*otelgen_call, *int)

type otelgen_fragile_double_after_func func(*otelgen_call, *int)

// otelgen_fragile_double_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_fragile_double_pool, and goes back there cleared when the call ends.
type otelgen_fragile_double_rec struct {
	c  otelgen_call
	p0 int
	r0 int
}

func otelgen_fragile_double_enter(otelgen_p0 int) (otelgen_c *otelgen_fragile_double_rec, otelgen_o0 int) {
	otelgen_c = otelgen_fragile_double_get()
	otelgen_c.c.fn = "example.com/golden/fragile.Double"
	otelgen_c.p0 = otelgen_p0
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
			otelgen_c.p0 = otelgen_p0
		}
		otelgen_o0 = otelgen_c.p0
	}()
	otelgen_fragile_double_before(&otelgen_c.c, &otelgen_c.p0)
	return
}

func otelgen_fragile_double_exit(otelgen_c *otelgen_fragile_double_rec, otelgen_r0 *int) {
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
		*otelgen_c = otelgen_fragile_double_rec{}
		otelgen_fragile_double_pool.Put(otelgen_c)
	}()
	otelgen_fragile_double_after(&otelgen_c.c, &otelgen_c.r0)
}

func otelgen_fragile_double_skipped(otelgen_results []interface{}) (otelgen_o0 int) {
	if len(otelgen_results) > 0 {
		otelgen_o0, _ = otelgen_results[0].(int)
	}
	return
}

// Trampolines of rule fragile-explode on example.com/golden/fragile.Explode, added by otelgen.

type otelgen_fragile_explode_after_func func(*otelgen_call, *int)

// otelgen_fragile_explode_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_fragile_explode_pool, and goes back there cleared when the call ends.
type otelgen_fragile_explode_rec struct {
	c  otelgen_call
	r0 int
}

func otelgen_fragile_explode_exit(otelgen_r0 *int) {
	otelgen_c := otelgen_fragile_explode_get()
	otelgen_c.c.fn = "example.com/golden/fragile.Explode"
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
		*otelgen_c = otelgen_fragile_explode_rec{}
		otelgen_fragile_explode_pool.Put(otelgen_c)
	}()
	otelgen_fragile_explode_after(&otelgen_c.c, &otelgen_c.r0)
}

// otelgen_fragile_explode_hooked is Explode with its hooks, which it calls when one is bound.
//line example.com/golden/fragile/fragile.go:13
func otelgen_fragile_explode_hooked(x int) (otelgen_r0 int) { if otelgen_fragile_explode_after != nil { defer otelgen_fragile_explode_exit(&otelgen_r0); };
	panic(fmt.Sprint("explode ", x))
}
