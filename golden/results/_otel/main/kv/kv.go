// Package kv is the code that otelgen instruments.
package kv

import "strings"

// Split cuts "key=value" in two. Its results are unnamed.
func Split(s string) (otelgen_r0 string, otelgen_r1 string) { if otelgen_kv_split_after != nil { defer otelgen_kv_split_exit(&otelgen_r0, &otelgen_r1); };
	k, v, _ := strings.Cut(s, Separator())
	return k, v
}

// Separator has a single unnamed result, without parentheses.
func Separator() (otelgen_r0 string) { if otelgen_kv_separator_after != nil { defer otelgen_kv_separator_exit(&otelgen_r0); };
	return "="
}

// Trampolines of rule kv-separator on example.com/golden/kv.Separator, added by otelgen.

type otelgen_kv_separator_after_func func(*otelgen_call, *string)

func otelgen_kv_separator_exit(otelgen_r0 *string) {
	otelgen_c := &otelgen_call{fn: "example.com/golden/kv.Separator"}
	otelgen_v0 := *otelgen_r0
	defer func() {
		if recover() != nil {
			*otelgen_r0 = otelgen_v0
		}
	}()
	otelgen_kv_separator_after((*otelgen_call)(otelgen_noescape(otelgen_pointer(otelgen_c))), (*string)(otelgen_noescape(otelgen_pointer(otelgen_r0))))
}

// Trampolines of rule kv-split on example.com/golden/kv.Split, added by otelgen.

type otelgen_kv_split_after_func func(*otelgen_call, *string, *string)

func otelgen_kv_split_exit(otelgen_r0 *string, otelgen_r1 *string) {
	otelgen_c := &otelgen_call{fn: "example.com/golden/kv.Split"}
	otelgen_v0, otelgen_v1 := *otelgen_r0, *otelgen_r1
	defer func() {
		if recover() != nil {
			*otelgen_r0, *otelgen_r1 = otelgen_v0, otelgen_v1
		}
	}()
	otelgen_kv_split_after((*otelgen_call)(otelgen_noescape(otelgen_pointer(otelgen_c))), (*string)(otelgen_noescape(otelgen_pointer(otelgen_r0))), (*string)(otelgen_noescape(otelgen_pointer(otelgen_r1))))
}
