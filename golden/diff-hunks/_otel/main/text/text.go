// Package text is the code that otelgen instruments.
package text

import "strings"

// Upper upper-cases s.
func Upper(s string) (otelgen_r0 string) { if otelgen_text_upper_after != nil { otelgen_c := otelgen_text_upper_enter(); defer func() { otelgen_r0 = otelgen_text_upper_exit(otelgen_c, otelgen_r0) }(); };
	return strings.ToUpper(s)
}

// Lower lower-cases s.
func Lower(s string) (otelgen_r0 string) { if otelgen_text_lower_after != nil { otelgen_c := otelgen_text_lower_enter(); defer func() { otelgen_r0 = otelgen_text_lower_exit(otelgen_c, otelgen_r0) }(); };
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

func otelgen_text_lower_enter() *otelgen_call {
	return &otelgen_call{fn: "example.com/golden/text.Lower"}
}

func otelgen_text_lower_exit(otelgen_c *otelgen_call, otelgen_r0 string) (otelgen_o0 string) {
	otelgen_o0 = otelgen_r0
	defer func() {
		if recover() != nil {
			otelgen_o0 = otelgen_r0
		}
	}()
	otelgen_text_lower_after(otelgen_c, &otelgen_o0)
	return
}

func otelgen_text_lower_skipped(otelgen_c *otelgen_call) (otelgen_o0 string) {
	if len(otelgen_c.results) > 0 {
		otelgen_o0, _ = otelgen_c.results[0].(string)
	}
	return
}

// Trampolines of rule text-upper on example.com/golden/text.Upper, added by otelgen.

type otelgen_text_upper_after_func func(*otelgen_call, *string)

func otelgen_text_upper_enter() *otelgen_call {
	return &otelgen_call{fn: "example.com/golden/text.Upper"}
}

func otelgen_text_upper_exit(otelgen_c *otelgen_call, otelgen_r0 string) (otelgen_o0 string) {
	otelgen_o0 = otelgen_r0
	defer func() {
		if recover() != nil {
			otelgen_o0 = otelgen_r0
		}
	}()
	otelgen_text_upper_after(otelgen_c, &otelgen_o0)
	return
}

func otelgen_text_upper_skipped(otelgen_c *otelgen_call) (otelgen_o0 string) {
	if len(otelgen_c.results) > 0 {
		otelgen_o0, _ = otelgen_c.results[0].(string)
	}
	return
}
