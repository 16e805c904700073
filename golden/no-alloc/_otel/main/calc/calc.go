// Package calc holds the functions that otelgen.yaml hooks.
package calc

// Scale returns xs[i]*k summed.
func Scale(xs []int, k int) (otelgen_r0 int) { if otelgen_calc_scale_before != nil { var otelgen_c *otelgen_calc_scale_rec; otelgen_c, xs, k = otelgen_calc_scale_enter(xs, k); defer otelgen_calc_scale_exit(otelgen_c, &otelgen_r0); if otelgen_c.c.skip { return otelgen_calc_scale_skipped(otelgen_c.c.results) } };
	s := 0
	for _, x := range xs {
		s += x * k
	}
	return s
}

// Join returns a and b with sep between them, when both are not empty.
func Join(a, b, sep string) (otelgen_r0 string, otelgen_r1 bool) { if otelgen_calc_join_after != nil { return otelgen_calc_join_hooked(a, b, sep) };
	if a == "" || b == "" {
		return a + b, false
	}
	return a + sep + b, true
}

// Clamp returns x within [lo, hi].
func Clamp(x, lo, hi int) int { if otelgen_calc_clamp_before != nil { var otelgen_skip bool; var otelgen_results []interface{}; x, lo, hi, otelgen_skip, otelgen_results = otelgen_calc_clamp_enter(x, lo, hi); if otelgen_skip { return otelgen_calc_clamp_skipped(otelgen_results) } };
	return max(lo, min(x, hi))
}

// Ticks counts the calls of Tick.
var Ticks int

// Tick counts.
func Tick() { if otelgen_calc_tick_before != nil { if otelgen_calc_tick_enter() { return } };
	Ticks++
}

// Trampolines of rule calc-clamp on example.com/golden/calc.Clamp, added by otelgen.

type otelgen_calc_clamp_before_func func(*otelgen_call, *int, *int, *int)

// otelgen_calc_clamp_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_calc_clamp_pool, and goes back there cleared when the call ends.
type otelgen_calc_clamp_rec struct {
	c  otelgen_call
	p0 int
	p1 int
	p2 int
}

func otelgen_calc_clamp_enter(otelgen_p0 int, otelgen_p1 int, otelgen_p2 int) (otelgen_o0 int, otelgen_o1 int, otelgen_o2 int, otelgen_skip bool, otelgen_results []interface{}) {
	otelgen_c := otelgen_calc_clamp_get()
	otelgen_c.c.fn = "example.com/golden/calc.Clamp"
	otelgen_c.p0, otelgen_c.p1, otelgen_c.p2 = otelgen_p0, otelgen_p1, otelgen_p2
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
			otelgen_c.p0, otelgen_c.p1, otelgen_c.p2 = otelgen_p0, otelgen_p1, otelgen_p2
		}
		otelgen_o0, otelgen_o1, otelgen_o2 = otelgen_c.p0, otelgen_c.p1, otelgen_c.p2
		otelgen_skip, otelgen_results = otelgen_c.c.skip, otelgen_c.c.results
		*otelgen_c = otelgen_calc_clamp_rec{}
		otelgen_calc_clamp_pool.Put(otelgen_c)
	}()
	otelgen_calc_clamp_before(&otelgen_c.c, &otelgen_c.p0, &otelgen_c.p1, &otelgen_c.p2)
	return
}

func otelgen_calc_clamp_skipped(otelgen_results []interface{}) (otelgen_o0 int) {
	if len(otelgen_results) > 0 {
		otelgen_o0, _ = otelgen_results[0].(int)
	}
	return
}

// Trampolines of rule calc-join on example.com/golden/calc.Join, added by otelgen.

type otelgen_calc_join_after_func func(*otelgen_call, *string, *bool)

// otelgen_calc_join_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_calc_join_pool, and goes back there cleared when the call ends.
type otelgen_calc_join_rec struct {
	c  otelgen_call
	r0 string
	r1 bool
}

func otelgen_calc_join_exit(otelgen_r0 *string, otelgen_r1 *bool) {
	otelgen_c := otelgen_calc_join_get()
	otelgen_c.c.fn = "example.com/golden/calc.Join"
	otelgen_c.r0, otelgen_c.r1 = *otelgen_r0, *otelgen_r1
	defer func() {
		if recover() == nil {
			*otelgen_r0, *otelgen_r1 = otelgen_c.r0, otelgen_c.r1
		}
		*otelgen_c = otelgen_calc_join_rec{}
		otelgen_calc_join_pool.Put(otelgen_c)
	}()
	otelgen_calc_join_after(&otelgen_c.c, &otelgen_c.r0, &otelgen_c.r1)
}

// Trampolines of rule calc-scale on example.com/golden/calc.Scale, added by otelgen.

type otelgen_calc_scale_before_func func(*otelgen_call, *[]int, *int)

type otelgen_calc_scale_after_func func(*otelgen_call, *int)

// otelgen_calc_scale_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_calc_scale_pool, and goes back there cleared when the call ends.
type otelgen_calc_scale_rec struct {
	c  otelgen_call
	p0 []int
	p1 int
	r0 int
}

func otelgen_calc_scale_enter(otelgen_p0 []int, otelgen_p1 int) (otelgen_c *otelgen_calc_scale_rec, otelgen_o0 []int, otelgen_o1 int) {
	otelgen_c = otelgen_calc_scale_get()
	otelgen_c.c.fn = "example.com/golden/calc.Scale"
	otelgen_c.p0, otelgen_c.p1 = otelgen_p0, otelgen_p1
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
			otelgen_c.p0, otelgen_c.p1 = otelgen_p0, otelgen_p1
		}
		otelgen_o0, otelgen_o1 = otelgen_c.p0, otelgen_c.p1
	}()
	otelgen_calc_scale_before(&otelgen_c.c, &otelgen_c.p0, &otelgen_c.p1)
	return
}

func otelgen_calc_scale_exit(otelgen_c *otelgen_calc_scale_rec, otelgen_r0 *int) {
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
		*otelgen_c = otelgen_calc_scale_rec{}
		otelgen_calc_scale_pool.Put(otelgen_c)
	}()
	otelgen_calc_scale_after(&otelgen_c.c, &otelgen_c.r0)
}

func otelgen_calc_scale_skipped(otelgen_results []interface{}) (otelgen_o0 int) {
	if len(otelgen_results) > 0 {
		otelgen_o0, _ = otelgen_results[0].(int)
	}
	return
}

// Trampolines of rule calc-tick on example.com/golden/calc.Tick, added by otelgen.

type otelgen_calc_tick_before_func func(*otelgen_call)

// otelgen_calc_tick_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_calc_tick_pool, and goes back there cleared when the call ends.
type otelgen_calc_tick_rec struct {
	c otelgen_call
}

func otelgen_calc_tick_enter() (otelgen_skip bool) {
	otelgen_c := otelgen_calc_tick_get()
	otelgen_c.c.fn = "example.com/golden/calc.Tick"
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
		}
		otelgen_skip = otelgen_c.c.skip
		*otelgen_c = otelgen_calc_tick_rec{}
		otelgen_calc_tick_pool.Put(otelgen_c)
	}()
	otelgen_calc_tick_before(&otelgen_c.c)
	return
}

// otelgen_calc_join_hooked is Join with its hooks, which it calls when one is bound.
//line example.com/golden/calc/calc.go:14
func otelgen_calc_join_hooked(a string, b string, sep string) (otelgen_r0 string, otelgen_r1 bool) { if otelgen_calc_join_after != nil { defer otelgen_calc_join_exit(&otelgen_r0, &otelgen_r1); };
	if a == "" || b == "" {
		return a + b, false
	}
	return a + sep + b, true
}
