// Command golden is itself the code that otelgen instruments.
package main

import "fmt"

func handle(req string) { if otelgen_main_handle_before != nil { var otelgen_c *otelgen_call; otelgen_c, req = otelgen_main_handle_enter(req); if otelgen_c.skip { return } };
	fmt.Println("handle", req)
}

func main() {
	handle("/index")
}

// Trampolines of rule main-handle on example.com/golden.handle, added by otelgen.

type otelgen_main_handle_before_func func(*otelgen_call, *string)

func otelgen_main_handle_enter(otelgen_p0 string) (otelgen_c *otelgen_call, otelgen_o0 string) {
	otelgen_c = &otelgen_call{fn: "example.com/golden.handle"}
	otelgen_o0 = otelgen_p0
	defer func() {
		if recover() != nil {
			otelgen_c.skip, otelgen_c.results = false, nil
			otelgen_o0 = otelgen_p0
		}
	}()
	otelgen_main_handle_before(otelgen_c, &otelgen_o0)
	return
}
