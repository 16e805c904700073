// Package tiny is the code that otelgen instruments.
package tiny

import "fmt"

// Counter counts nothing; Get says so.
type Counter int

// Get returns the counter. Its receiver has no name.
func (otelgen_recv Counter) Get() (otelgen_r0 int) { if otelgen_tiny_get_after != nil { return otelgen_tiny_get_hooked(otelgen_recv) }; return 42 }

// Sum adds its arguments.
func Sum(xs ...int) (otelgen_r0 int) { if otelgen_tiny_sum_after != nil { return otelgen_tiny_sum_hooked(xs...) };
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

// First returns the first element of xs, or T's zero value.
func First[T any](xs []T) (v T) { if otelgen_tiny_first_after != nil { return otelgen_tiny_first_hooked[T](xs) };
	if len(xs) > 0 {
		v = xs[0]
	}
	return
}

// Note prints s.
func Note(s string) { if otelgen_tiny_note_after != nil { otelgen_tiny_note_hooked(s); return };
	fmt.Println("note", s)
}

// Trampolines of rule tiny-first on example.com/golden/tiny.First, added by otelgen.

type otelgen_tiny_first_after_func func(*otelgen_call, interface{})

// otelgen_tiny_first_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. A call
// allocates its own: a generic type cannot have one pool.
type otelgen_tiny_first_rec[T any] struct {
	c  otelgen_call
	r0 T
}

func otelgen_tiny_first_exit[T any](otelgen_r0 *T) {
	otelgen_c := new(otelgen_tiny_first_rec[T])
	otelgen_c.c.fn = "example.com/golden/tiny.First"
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
	}()
	otelgen_tiny_first_after(&otelgen_c.c, interface{}(&otelgen_c.r0))
}

// Trampolines of rule tiny-get on example.com/golden/tiny.Counter.Get, added by otelgen.

type otelgen_tiny_get_after_func func(*otelgen_call, *int)

// otelgen_tiny_get_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_tiny_get_pool, and goes back there cleared when the call ends.
type otelgen_tiny_get_rec struct {
	c  otelgen_call
	r0 int
}

func otelgen_tiny_get_exit(otelgen_r0 *int) {
	otelgen_c := otelgen_tiny_get_get()
	otelgen_c.c.fn = "example.com/golden/tiny.Counter.Get"
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
		*otelgen_c = otelgen_tiny_get_rec{}
		otelgen_tiny_get_pool.Put(otelgen_c)
	}()
	otelgen_tiny_get_after(&otelgen_c.c, &otelgen_c.r0)
}

// Trampolines of rule tiny-note on example.com/golden/tiny.Note, added by otelgen.

type otelgen_tiny_note_after_func func(*otelgen_call)

// otelgen_tiny_note_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_tiny_note_pool, and goes back there cleared when the call ends.
type otelgen_tiny_note_rec struct {
	c otelgen_call
}

func otelgen_tiny_note_exit() {
	otelgen_c := otelgen_tiny_note_get()
	otelgen_c.c.fn = "example.com/golden/tiny.Note"
	defer func() {
		recover()
		*otelgen_c = otelgen_tiny_note_rec{}
		otelgen_tiny_note_pool.Put(otelgen_c)
	}()
	otelgen_tiny_note_after(&otelgen_c.c)
}

// Trampolines of rule tiny-sum on example.com/golden/tiny.Sum, added by otelgen.

type otelgen_tiny_sum_after_func func(*otelgen_call, *int)

// otelgen_tiny_sum_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_tiny_sum_pool, and goes back there cleared when the call ends.
type otelgen_tiny_sum_rec struct {
	c  otelgen_call
	r0 int
}

func otelgen_tiny_sum_exit(otelgen_r0 *int) {
	otelgen_c := otelgen_tiny_sum_get()
	otelgen_c.c.fn = "example.com/golden/tiny.Sum"
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
		*otelgen_c = otelgen_tiny_sum_rec{}
		otelgen_tiny_sum_pool.Put(otelgen_c)
	}()
	otelgen_tiny_sum_after(&otelgen_c.c, &otelgen_c.r0)
}

// otelgen_tiny_first_hooked is First with its hooks, which it calls when one is bound.
//line example.com/golden/tiny/tiny.go:22
func otelgen_tiny_first_hooked[T any](xs []T) (v T) { if otelgen_tiny_first_after != nil { defer otelgen_tiny_first_exit[T](&v); };
	if len(xs) > 0 {
		v = xs[0]
	}
	return
}

// otelgen_tiny_get_hooked is Counter.Get with its hooks, which it calls when one is bound.
//line example.com/golden/tiny/tiny.go:10
func otelgen_tiny_get_hooked(otelgen_recv Counter) (otelgen_r0 int) { if otelgen_tiny_get_after != nil { defer otelgen_tiny_get_exit(&otelgen_r0); }; return 42 }

// otelgen_tiny_note_hooked is Note with its hooks, which it calls when one is bound.
//line example.com/golden/tiny/tiny.go:30
func otelgen_tiny_note_hooked(s string) { if otelgen_tiny_note_after != nil { defer otelgen_tiny_note_exit(); };
	fmt.Println("note", s)
}

// otelgen_tiny_sum_hooked is Sum with its hooks, which it calls when one is bound.
//line example.com/golden/tiny/tiny.go:13
func otelgen_tiny_sum_hooked(xs ...int) (otelgen_r0 int) { if otelgen_tiny_sum_after != nil { defer otelgen_tiny_sum_exit(&otelgen_r0); };
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}
