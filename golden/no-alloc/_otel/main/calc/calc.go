// Package calc holds the functions that otelgen.yaml hooks.
package calc

// Scale returns xs[i]*k summed.
func Scale(xs []int, k int) (otelgen_r0 int) { if otelgen_calc_scale_before != nil { var otelgen_c otelgen_call; xs, k = otelgen_calc_scale_enter(&otelgen_c, xs, k); defer otelgen_calc_scale_exit(&otelgen_c, &otelgen_r0); if otelgen_c.skip { return otelgen_calc_scale_skipped(&otelgen_c) } };
	s := 0
	for _, x := range xs {
		s += x * k
	}
	return s
}

// Join returns a and b with sep between them, when both are not empty.
func Join(a, b, sep string) (otelgen_r0 string, otelgen_r1 bool) { if otelgen_calc_join_after != nil { defer otelgen_calc_join_exit(&otelgen_r0, &otelgen_r1); };
	if a == "" || b == "" {
		return a + b, false
	}
	return a + sep + b, true
}

// Trampolines of rule calc-join on example.com/golden/calc.Join, added by otelgen.

type otelgen_calc_join_after_func func(*otelgen_call, *string, *bool)

func otelgen_calc_join_exit(otelgen_r0 *string, otelgen_r1 *bool) {
	otelgen_c := &otelgen_call{fn: "example.com/golden/calc.Join"}
	otelgen_v0, otelgen_v1 := *otelgen_r0, *otelgen_r1
	defer func() {
		if recover() != nil {
			*otelgen_r0, *otelgen_r1 = otelgen_v0, otelgen_v1
		}
	}()
	otelgen_calc_join_after((*otelgen_call)(otelgen_noescape(otelgen_pointer(otelgen_c))), (*string)(otelgen_noescape(otelgen_pointer(otelgen_r0))), (*bool)(otelgen_noescape(otelgen_pointer(otelgen_r1))))
}

// Trampolines of rule calc-scale on example.com/golden/calc.Scale, added by otelgen.

type otelgen_calc_scale_before_func func(*otelgen_call, *[]int, *int)

type otelgen_calc_scale_after_func func(*otelgen_call, *int)

func otelgen_calc_scale_enter(otelgen_c *otelgen_call, otelgen_p0 []int, otelgen_p1 int) (otelgen_o0 []int, otelgen_o1 int) {
	otelgen_c.fn = "example.com/golden/calc.Scale"
	otelgen_o0, otelgen_o1 = otelgen_p0, otelgen_p1
	defer func() {
		if recover() != nil {
			otelgen_c.skip, otelgen_c.results = false, nil
			otelgen_o0, otelgen_o1 = otelgen_p0, otelgen_p1
		}
	}()
	otelgen_calc_scale_before((*otelgen_call)(otelgen_noescape(otelgen_pointer(otelgen_c))), (*[]int)(otelgen_noescape(otelgen_pointer(&otelgen_o0))), (*int)(otelgen_noescape(otelgen_pointer(&otelgen_o1))))
	return
}

func otelgen_calc_scale_exit(otelgen_c *otelgen_call, otelgen_r0 *int) {
	otelgen_v0 := *otelgen_r0
	defer func() {
		if recover() != nil {
			*otelgen_r0 = otelgen_v0
		}
	}()
	otelgen_calc_scale_after((*otelgen_call)(otelgen_noescape(otelgen_pointer(otelgen_c))), (*int)(otelgen_noescape(otelgen_pointer(otelgen_r0))))
}

func otelgen_calc_scale_skipped(otelgen_c *otelgen_call) (otelgen_o0 int) {
	if len(otelgen_c.results) > 0 {
		otelgen_o0, _ = otelgen_c.results[0].(int)
	}
	return
}
