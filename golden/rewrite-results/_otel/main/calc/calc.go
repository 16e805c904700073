// Package calc is the code that otelgen instruments.
package calc

import "errors"

// Divide returns a/b and a%b.
func Divide(a, b int) (quo, rem int, err error) { if otelgen_calc_divide_after != nil { defer otelgen_calc_divide_exit(&quo, &rem, &err); };
	if b == 0 {
		return 0, 0, errors.New("division by zero")
	}
	return a / b, a % b, nil
}

// Trampolines of rule calc-divide on example.com/golden/calc.Divide, added by otelgen.

type otelgen_calc_divide_after_func func(*otelgen_call, *int, *int, *error)

func otelgen_calc_divide_exit(otelgen_r0 *int, otelgen_r1 *int, otelgen_r2 *error) {
	otelgen_c := &otelgen_call{fn: "example.com/golden/calc.Divide"}
	otelgen_v0, otelgen_v1, otelgen_v2 := *otelgen_r0, *otelgen_r1, *otelgen_r2
	defer func() {
		if recover() != nil {
			*otelgen_r0, *otelgen_r1, *otelgen_r2 = otelgen_v0, otelgen_v1, otelgen_v2
		}
	}()
	otelgen_calc_divide_after((*otelgen_call)(otelgen_noescape(otelgen_pointer(otelgen_c))), (*int)(otelgen_noescape(otelgen_pointer(otelgen_r0))), (*int)(otelgen_noescape(otelgen_pointer(otelgen_r1))), (*error)(otelgen_noescape(otelgen_pointer(otelgen_r2))))
}
