// Package deep holds the functions that otelgen.yaml hooks.
package deep

// Walk recurses n levels, each with a large frame, so that the stack of the
// goroutine that calls it grows (and moves) while it runs. It returns the
// number of levels and tag.
func Walk(n int, tag string) (otelgen_r0 int, otelgen_r1 string) { if otelgen_deep_walk_before != nil { var otelgen_c *otelgen_deep_walk_rec; otelgen_c, n, tag = otelgen_deep_walk_enter(n, tag); defer otelgen_deep_walk_exit(otelgen_c, &otelgen_r0, &otelgen_r1); if otelgen_c.c.skip { return otelgen_deep_walk_skipped(otelgen_c.c.results) } };
	return Grow(n), tag
}

// Grow recurses n levels with a 1 KiB frame each and returns n.
func Grow(n int) int {
	var pad [1024]byte
	pad[n%len(pad)] = byte(n)
	if n == 0 {
		return int(pad[0])
	}
	return Grow(n-1) + 1 + int(pad[n%len(pad)]) - int(byte(n))
}

// Sum returns a+b.
func Sum(a, b int) (otelgen_r0 int) { if otelgen_deep_sum_after != nil { return otelgen_deep_sum_hooked(a, b) };
	return a + b
}

// Trampolines of rule deep-sum on example.com/golden/deep.Sum, added by otelgen.

type otelgen_deep_sum_after_func func(*otelgen_call, *int)

// otelgen_deep_sum_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_deep_sum_pool, and goes back there cleared when the call ends.
type otelgen_deep_sum_rec struct {
	c  otelgen_call
	r0 int
}

func otelgen_deep_sum_exit(otelgen_r0 *int) {
	otelgen_c := otelgen_deep_sum_get()
	otelgen_c.c.fn = "example.com/golden/deep.Sum"
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
		*otelgen_c = otelgen_deep_sum_rec{}
		otelgen_deep_sum_pool.Put(otelgen_c)
	}()
	otelgen_deep_sum_after(&otelgen_c.c, &otelgen_c.r0)
}

// Trampolines of rule deep-walk on example.com/golden/deep.Walk, added by otelgen.

type otelgen_deep_walk_before_func func(*otelgen_call, *int, *string)

type otelgen_deep_walk_after_func func(*otelgen_call, *int, *string)

// otelgen_deep_walk_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_deep_walk_pool, and goes back there cleared when the call ends.
type otelgen_deep_walk_rec struct {
	c  otelgen_call
	p0 int
	p1 string
	r0 int
	r1 string
}

func otelgen_deep_walk_enter(otelgen_p0 int, otelgen_p1 string) (otelgen_c *otelgen_deep_walk_rec, otelgen_o0 int, otelgen_o1 string) {
	otelgen_c = otelgen_deep_walk_get()
	otelgen_c.c.fn = "example.com/golden/deep.Walk"
	otelgen_c.p0, otelgen_c.p1 = otelgen_p0, otelgen_p1
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
			otelgen_c.p0, otelgen_c.p1 = otelgen_p0, otelgen_p1
		}
		otelgen_o0, otelgen_o1 = otelgen_c.p0, otelgen_c.p1
	}()
	otelgen_deep_walk_before(&otelgen_c.c, &otelgen_c.p0, &otelgen_c.p1)
	return
}

func otelgen_deep_walk_exit(otelgen_c *otelgen_deep_walk_rec, otelgen_r0 *int, otelgen_r1 *string) {
	otelgen_c.r0, otelgen_c.r1 = *otelgen_r0, *otelgen_r1
	defer func() {
		if recover() == nil {
			*otelgen_r0, *otelgen_r1 = otelgen_c.r0, otelgen_c.r1
		}
		*otelgen_c = otelgen_deep_walk_rec{}
		otelgen_deep_walk_pool.Put(otelgen_c)
	}()
	otelgen_deep_walk_after(&otelgen_c.c, &otelgen_c.r0, &otelgen_c.r1)
}

func otelgen_deep_walk_skipped(otelgen_results []interface{}) (otelgen_o0 int, otelgen_o1 string) {
	if len(otelgen_results) > 0 {
		otelgen_o0, _ = otelgen_results[0].(int)
	}
	if len(otelgen_results) > 1 {
		otelgen_o1, _ = otelgen_results[1].(string)
	}
	return
}

// otelgen_deep_sum_hooked is Sum with its hooks, which it calls when one is bound.
//line example.com/golden/deep/deep.go:22
func otelgen_deep_sum_hooked(a int, b int) (otelgen_r0 int) { if otelgen_deep_sum_after != nil { defer otelgen_deep_sum_exit(&otelgen_r0); };
	return a + b
}
