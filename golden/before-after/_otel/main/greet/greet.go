// Package greet is the code that otelgen instruments.
package greet

// Hello returns a greeting for name.
func Hello(name string) (otelgen_r0 string) { if otelgen_greet_hello_before != nil { var otelgen_c *otelgen_call; otelgen_c, name = otelgen_greet_hello_enter(name); defer func() { otelgen_r0 = otelgen_greet_hello_exit(otelgen_c, otelgen_r0) }(); if otelgen_c.skip { return otelgen_greet_hello_skipped(otelgen_c) } };
	return "hello, " + name
}

// Trampolines of rule greet-hello on example.com/golden/greet.Hello, added by otelgen.

type otelgen_greet_hello_before_func func(*otelgen_call, *string)

type otelgen_greet_hello_after_func func(*otelgen_call, *string)

func otelgen_greet_hello_enter(otelgen_p0 string) (otelgen_c *otelgen_call, otelgen_o0 string) {
	otelgen_c = &otelgen_call{fn: "example.com/golden/greet.Hello"}
	otelgen_o0 = otelgen_p0
	defer func() {
		if recover() != nil {
			otelgen_c.skip, otelgen_c.results = false, nil
			otelgen_o0 = otelgen_p0
		}
	}()
	otelgen_greet_hello_before(otelgen_c, &otelgen_o0)
	return
}

func otelgen_greet_hello_exit(otelgen_c *otelgen_call, otelgen_r0 string) (otelgen_o0 string) {
	otelgen_o0 = otelgen_r0
	defer func() {
		if recover() != nil {
			otelgen_o0 = otelgen_r0
		}
	}()
	otelgen_greet_hello_after(otelgen_c, &otelgen_o0)
	return
}

func otelgen_greet_hello_skipped(otelgen_c *otelgen_call) (otelgen_o0 string) {
	if len(otelgen_c.results) > 0 {
		otelgen_o0, _ = otelgen_c.results[0].(string)
	}
	return
}
