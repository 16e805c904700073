// Package cache is the code that otelgen instruments.
package cache

import "fmt"

// Load computes the value of key, slowly.
func Load(key string) (otelgen_r0 string, otelgen_r1 error) { if otelgen_cache_load_before != nil { var otelgen_c *otelgen_cache_load_rec; otelgen_c, key = otelgen_cache_load_enter(key); defer otelgen_cache_load_exit(otelgen_c, &otelgen_r0, &otelgen_r1); if otelgen_c.c.skip { return otelgen_cache_load_skipped(otelgen_c.c.results) } };
	fmt.Println("load: computing", key)
	return "computed " + key, nil
}

// Trampolines of rule cache-load on example.com/golden/cache.Load, added by otelgen.

type otelgen_cache_load_before_func func(*otelgen_call, *string)

type otelgen_cache_load_after_func func(*otelgen_call, *string, *error)

// otelgen_cache_load_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_cache_load_pool, and goes back there cleared when the call ends.
type otelgen_cache_load_rec struct {
	c  otelgen_call
	p0 string
	r0 string
	r1 error
}

func otelgen_cache_load_enter(otelgen_p0 string) (otelgen_c *otelgen_cache_load_rec, otelgen_o0 string) {
	otelgen_c = otelgen_cache_load_get()
	otelgen_c.c.fn = "example.com/golden/cache.Load"
	otelgen_c.p0 = otelgen_p0
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
			otelgen_c.p0 = otelgen_p0
		}
		otelgen_o0 = otelgen_c.p0
	}()
	otelgen_cache_load_before(&otelgen_c.c, &otelgen_c.p0)
	return
}

func otelgen_cache_load_exit(otelgen_c *otelgen_cache_load_rec, otelgen_r0 *string, otelgen_r1 *error) {
	otelgen_c.r0, otelgen_c.r1 = *otelgen_r0, *otelgen_r1
	defer func() {
		if recover() == nil {
			*otelgen_r0, *otelgen_r1 = otelgen_c.r0, otelgen_c.r1
		}
		*otelgen_c = otelgen_cache_load_rec{}
		otelgen_cache_load_pool.Put(otelgen_c)
	}()
	otelgen_cache_load_after(&otelgen_c.c, &otelgen_c.r0, &otelgen_c.r1)
}

func otelgen_cache_load_skipped(otelgen_results []interface{}) (otelgen_o0 string, otelgen_o1 error) {
	if len(otelgen_results) > 0 {
		otelgen_o0, _ = otelgen_results[0].(string)
	}
	if len(otelgen_results) > 1 {
		otelgen_o1, _ = otelgen_results[1].(error)
	}
	return
}
