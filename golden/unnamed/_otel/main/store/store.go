// Package store is the code that otelgen instruments.
package store

// Store ignores what it is given.
type Store struct{ Name string }

// Get has an unnamed receiver and unnamed parameters.
func (otelgen_recv Store) Get(otelgen_p0 string, otelgen_p1 int) bool { if otelgen_store_get_before != nil { var otelgen_c *otelgen_call; otelgen_c, otelgen_p0, otelgen_p1 = otelgen_store_get_enter(otelgen_recv, otelgen_p0, otelgen_p1); if otelgen_c.skip { return otelgen_store_get_skipped(otelgen_c) } };
	return false
}

// Put has a blank receiver and a blank parameter.
func (otelgen_recv *Store) Put(otelgen_p0 string, value int) int { if otelgen_store_put_before != nil { var otelgen_c *otelgen_call; otelgen_c, otelgen_p0, value = otelgen_store_put_enter(otelgen_recv, otelgen_p0, value); if otelgen_c.skip { return otelgen_store_put_skipped(otelgen_c) } };
	return value
}

// Trampolines of rule store-get on example.com/golden/store.Store.Get, added by otelgen.

type otelgen_store_get_before_func func(*otelgen_call, Store, *string, *int)

func otelgen_store_get_enter(otelgen_recv Store, otelgen_p0 string, otelgen_p1 int) (otelgen_c *otelgen_call, otelgen_o0 string, otelgen_o1 int) {
	otelgen_c = &otelgen_call{fn: "example.com/golden/store.Store.Get"}
	otelgen_o0, otelgen_o1 = otelgen_p0, otelgen_p1
	defer func() {
		if recover() != nil {
			otelgen_c.skip, otelgen_c.results = false, nil
			otelgen_o0, otelgen_o1 = otelgen_p0, otelgen_p1
		}
	}()
	otelgen_store_get_before(otelgen_c, otelgen_recv, &otelgen_o0, &otelgen_o1)
	return
}

func otelgen_store_get_skipped(otelgen_c *otelgen_call) (otelgen_o0 bool) {
	if len(otelgen_c.results) > 0 {
		otelgen_o0, _ = otelgen_c.results[0].(bool)
	}
	return
}

// Trampolines of rule store-put on example.com/golden/store.(*Store).Put, added by otelgen.

type otelgen_store_put_before_func func(*otelgen_call, *Store, *string, *int)

func otelgen_store_put_enter(otelgen_recv *Store, otelgen_p0 string, otelgen_p1 int) (otelgen_c *otelgen_call, otelgen_o0 string, otelgen_o1 int) {
	otelgen_c = &otelgen_call{fn: "example.com/golden/store.(*Store).Put"}
	otelgen_o0, otelgen_o1 = otelgen_p0, otelgen_p1
	defer func() {
		if recover() != nil {
			otelgen_c.skip, otelgen_c.results = false, nil
			otelgen_o0, otelgen_o1 = otelgen_p0, otelgen_p1
		}
	}()
	otelgen_store_put_before(otelgen_c, otelgen_recv, &otelgen_o0, &otelgen_o1)
	return
}

func otelgen_store_put_skipped(otelgen_c *otelgen_call) (otelgen_o0 int) {
	if len(otelgen_c.results) > 0 {
		otelgen_o0, _ = otelgen_c.results[0].(int)
	}
	return
}
