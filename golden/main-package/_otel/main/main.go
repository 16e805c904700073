// Command golden is itself the code that otelgen instruments.
package main

import "fmt"

func handle(req string) { if otelgen_main_handle_before != nil { var otelgen_skip bool; req, otelgen_skip = otelgen_main_handle_enter(req); if otelgen_skip { return } };
	fmt.Println("handle", req)
}

func main() {
	handle("/index")
}

// Trampolines of rule main-handle on example.com/golden.handle, added by otelgen.

type otelgen_main_handle_before_func func(*otelgen_call, *string)

// otelgen_main_handle_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_main_handle_pool, and goes back there cleared when the call ends.
type otelgen_main_handle_rec struct {
	c  otelgen_call
	p0 string
}

func otelgen_main_handle_enter(otelgen_p0 string) (otelgen_o0 string, otelgen_skip bool) {
	otelgen_c := otelgen_main_handle_get()
	otelgen_c.c.fn = "example.com/golden.handle"
	otelgen_c.p0 = otelgen_p0
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
			otelgen_c.p0 = otelgen_p0
		}
		otelgen_o0 = otelgen_c.p0
		otelgen_skip = otelgen_c.c.skip
		*otelgen_c = otelgen_main_handle_rec{}
		otelgen_main_handle_pool.Put(otelgen_c)
	}()
	otelgen_main_handle_before(&otelgen_c.c, &otelgen_c.p0)
	return
}
