// Package text is the code that otelgen instruments.
package text

import "strings"

// Upper upper-cases s.
func Upper(s string) (otelgen_r0 string) { if otelgen_text_upper_after != nil { return otelgen_text_upper_hooked(s) };
	return strings.ToUpper(s)
}

// Lower lower-cases s.
func Lower(s string) (otelgen_r0 string) { if otelgen_text_lower_after != nil { return otelgen_text_lower_hooked(s) };
	return strings.ToLower(s)
}

// Title upper-cases the first letter of s. No rule targets it, nor anything
// below it: the trampolines appended to the file make a hunk of their own.
func Title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Trampolines of rule text-lower on example.com/golden/text.Lower, added by otelgen.

type otelgen_text_lower_after_func func(*otelgen_call, *string)

// otelgen_text_lower_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_text_lower_pool, and goes back there cleared when the call ends.
type otelgen_text_lower_rec struct {
	c  otelgen_call
	r0 string
}

func otelgen_text_lower_exit(otelgen_r0 *string) {
	otelgen_c := otelgen_text_lower_get()
	otelgen_c.c.fn = "example.com/golden/text.Lower"
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
		*otelgen_c = otelgen_text_lower_rec{}
		otelgen_text_lower_pool.Put(otelgen_c)
	}()
	otelgen_text_lower_after(&otelgen_c.c, &otelgen_c.r0)
}

// Trampolines of rule text-upper on example.com/golden/text.Upper, added by otelgen.

type otelgen_text_upper_after_func func(*otelgen_call, *string)

// otelgen_text_upper_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_text_upper_pool, and goes back there cleared when the call ends.
type otelgen_text_upper_rec struct {
	c  otelgen_call
	r0 string
}

func otelgen_text_upper_exit(otelgen_r0 *string) {
	otelgen_c := otelgen_text_upper_get()
	otelgen_c.c.fn = "example.com/golden/text.Upper"
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
		*otelgen_c = otelgen_text_upper_rec{}
		otelgen_text_upper_pool.Put(otelgen_c)
	}()
	otelgen_text_upper_after(&otelgen_c.c, &otelgen_c.r0)
}

// otelgen_text_lower_hooked is Lower with its hooks, which it calls when one is bound.
//line example.com/golden/text/text.go:12
func otelgen_text_lower_hooked(s string) (otelgen_r0 string) { if otelgen_text_lower_after != nil { defer otelgen_text_lower_exit(&otelgen_r0); };
	return strings.ToLower(s)
}

// otelgen_text_upper_hooked is Upper with its hooks, which it calls when one is bound.
//line example.com/golden/text/text.go:7
func otelgen_text_upper_hooked(s string) (otelgen_r0 string) { if otelgen_text_upper_after != nil { defer otelgen_text_upper_exit(&otelgen_r0); };
	return strings.ToUpper(s)
}
