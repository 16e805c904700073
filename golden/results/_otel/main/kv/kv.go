// Package kv is the code that otelgen instruments.
package kv

import "strings"

// Split cuts "key=value" in two. Its results are unnamed.
func Split(s string) (otelgen_r0 string, otelgen_r1 string) { if otelgen_kv_split_after != nil { return otelgen_kv_split_hooked(s) };
	k, v, _ := strings.Cut(s, Separator())
	return k, v
}

// Separator has a single unnamed result, without parentheses.
func Separator() (otelgen_r0 string) { if otelgen_kv_separator_after != nil { return otelgen_kv_separator_hooked() };
	return "="
}

// Trampolines of rule kv-separator on example.com/golden/kv.Separator, added by otelgen.

type otelgen_kv_separator_after_func func(*otelgen_call, *string)

// otelgen_kv_separator_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_kv_separator_pool, and goes back there cleared when the call ends.
type otelgen_kv_separator_rec struct {
	c  otelgen_call
	r0 string
}

func otelgen_kv_separator_exit(otelgen_r0 *string) {
	otelgen_c := otelgen_kv_separator_get()
	otelgen_c.c.fn = "example.com/golden/kv.Separator"
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
		*otelgen_c = otelgen_kv_separator_rec{}
		otelgen_kv_separator_pool.Put(otelgen_c)
	}()
	otelgen_kv_separator_after(&otelgen_c.c, &otelgen_c.r0)
}

// Trampolines of rule kv-split on example.com/golden/kv.Split, added by otelgen.

type otelgen_kv_split_after_func func(*otelgen_call, *string, *string)

// otelgen_kv_split_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_kv_split_pool, and goes back there cleared when the call ends.
type otelgen_kv_split_rec struct {
	c  otelgen_call
	r0 string
	r1 string
}

func otelgen_kv_split_exit(otelgen_r0 *string, otelgen_r1 *string) {
	otelgen_c := otelgen_kv_split_get()
	otelgen_c.c.fn = "example.com/golden/kv.Split"
	otelgen_c.r0, otelgen_c.r1 = *otelgen_r0, *otelgen_r1
	defer func() {
		if recover() == nil {
			*otelgen_r0, *otelgen_r1 = otelgen_c.r0, otelgen_c.r1
		}
		*otelgen_c = otelgen_kv_split_rec{}
		otelgen_kv_split_pool.Put(otelgen_c)
	}()
	otelgen_kv_split_after(&otelgen_c.c, &otelgen_c.r0, &otelgen_c.r1)
}

// otelgen_kv_separator_hooked is Separator with its hooks, which it calls when one is bound.
//line example.com/golden/kv/kv.go:13
func otelgen_kv_separator_hooked() (otelgen_r0 string) { if otelgen_kv_separator_after != nil { defer otelgen_kv_separator_exit(&otelgen_r0); };
	return "="
}

// otelgen_kv_split_hooked is Split with its hooks, which it calls when one is bound.
//line example.com/golden/kv/kv.go:7
func otelgen_kv_split_hooked(s string) (otelgen_r0 string, otelgen_r1 string) { if otelgen_kv_split_after != nil { defer otelgen_kv_split_exit(&otelgen_r0, &otelgen_r1); };
	k, v, _ := strings.Cut(s, Separator())
	return k, v
}
