// Package mathx is the code that otelgen instruments.
package mathx

// Sum adds xs to base.
func Sum(base int, xs ...int) (otelgen_r0 int) { if otelgen_mathx_sum_before != nil { var otelgen_c *otelgen_call; otelgen_c, base, xs = otelgen_mathx_sum_enter(base, xs); defer func() { otelgen_r0 = otelgen_mathx_sum_exit(otelgen_c, otelgen_r0) }(); if otelgen_c.skip { return otelgen_mathx_sum_skipped(otelgen_c) } };
	for _, x := range xs {
		base += x
	}
	return base
}

// Trampolines of rule mathx-sum on example.com/golden/mathx.Sum, added by otelgen.

type otelgen_mathx_sum_before_func func(*otelgen_call, *int, *[]int)

type otelgen_mathx_sum_after_func func(*otelgen_call, *int)

func otelgen_mathx_sum_enter(otelgen_p0 int, otelgen_p1 []int) (otelgen_c *otelgen_call, otelgen_o0 int, otelgen_o1 []int) {
	otelgen_c = &otelgen_call{fn: "example.com/golden/mathx.Sum"}
	otelgen_o0, otelgen_o1 = otelgen_p0, otelgen_p1
	defer func() {
		if recover() != nil {
			otelgen_c.skip, otelgen_c.results = false, nil
			otelgen_o0, otelgen_o1 = otelgen_p0, otelgen_p1
		}
	}()
	otelgen_mathx_sum_before(otelgen_c, &otelgen_o0, &otelgen_o1)
	return
}

func otelgen_mathx_sum_exit(otelgen_c *otelgen_call, otelgen_r0 int) (otelgen_o0 int) {
	otelgen_o0 = otelgen_r0
	defer func() {
		if recover() != nil {
			otelgen_o0 = otelgen_r0
		}
	}()
	otelgen_mathx_sum_after(otelgen_c, &otelgen_o0)
	return
}

func otelgen_mathx_sum_skipped(otelgen_c *otelgen_call) (otelgen_o0 int) {
	if len(otelgen_c.results) > 0 {
		otelgen_o0, _ = otelgen_c.results[0].(int)
	}
	return
}
