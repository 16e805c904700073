// Package calc is the code that otelgen instruments.
package calc

import "errors"

// Divide returns a/b and a%b.
func Divide(a, b int) (quo, rem int, err error) { if otelgen_calc_divide_after != nil { return otelgen_calc_divide_hooked(a, b) };
	if b == 0 {
		return 0, 0, errors.New("division by zero")
	}
	return a / b, a % b, nil
}

// Trampolines of rule calc-divide on example.com/golden/calc.Divide, added by otelgen.

type otelgen_calc_divide_after_func func(*otelgen_call, *int, *int, *error)

// otelgen_calc_divide_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_calc_divide_pool, and goes back there cleared when the call ends.
type otelgen_calc_divide_rec struct {
	c  otelgen_call
	r0 int
	r1 int
	r2 error
}

func otelgen_calc_divide_exit(otelgen_r0 *int, otelgen_r1 *int, otelgen_r2 *error) {
	otelgen_c := otelgen_calc_divide_get()
	otelgen_c.c.fn = "example.com/golden/calc.Divide"
	otelgen_c.r0, otelgen_c.r1, otelgen_c.r2 = *otelgen_r0, *otelgen_r1, *otelgen_r2
	defer func() {
		if recover() == nil {
			*otelgen_r0, *otelgen_r1, *otelgen_r2 = otelgen_c.r0, otelgen_c.r1, otelgen_c.r2
		}
		*otelgen_c = otelgen_calc_divide_rec{}
		otelgen_calc_divide_pool.Put(otelgen_c)
	}()
	otelgen_calc_divide_after(&otelgen_c.c, &otelgen_c.r0, &otelgen_c.r1, &otelgen_c.r2)
}

// otelgen_calc_divide_hooked is Divide with its hooks, which it calls when one is bound.
//line example.com/golden/calc/calc.go:7
func otelgen_calc_divide_hooked(a int, b int) (quo int, rem int, err error) { if otelgen_calc_divide_after != nil { defer otelgen_calc_divide_exit(&quo, &rem, &err); };
	if b == 0 {
		return 0, 0, errors.New("division by zero")
	}
	return a / b, a % b, nil
}
