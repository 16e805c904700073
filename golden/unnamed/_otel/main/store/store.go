// Package store is the code that otelgen instruments.
package store

// Store ignores what it is given.
type Store struct{ Name string }

// Get has an unnamed receiver and unnamed parameters.
func (otelgen_recv Store) Get(otelgen_p0 string, otelgen_p1 int) bool { if otelgen_store_get_before != nil { var otelgen_skip bool; var otelgen_results []interface{}; otelgen_p0, otelgen_p1, otelgen_skip, otelgen_results = otelgen_store_get_enter(otelgen_recv, otelgen_p0, otelgen_p1); if otelgen_skip { return otelgen_store_get_skipped(otelgen_results) } };
	return false
}

// Put has a blank receiver and a blank parameter.
func (otelgen_recv *Store) Put(otelgen_p0 string, value int) int { if otelgen_store_put_before != nil { var otelgen_skip bool; var otelgen_results []interface{}; otelgen_p0, value, otelgen_skip, otelgen_results = otelgen_store_put_enter(otelgen_recv, otelgen_p0, value); if otelgen_skip { return otelgen_store_put_skipped(otelgen_results) } };
	return value
}

// Trampolines of rule store-get on example.com/golden/store.Store.Get, added by otelgen.

type otelgen_store_get_before_func func(*otelgen_call, Store, *string, *int)

// otelgen_store_get_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_store_get_pool, and goes back there cleared when the call ends.
type otelgen_store_get_rec struct {
	c  otelgen_call
	p0 string
	p1 int
}

func otelgen_store_get_enter(otelgen_recv Store, otelgen_p0 string, otelgen_p1 int) (otelgen_o0 string, otelgen_o1 int, otelgen_skip bool, otelgen_results []interface{}) {
	otelgen_c := otelgen_store_get_get()
	otelgen_c.c.fn = "example.com/golden/store.Store.Get"
	otelgen_c.p0, otelgen_c.p1 = otelgen_p0, otelgen_p1
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
			otelgen_c.p0, otelgen_c.p1 = otelgen_p0, otelgen_p1
		}
		otelgen_o0, otelgen_o1 = otelgen_c.p0, otelgen_c.p1
		otelgen_skip, otelgen_results = otelgen_c.c.skip, otelgen_c.c.results
		*otelgen_c = otelgen_store_get_rec{}
		otelgen_store_get_pool.Put(otelgen_c)
	}()
	otelgen_store_get_before(&otelgen_c.c, otelgen_recv, &otelgen_c.p0, &otelgen_c.p1)
	return
}

func otelgen_store_get_skipped(otelgen_results []interface{}) (otelgen_o0 bool) {
	if len(otelgen_results) > 0 {
		otelgen_o0, _ = otelgen_results[0].(bool)
	}
	return
}

// Trampolines of rule store-put on example.com/golden/store.(*Store).Put, added by otelgen.

type otelgen_store_put_before_func func(*otelgen_call, *Store, *string, *int)

// otelgen_store_put_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_store_put_pool, and goes back there cleared when the call ends.
type otelgen_store_put_rec struct {
	c  otelgen_call
	p0 string
	p1 int
}

func otelgen_store_put_enter(otelgen_recv *Store, otelgen_p0 string, otelgen_p1 int) (otelgen_o0 string, otelgen_o1 int, otelgen_skip bool, otelgen_results []interface{}) {
	otelgen_c := otelgen_store_put_get()
	otelgen_c.c.fn = "example.com/golden/store.(*Store).Put"
	otelgen_c.p0, otelgen_c.p1 = otelgen_p0, otelgen_p1
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
			otelgen_c.p0, otelgen_c.p1 = otelgen_p0, otelgen_p1
		}
		otelgen_o0, otelgen_o1 = otelgen_c.p0, otelgen_c.p1
		otelgen_skip, otelgen_results = otelgen_c.c.skip, otelgen_c.c.results
		*otelgen_c = otelgen_store_put_rec{}
		otelgen_store_put_pool.Put(otelgen_c)
	}()
	otelgen_store_put_before(&otelgen_c.c, otelgen_recv, &otelgen_c.p0, &otelgen_c.p1)
	return
}

func otelgen_store_put_skipped(otelgen_results []interface{}) (otelgen_o0 int) {
	if len(otelgen_results) > 0 {
		otelgen_o0, _ = otelgen_results[0].(int)
	}
	return
}
