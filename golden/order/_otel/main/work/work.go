// Package work is the code that otelgen instruments.
package work

import "fmt"

// Run does the job.
func Run(job string) { if otelgen_trace_before != nil { var otelgen_c *otelgen_call; otelgen_c, job = otelgen_trace_enter(job); defer otelgen_trace_exit(otelgen_c); if otelgen_c.skip { return } };if otelgen_audit_before != nil { var otelgen_c *otelgen_call; otelgen_c, job = otelgen_audit_enter(job); defer otelgen_audit_exit(otelgen_c); if otelgen_c.skip { return } };
	fmt.Println("run", job)
}

// Trampolines of rule trace on example.com/golden/work.Run, added by otelgen.

type otelgen_trace_before_func func(*otelgen_call, *string)

type otelgen_trace_after_func func(*otelgen_call)

func otelgen_trace_enter(otelgen_p0 string) (otelgen_c *otelgen_call, otelgen_o0 string) {
	otelgen_c = &otelgen_call{fn: "example.com/golden/work.Run"}
	otelgen_o0 = otelgen_p0
	defer func() {
		if recover() != nil {
			otelgen_c.skip, otelgen_c.results = false, nil
			otelgen_o0 = otelgen_p0
		}
	}()
	otelgen_trace_before(otelgen_c, &otelgen_o0)
	return
}

func otelgen_trace_exit(otelgen_c *otelgen_call) {
	defer func() {
		if recover() != nil {
		}
	}()
	otelgen_trace_after(otelgen_c)
	return
}

// Trampolines of rule audit on example.com/golden/work.Run, added by otelgen.

type otelgen_audit_before_func func(*otelgen_call, *string)

type otelgen_audit_after_func func(*otelgen_call)

func otelgen_audit_enter(otelgen_p0 string) (otelgen_c *otelgen_call, otelgen_o0 string) {
	otelgen_c = &otelgen_call{fn: "example.com/golden/work.Run"}
	otelgen_o0 = otelgen_p0
	defer func() {
		if recover() != nil {
			otelgen_c.skip, otelgen_c.results = false, nil
			otelgen_o0 = otelgen_p0
		}
	}()
	otelgen_audit_before(otelgen_c, &otelgen_o0)
	return
}

func otelgen_audit_exit(otelgen_c *otelgen_call) {
	defer func() {
		if recover() != nil {
		}
	}()
	otelgen_audit_after(otelgen_c)
	return
}
