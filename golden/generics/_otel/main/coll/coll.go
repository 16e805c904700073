// Package coll is the code that otelgen instruments.
package coll

// Map applies f to every element of xs.
func Map[T, U any](xs []T, f func(T) U) (otelgen_r0 []U) { if otelgen_coll_map_before != nil { var otelgen_c *otelgen_coll_map_rec[T, U]; otelgen_c, xs, f = otelgen_coll_map_enter[T, U](xs, f); defer otelgen_coll_map_exit[T, U](otelgen_c, &otelgen_r0); if otelgen_c.c.skip { return otelgen_coll_map_skipped[T, U](otelgen_c.c.results) } };
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
func (s *Stack[E]) Push(v E) (otelgen_r0 int) { if otelgen_coll_push_before != nil { var otelgen_c *otelgen_coll_push_rec[E]; otelgen_c, v = otelgen_coll_push_enter[E](s, v); defer otelgen_coll_push_exit[E](otelgen_c, &otelgen_r0); if otelgen_c.c.skip { return otelgen_coll_push_skipped[E](otelgen_c.c.results) } };
	s.items = append(s.items, v)
	return len(s.items)
}

// Deref returns what p points to. Its one type parameter's constraint starts
// with *: in a type declaration, [P *int] would read as an array length.
func Deref[P *int](p P) (otelgen_r0 int) { if otelgen_coll_deref_before != nil { var otelgen_c *otelgen_coll_deref_rec[P]; otelgen_c, p = otelgen_coll_deref_enter[P](p); defer otelgen_coll_deref_exit[P](otelgen_c, &otelgen_r0); if otelgen_c.c.skip { return otelgen_coll_deref_skipped[P](otelgen_c.c.results) } };
	return *p
}

// Trampolines of rule coll-deref on example.com/golden/coll.Deref, added by otelgen.

type otelgen_coll_deref_before_func func(*otelgen_call, interface{})

type otelgen_coll_deref_after_func func(*otelgen_call, *int)

// otelgen_coll_deref_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. A call
// allocates its own: a generic type cannot have one pool.
type otelgen_coll_deref_rec[P *int,] struct {
	c  otelgen_call
	p0 P
	r0 int
}

func otelgen_coll_deref_enter[P *int](otelgen_p0 P) (otelgen_c *otelgen_coll_deref_rec[P], otelgen_o0 P) {
	otelgen_c = new(otelgen_coll_deref_rec[P])
	otelgen_c.c.fn = "example.com/golden/coll.Deref"
	otelgen_c.p0 = otelgen_p0
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
			otelgen_c.p0 = otelgen_p0
		}
		otelgen_o0 = otelgen_c.p0
	}()
	otelgen_coll_deref_before(&otelgen_c.c, interface{}(&otelgen_c.p0))
	return
}

func otelgen_coll_deref_exit[P *int](otelgen_c *otelgen_coll_deref_rec[P], otelgen_r0 *int) {
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
	}()
	otelgen_coll_deref_after(&otelgen_c.c, &otelgen_c.r0)
}

func otelgen_coll_deref_skipped[P *int](otelgen_results []interface{}) (otelgen_o0 int) {
	if len(otelgen_results) > 0 {
		otelgen_o0, _ = otelgen_results[0].(int)
	}
	return
}

// Trampolines of rule coll-map on example.com/golden/coll.Map, added by otelgen.

type otelgen_coll_map_before_func func(*otelgen_call, interface{}, interface{})

type otelgen_coll_map_after_func func(*otelgen_call, interface{})

// otelgen_coll_map_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. A call
// allocates its own: a generic type cannot have one pool.
type otelgen_coll_map_rec[T, U any] struct {
	c  otelgen_call
	p0 []T
	p1 func(T) U
	r0 []U
}

func otelgen_coll_map_enter[T, U any](otelgen_p0 []T, otelgen_p1 func(T) U) (otelgen_c *otelgen_coll_map_rec[T, U], otelgen_o0 []T, otelgen_o1 func(T) U) {
	otelgen_c = new(otelgen_coll_map_rec[T, U])
	otelgen_c.c.fn = "example.com/golden/coll.Map"
	otelgen_c.p0, otelgen_c.p1 = otelgen_p0, otelgen_p1
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
			otelgen_c.p0, otelgen_c.p1 = otelgen_p0, otelgen_p1
		}
		otelgen_o0, otelgen_o1 = otelgen_c.p0, otelgen_c.p1
	}()
	otelgen_coll_map_before(&otelgen_c.c, interface{}(&otelgen_c.p0), interface{}(&otelgen_c.p1))
	return
}

func otelgen_coll_map_exit[T, U any](otelgen_c *otelgen_coll_map_rec[T, U], otelgen_r0 *[]U) {
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
	}()
	otelgen_coll_map_after(&otelgen_c.c, interface{}(&otelgen_c.r0))
}

func otelgen_coll_map_skipped[T, U any](otelgen_results []interface{}) (otelgen_o0 []U) {
	if len(otelgen_results) > 0 {
		otelgen_o0, _ = otelgen_results[0].([]U)
	}
	return
}

// Trampolines of rule coll-push on example.com/golden/coll.(*Stack).Push, added by otelgen.

type otelgen_coll_push_before_func func(*otelgen_call, interface{}, interface{})

type otelgen_coll_push_after_func func(*otelgen_call, *int)

// otelgen_coll_push_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. A call
// allocates its own: a generic type cannot have one pool.
type otelgen_coll_push_rec[E comparable] struct {
	c  otelgen_call
	p0 E
	r0 int
}

func otelgen_coll_push_enter[E comparable](otelgen_recv *Stack[E], otelgen_p0 E) (otelgen_c *otelgen_coll_push_rec[E], otelgen_o0 E) {
	otelgen_c = new(otelgen_coll_push_rec[E])
	otelgen_c.c.fn = "example.com/golden/coll.(*Stack).Push"
	otelgen_c.p0 = otelgen_p0
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
			otelgen_c.p0 = otelgen_p0
		}
		otelgen_o0 = otelgen_c.p0
	}()
	otelgen_coll_push_before(&otelgen_c.c, interface{}(otelgen_recv), interface{}(&otelgen_c.p0))
	return
}

func otelgen_coll_push_exit[E comparable](otelgen_c *otelgen_coll_push_rec[E], otelgen_r0 *int) {
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
	}()
	otelgen_coll_push_after(&otelgen_c.c, &otelgen_c.r0)
}

func otelgen_coll_push_skipped[E comparable](otelgen_results []interface{}) (otelgen_o0 int) {
	if len(otelgen_results) > 0 {
		otelgen_o0, _ = otelgen_results[0].(int)
	}
	return
}
