// Package work is the code that otelgen instruments.
package work

import "fmt"

// Run does the job.
func Run(job string) { if otelgen_trace_before != nil { var otelgen_c *otelgen_trace_rec; otelgen_c, job = otelgen_trace_enter(job); defer otelgen_trace_exit(otelgen_c); if otelgen_c.c.skip { return } };if otelgen_audit_before != nil { var otelgen_c *otelgen_audit_rec; otelgen_c, job = otelgen_audit_enter(job); defer otelgen_audit_exit(otelgen_c); if otelgen_c.c.skip { return } };
	fmt.Println("run", job)
}

// Trampolines of rule trace on example.com/golden/work.Run, added by otelgen.

type otelgen_trace_before_func func(*otelgen_call, *string)

type otelgen_trace_after_func func(*otelgen_call)

// otelgen_trace_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_trace_pool, and goes back there cleared when the call ends.
type otelgen_trace_rec struct {
	c  otelgen_call
	p0 string
}

func otelgen_trace_enter(otelgen_p0 string) (otelgen_c *otelgen_trace_rec, otelgen_o0 string) {
	otelgen_c = otelgen_trace_get()
	otelgen_c.c.fn = "example.com/golden/work.Run"
	otelgen_c.p0 = otelgen_p0
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
			otelgen_c.p0 = otelgen_p0
		}
		otelgen_o0 = otelgen_c.p0
	}()
	otelgen_trace_before(&otelgen_c.c, &otelgen_c.p0)
	return
}

func otelgen_trace_exit(otelgen_c *otelgen_trace_rec) {
	defer func() {
		recover()
		*otelgen_c = otelgen_trace_rec{}
		otelgen_trace_pool.Put(otelgen_c)
	}()
	otelgen_trace_after(&otelgen_c.c)
}

// Trampolines of rule audit on example.com/golden/work.Run, added by otelgen.

type otelgen_audit_before_func func(*otelgen_call, *string)

type otelgen_audit_after_func func(*otelgen_call)

// otelgen_audit_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_audit_pool, and goes back there cleared when the call ends.
type otelgen_audit_rec struct {
	c  otelgen_call
	p0 string
}

func otelgen_audit_enter(otelgen_p0 string) (otelgen_c *otelgen_audit_rec, otelgen_o0 string) {
	otelgen_c = otelgen_audit_get()
	otelgen_c.c.fn = "example.com/golden/work.Run"
	otelgen_c.p0 = otelgen_p0
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
			otelgen_c.p0 = otelgen_p0
		}
		otelgen_o0 = otelgen_c.p0
	}()
	otelgen_audit_before(&otelgen_c.c, &otelgen_c.p0)
	return
}

func otelgen_audit_exit(otelgen_c *otelgen_audit_rec) {
	defer func() {
		recover()
		*otelgen_c = otelgen_audit_rec{}
		otelgen_audit_pool.Put(otelgen_c)
	}()
	otelgen_audit_after(&otelgen_c.c)
}
