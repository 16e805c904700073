// Package coll is the code that otelgen instruments.
package coll

// Map applies f to every element of xs.
func Map[T, U any](xs []T, f func(T) U) (otelgen_r0 []U) { if otelgen_coll_map_before != nil { var otelgen_c *otelgen_call; otelgen_c, xs, f = otelgen_coll_map_enter[T, U](xs, f); defer func() { otelgen_r0 = otelgen_coll_map_exit[T, U](otelgen_c, otelgen_r0) }(); if otelgen_c.skip { return otelgen_coll_map_skipped[T, U](otelgen_c) } };
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

// Stack is a stack of comparable values.
type Stack[E comparable] struct {
	items []E
}

// Push adds v and returns the new depth.
func (s *Stack[E]) Push(v E) (otelgen_r0 int) { if otelgen_coll_push_before != nil { var otelgen_c *otelgen_call; otelgen_c, v = otelgen_coll_push_enter[E](s, v); defer func() { otelgen_r0 = otelgen_coll_push_exit[E](otelgen_c, otelgen_r0) }(); if otelgen_c.skip { return otelgen_coll_push_skipped[E](otelgen_c) } };
	s.items = append(s.items, v)
	return len(s.items)
}

// Trampolines of rule coll-map on example.com/golden/coll.Map, added by otelgen.

type otelgen_coll_map_before_func func(*otelgen_call, interface{}, interface{})

type otelgen_coll_map_after_func func(*otelgen_call, interface{})

func otelgen_coll_map_enter[T, U any](otelgen_p0 []T, otelgen_p1 func(T) U) (otelgen_c *otelgen_call, otelgen_o0 []T, otelgen_o1 func(T) U) {
	otelgen_c = &otelgen_call{fn: "example.com/golden/coll.Map"}
	otelgen_o0, otelgen_o1 = otelgen_p0, otelgen_p1
	defer func() {
		if recover() != nil {
			otelgen_c.skip, otelgen_c.results = false, nil
			otelgen_o0, otelgen_o1 = otelgen_p0, otelgen_p1
		}
	}()
	otelgen_coll_map_before(otelgen_c, interface{}(&otelgen_o0), interface{}(&otelgen_o1))
	return
}

func otelgen_coll_map_exit[T, U any](otelgen_c *otelgen_call, otelgen_r0 []U) (otelgen_o0 []U) {
	otelgen_o0 = otelgen_r0
	defer func() {
		if recover() != nil {
			otelgen_o0 = otelgen_r0
		}
	}()
	otelgen_coll_map_after(otelgen_c, interface{}(&otelgen_o0))
	return
}

func otelgen_coll_map_skipped[T, U any](otelgen_c *otelgen_call) (otelgen_o0 []U) {
	if len(otelgen_c.results) > 0 {
		otelgen_o0, _ = otelgen_c.results[0].([]U)
	}
	return
}

// Trampolines of rule coll-push on example.com/golden/coll.(*Stack).Push, added by otelgen.

type otelgen_coll_push_before_func func(*otelgen_call, interface{}, interface{})

type otelgen_coll_push_after_func func(*otelgen_call, *int)

func otelgen_coll_push_enter[E comparable](otelgen_recv *Stack[E], otelgen_p0 E) (otelgen_c *otelgen_call, otelgen_o0 E) {
	otelgen_c = &otelgen_call{fn: "example.com/golden/coll.(*Stack).Push"}
	otelgen_o0 = otelgen_p0
	defer func() {
		if recover() != nil {
			otelgen_c.skip, otelgen_c.results = false, nil
			otelgen_o0 = otelgen_p0
		}
	}()
	otelgen_coll_push_before(otelgen_c, interface{}(otelgen_recv), interface{}(&otelgen_o0))
	return
}

func otelgen_coll_push_exit[E comparable](otelgen_c *otelgen_call, otelgen_r0 int) (otelgen_o0 int) {
	otelgen_o0 = otelgen_r0
	defer func() {
		if recover() != nil {
			otelgen_o0 = otelgen_r0
		}
	}()
	otelgen_coll_push_after(otelgen_c, &otelgen_o0)
	return
}

func otelgen_coll_push_skipped[E comparable](otelgen_c *otelgen_call) (otelgen_o0 int) {
	if len(otelgen_c.results) > 0 {
		otelgen_o0, _ = otelgen_c.results[0].(int)
	}
	return
}
