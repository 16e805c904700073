// Package wire is the code that otelgen instruments.
package wire

import "fmt"

type conn struct{ peer string }

type frame struct{ payload string }

// Ack is what a peer answers.
type Ack struct{ Bytes int }

func (c *conn) send(f frame, retries int) (otelgen_r0 Ack, otelgen_r1 *frame) { if otelgen_wire_send_before != nil { var otelgen_c *otelgen_wire_send_rec; otelgen_c, f, retries = otelgen_wire_send_enter(c, f, retries); defer otelgen_wire_send_exit(otelgen_c, &otelgen_r0, &otelgen_r1); if otelgen_c.c.skip { return otelgen_wire_send_skipped(otelgen_c.c.results) } };
	fmt.Printf("send %q to %s\n", f.payload, c.peer)
	return Ack{Bytes: len(f.payload)}, &f
}

// Send sends payload to peer.
func Send(peer, payload string) int {
	ack, _ := (&conn{peer: peer}).send(frame{payload: payload}, 3)
	return ack.Bytes
}

// Trampolines of rule wire-send on example.com/golden/wire.(*conn).send, added by otelgen.

type otelgen_wire_send_before_func func(*otelgen_call, interface{}, interface{}, *int)

type otelgen_wire_send_after_func func(*otelgen_call, *Ack, interface{})

// otelgen_wire_send_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_wire_send_pool, and goes back there cleared when the call ends.
type otelgen_wire_send_rec struct {
	c  otelgen_call
	p0 frame
	p1 int
	r0 Ack
	r1 *frame
}

func otelgen_wire_send_enter(otelgen_recv *conn, otelgen_p0 frame, otelgen_p1 int) (otelgen_c *otelgen_wire_send_rec, otelgen_o0 frame, otelgen_o1 int) {
	otelgen_c = otelgen_wire_send_get()
	otelgen_c.c.fn = "example.com/golden/wire.(*conn).send"
	otelgen_c.p0, otelgen_c.p1 = otelgen_p0, otelgen_p1
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
			otelgen_c.p0, otelgen_c.p1 = otelgen_p0, otelgen_p1
		}
		otelgen_o0, otelgen_o1 = otelgen_c.p0, otelgen_c.p1
	}()
	otelgen_wire_send_before(&otelgen_c.c, interface{}(otelgen_recv), interface{}(&otelgen_c.p0), &otelgen_c.p1)
	return
}

func otelgen_wire_send_exit(otelgen_c *otelgen_wire_send_rec, otelgen_r0 *Ack, otelgen_r1 **frame) {
	otelgen_c.r0, otelgen_c.r1 = *otelgen_r0, *otelgen_r1
	defer func() {
		if recover() == nil {
			*otelgen_r0, *otelgen_r1 = otelgen_c.r0, otelgen_c.r1
		}
		*otelgen_c = otelgen_wire_send_rec{}
		otelgen_wire_send_pool.Put(otelgen_c)
	}()
	otelgen_wire_send_after(&otelgen_c.c, &otelgen_c.r0, interface{}(&otelgen_c.r1))
}

func otelgen_wire_send_skipped(otelgen_results []interface{}) (otelgen_o0 Ack, otelgen_o1 *frame) {
	if len(otelgen_results) > 0 {
		otelgen_o0, _ = otelgen_results[0].(Ack)
	}
	if len(otelgen_results) > 1 {
		otelgen_o1, _ = otelgen_results[1].(*frame)
	}
	return
}
