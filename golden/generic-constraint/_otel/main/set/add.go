package set; import otelgen_cmp "cmp"

import "slices"

// Add inserts v, and returns the size of the set. This file does not import
// cmp.
func (s *Set[T]) Add(v T) (otelgen_r0 int) { if otelgen_set_add_before != nil { var otelgen_c *otelgen_set_add_rec[T]; otelgen_c, v = otelgen_set_add_enter[T](s, v); defer otelgen_set_add_exit[T](otelgen_c, &otelgen_r0); if otelgen_c.c.skip { return otelgen_set_add_skipped[T](otelgen_c.c.results) } };
	if i, found := slices.BinarySearch(s.items, v); !found {
		s.items = slices.Insert(s.items, i, v)
	}
	return len(s.items)
}

// Trampolines of rule set-add on example.com/golden/set.(*Set).Add, added by otelgen.

type otelgen_set_add_before_func func(*otelgen_call, interface{}, interface{})

type otelgen_set_add_after_func func(*otelgen_call, *int)

// otelgen_set_add_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. A call
// allocates its own: a generic type cannot have one pool.
type otelgen_set_add_rec[T otelgen_cmp.Ordered] struct {
	c  otelgen_call
	p0 T
	r0 int
}

func otelgen_set_add_enter[T otelgen_cmp.Ordered](otelgen_recv *Set[T], otelgen_p0 T) (otelgen_c *otelgen_set_add_rec[T], otelgen_o0 T) {
	otelgen_c = new(otelgen_set_add_rec[T])
	otelgen_c.c.fn = "example.com/golden/set.(*Set).Add"
	otelgen_c.p0 = otelgen_p0
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
			otelgen_c.p0 = otelgen_p0
		}
		otelgen_o0 = otelgen_c.p0
	}()
	otelgen_set_add_before(&otelgen_c.c, interface{}(otelgen_recv), interface{}(&otelgen_c.p0))
	return
}

func otelgen_set_add_exit[T otelgen_cmp.Ordered](otelgen_c *otelgen_set_add_rec[T], otelgen_r0 *int) {
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
	}()
	otelgen_set_add_after(&otelgen_c.c, &otelgen_c.r0)
}

func otelgen_set_add_skipped[T otelgen_cmp.Ordered](otelgen_results []interface{}) (otelgen_o0 int) {
	if len(otelgen_results) > 0 {
		otelgen_o0, _ = otelgen_results[0].(int)
	}
	return
}
