// Package greet is the code that otelgen instruments.
package greet

// Hello returns a greeting for name.
func Hello(name string) (otelgen_r0 string) { if otelgen_greet_hello_before != nil { var otelgen_c *otelgen_greet_hello_rec; otelgen_c, name = otelgen_greet_hello_enter(name); defer otelgen_greet_hello_exit(otelgen_c, &otelgen_r0); if otelgen_c.c.skip { return otelgen_greet_hello_skipped(otelgen_c.c.results) } };
	return "hello, " + name
}

// Trampolines of rule greet-hello on example.com/golden/greet.Hello, added by otelgen.

type otelgen_greet_hello_before_func func(*otelgen_call, *string)

type otelgen_greet_hello_after_func func(*otelgen_call, *string)

// otelgen_greet_hello_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_greet_hello_pool, and goes back there cleared when the call ends.
type otelgen_greet_hello_rec struct {
	c  otelgen_call
	p0 string
	r0 string
}

func otelgen_greet_hello_enter(otelgen_p0 string) (otelgen_c *otelgen_greet_hello_rec, otelgen_o0 string) {
	otelgen_c = otelgen_greet_hello_get()
	otelgen_c.c.fn = "example.com/golden/greet.Hello"
	otelgen_c.p0 = otelgen_p0
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
			otelgen_c.p0 = otelgen_p0
		}
		otelgen_o0 = otelgen_c.p0
	}()
	otelgen_greet_hello_before(&otelgen_c.c, &otelgen_c.p0)
	return
}

func otelgen_greet_hello_exit(otelgen_c *otelgen_greet_hello_rec, otelgen_r0 *string) {
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
		*otelgen_c = otelgen_greet_hello_rec{}
		otelgen_greet_hello_pool.Put(otelgen_c)
	}()
	otelgen_greet_hello_after(&otelgen_c.c, &otelgen_c.r0)
}

func otelgen_greet_hello_skipped(otelgen_results []interface{}) (otelgen_o0 string) {
	if len(otelgen_results) > 0 {
		otelgen_o0, _ = otelgen_results[0].(string)
	}
	return
}
