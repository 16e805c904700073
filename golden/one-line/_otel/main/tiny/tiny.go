// Package tiny is the code that otelgen instruments.
package tiny

// One returns 1.
func One() (otelgen_r0 int) { if otelgen_tiny_one_before != nil { otelgen_c := otelgen_tiny_one_enter(); defer otelgen_tiny_one_exit(otelgen_c, &otelgen_r0); if otelgen_c.c.skip { return otelgen_tiny_one_skipped(otelgen_c.c.results) } }; return 1 }

// Trampolines of rule tiny-one on example.com/golden/tiny.One, added by otelgen.

type otelgen_tiny_one_before_func func(*otelgen_call)

type otelgen_tiny_one_after_func func(*otelgen_call, *int)

// otelgen_tiny_one_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_tiny_one_pool, and goes back there cleared when the call ends.
type otelgen_tiny_one_rec struct {
	c  otelgen_call
	r0 int
}

func otelgen_tiny_one_enter() (otelgen_c *otelgen_tiny_one_rec) {
	otelgen_c = otelgen_tiny_one_get()
	otelgen_c.c.fn = "example.com/golden/tiny.One"
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
		}
	}()
	otelgen_tiny_one_before(&otelgen_c.c)
	return
}

func otelgen_tiny_one_exit(otelgen_c *otelgen_tiny_one_rec, otelgen_r0 *int) {
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
		*otelgen_c = otelgen_tiny_one_rec{}
		otelgen_tiny_one_pool.Put(otelgen_c)
	}()
	otelgen_tiny_one_after(&otelgen_c.c, &otelgen_c.r0)
}

func otelgen_tiny_one_skipped(otelgen_results []interface{}) (otelgen_o0 int) {
	if len(otelgen_results) > 0 {
		otelgen_o0, _ = otelgen_results[0].(int)
	}
	return
}
