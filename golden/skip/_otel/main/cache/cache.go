// Package cache is the code that otelgen instruments.
package cache

import "fmt"

// Load computes the value of key, slowly.
func Load(key string) (otelgen_r0 string, otelgen_r1 error) { if otelgen_cache_load_before != nil { var otelgen_c *otelgen_call; otelgen_c, key = otelgen_cache_load_enter(key); defer func() { otelgen_r0, otelgen_r1 = otelgen_cache_load_exit(otelgen_c, otelgen_r0, otelgen_r1) }(); if otelgen_c.skip { return otelgen_cache_load_skipped(otelgen_c) } };
	fmt.Println("load: computing", key)
	return "computed " + key, nil
}

// Trampolines of rule cache-load on example.com/golden/cache.Load, added by otelgen.

type otelgen_cache_load_before_func func(*otelgen_call, *string)

type otelgen_cache_load_after_func func(*otelgen_call, *string, *error)

func otelgen_cache_load_enter(otelgen_p0 string) (otelgen_c *otelgen_call, otelgen_o0 string) {
	otelgen_c = &otelgen_call{fn: "example.com/golden/cache.Load"}
	otelgen_o0 = otelgen_p0
	defer func() {
		if recover() != nil {
			otelgen_c.skip, otelgen_c.results = false, nil
			otelgen_o0 = otelgen_p0
		}
	}()
	otelgen_cache_load_before(otelgen_c, &otelgen_o0)
	return
}

func otelgen_cache_load_exit(otelgen_c *otelgen_call, otelgen_r0 string, otelgen_r1 error) (otelgen_o0 string, otelgen_o1 error) {
	otelgen_o0, otelgen_o1 = otelgen_r0, otelgen_r1
	defer func() {
		if recover() != nil {
			otelgen_o0, otelgen_o1 = otelgen_r0, otelgen_r1
		}
	}()
	otelgen_cache_load_after(otelgen_c, &otelgen_o0, &otelgen_o1)
	return
}

func otelgen_cache_load_skipped(otelgen_c *otelgen_call) (otelgen_o0 string, otelgen_o1 error) {
	if len(otelgen_c.results) > 0 {
		otelgen_o0, _ = otelgen_c.results[0].(string)
	}
	if len(otelgen_c.results) > 1 {
		otelgen_o1, _ = otelgen_c.results[1].(error)
	}
	return
}
