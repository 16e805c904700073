// Package kv is the code that otelgen instruments.
package kv

import "strings"

// Split cuts "key=value" in two. Its results are unnamed.
func Split(s string) (otelgen_r0 string, otelgen_r1 string) { if otelgen_kv_split_after != nil { otelgen_c := otelgen_kv_split_enter(); defer func() { otelgen_r0, otelgen_r1 = otelgen_kv_split_exit(otelgen_c, otelgen_r0, otelgen_r1) }(); };
	k, v, _ := strings.Cut(s, Separator())
	return k, v
}

// Separator has a single unnamed result, without parentheses.
func Separator() (otelgen_r0 string) { if otelgen_kv_separator_after != nil { otelgen_c := otelgen_kv_separator_enter(); defer func() { otelgen_r0 = otelgen_kv_separator_exit(otelgen_c, otelgen_r0) }(); };
	return "="
}

// Trampolines of rule kv-separator on example.com/golden/kv.Separator, added by otelgen.

type otelgen_kv_separator_after_func func(*otelgen_call, *string)

func otelgen_kv_separator_enter() *otelgen_call {
	return &otelgen_call{fn: "example.com/golden/kv.Separator"}
}

func otelgen_kv_separator_exit(otelgen_c *otelgen_call, otelgen_r0 string) (otelgen_o0 string) {
	otelgen_o0 = otelgen_r0
	defer func() {
		if recover() != nil {
			otelgen_o0 = otelgen_r0
		}
	}()
	otelgen_kv_separator_after(otelgen_c, &otelgen_o0)
	return
}

func otelgen_kv_separator_skipped(otelgen_c *otelgen_call) (otelgen_o0 string) {
	if len(otelgen_c.results) > 0 {
		otelgen_o0, _ = otelgen_c.results[0].(string)
	}
	return
}

// Trampolines of rule kv-split on example.com/golden/kv.Split, added by otelgen.

type otelgen_kv_split_after_func func(*otelgen_call, *string, *string)

func otelgen_kv_split_enter() *otelgen_call {
	return &otelgen_call{fn: "example.com/golden/kv.Split"}
}

func otelgen_kv_split_exit(otelgen_c *otelgen_call, otelgen_r0 string, otelgen_r1 string) (otelgen_o0 string, otelgen_o1 string) {
	otelgen_o0, otelgen_o1 = otelgen_r0, otelgen_r1
	defer func() {
		if recover() != nil {
			otelgen_o0, otelgen_o1 = otelgen_r0, otelgen_r1
		}
	}()
	otelgen_kv_split_after(otelgen_c, &otelgen_o0, &otelgen_o1)
	return
}

func otelgen_kv_split_skipped(otelgen_c *otelgen_call) (otelgen_o0 string, otelgen_o1 string) {
	if len(otelgen_c.results) > 0 {
		otelgen_o0, _ = otelgen_c.results[0].(string)
	}
	if len(otelgen_c.results) > 1 {
		otelgen_o1, _ = otelgen_c.results[1].(string)
	}
	return
}
