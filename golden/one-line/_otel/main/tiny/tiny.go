// Package tiny is the code that otelgen instruments.
package tiny

// One returns 1.
func One() (otelgen_r0 int) { if otelgen_tiny_one_before != nil { otelgen_c := otelgen_tiny_one_enter(); defer func() { otelgen_r0 = otelgen_tiny_one_exit(otelgen_c, otelgen_r0) }(); if otelgen_c.skip { return otelgen_tiny_one_skipped(otelgen_c) } }; return 1 }

// Trampolines of rule tiny-one on example.com/golden/tiny.One, added by otelgen.

type otelgen_tiny_one_before_func func(*otelgen_call)

type otelgen_tiny_one_after_func func(*otelgen_call, *int)

func otelgen_tiny_one_enter() (otelgen_c *otelgen_call) {
	otelgen_c = &otelgen_call{fn: "example.com/golden/tiny.One"}
	defer func() {
		if recover() != nil {
			otelgen_c.skip, otelgen_c.results = false, nil
		}
	}()
	otelgen_tiny_one_before(otelgen_c)
	return
}

func otelgen_tiny_one_exit(otelgen_c *otelgen_call, otelgen_r0 int) (otelgen_o0 int) {
	otelgen_o0 = otelgen_r0
	defer func() {
		if recover() != nil {
			otelgen_o0 = otelgen_r0
		}
	}()
	otelgen_tiny_one_after(otelgen_c, &otelgen_o0)
	return
}

func otelgen_tiny_one_skipped(otelgen_c *otelgen_call) (otelgen_o0 int) {
	if len(otelgen_c.results) > 0 {
		otelgen_o0, _ = otelgen_c.results[0].(int)
	}
	return
}
