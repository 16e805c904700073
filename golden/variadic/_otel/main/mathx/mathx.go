// Package mathx is the code that otelgen instruments.
package mathx

// Sum adds xs to base.
func Sum(base int, xs ...int) (otelgen_r0 int) { if otelgen_mathx_sum_before != nil { var otelgen_c *otelgen_mathx_sum_rec; otelgen_c, base, xs = otelgen_mathx_sum_enter(base, xs); defer otelgen_mathx_sum_exit(otelgen_c, &otelgen_r0); if otelgen_c.c.skip { return otelgen_mathx_sum_skipped(otelgen_c.c.results) } };
	for _, x := range xs {
		base += x
	}
	return base
}

// Trampolines of rule mathx-sum on example.com/golden/mathx.Sum, added by otelgen.

type otelgen_mathx_sum_before_func func(*otelgen_call, *int, *[]int)

type otelgen_mathx_sum_after_func func(*otelgen_call, *int)

// otelgen_mathx_sum_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_mathx_sum_pool, and goes back there cleared when the call ends.
type otelgen_mathx_sum_rec struct {
	c  otelgen_call
	p0 int
	p1 []int
	r0 int
}

func otelgen_mathx_sum_enter(otelgen_p0 int, otelgen_p1 []int) (otelgen_c *otelgen_mathx_sum_rec, otelgen_o0 int, otelgen_o1 []int) {
	otelgen_c = otelgen_mathx_sum_get()
	otelgen_c.c.fn = "example.com/golden/mathx.Sum"
	otelgen_c.p0, otelgen_c.p1 = otelgen_p0, otelgen_p1
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
			otelgen_c.p0, otelgen_c.p1 = otelgen_p0, otelgen_p1
		}
		otelgen_o0, otelgen_o1 = otelgen_c.p0, otelgen_c.p1
	}()
	otelgen_mathx_sum_before(&otelgen_c.c, &otelgen_c.p0, &otelgen_c.p1)
	return
}

func otelgen_mathx_sum_exit(otelgen_c *otelgen_mathx_sum_rec, otelgen_r0 *int) {
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
		*otelgen_c = otelgen_mathx_sum_rec{}
		otelgen_mathx_sum_pool.Put(otelgen_c)
	}()
	otelgen_mathx_sum_after(&otelgen_c.c, &otelgen_c.r0)
}

func otelgen_mathx_sum_skipped(otelgen_results []interface{}) (otelgen_o0 int) {
	if len(otelgen_results) > 0 {
		otelgen_o0, _ = otelgen_results[0].(int)
	}
	return
}
