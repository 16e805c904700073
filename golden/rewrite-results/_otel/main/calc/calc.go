// Package calc is the code that otelgen instruments.
package calc

import "errors"

// Divide returns a/b and a%b.
func Divide(a, b int) (quo, rem int, err error) { if otelgen_calc_divide_after != nil { otelgen_c := otelgen_calc_divide_enter(); defer func() { quo, rem, err = otelgen_calc_divide_exit(otelgen_c, quo, rem, err) }(); };
	if b == 0 {
		return 0, 0, errors.New("division by zero")
	}
	return a / b, a % b, nil
}

// Trampolines of rule calc-divide on example.com/golden/calc.Divide, added by otelgen.

type otelgen_calc_divide_after_func func(*otelgen_call, *int, *int, *error)

func otelgen_calc_divide_enter() *otelgen_call {
	return &otelgen_call{fn: "example.com/golden/calc.Divide"}
}

func otelgen_calc_divide_exit(otelgen_c *otelgen_call, otelgen_r0 int, otelgen_r1 int, otelgen_r2 error) (otelgen_o0 int, otelgen_o1 int, otelgen_o2 error) {
	otelgen_o0, otelgen_o1, otelgen_o2 = otelgen_r0, otelgen_r1, otelgen_r2
	defer func() {
		if recover() != nil {
			otelgen_o0, otelgen_o1, otelgen_o2 = otelgen_r0, otelgen_r1, otelgen_r2
		}
	}()
	otelgen_calc_divide_after(otelgen_c, &otelgen_o0, &otelgen_o1, &otelgen_o2)
	return
}

func otelgen_calc_divide_skipped(otelgen_c *otelgen_call) (otelgen_o0 int, otelgen_o1 int, otelgen_o2 error) {
	if len(otelgen_c.results) > 0 {
		otelgen_o0, _ = otelgen_c.results[0].(int)
	}
	if len(otelgen_c.results) > 1 {
		otelgen_o1, _ = otelgen_c.results[1].(int)
	}
	if len(otelgen_c.results) > 2 {
		otelgen_o2, _ = otelgen_c.results[2].(error)
	}
	return
}
