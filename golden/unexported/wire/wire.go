// Package wire is the code that otelgen instruments.
package wire

import "fmt"

type conn struct{ peer string }

type frame struct{ payload string }

// Ack is what a peer answers.
type Ack struct{ Bytes int }

func (c *conn) send(f frame, retries int) (Ack, *frame) {
	fmt.Printf("send %q to %s\n", f.payload, c.peer)
	return Ack{Bytes: len(f.payload)}, &f
}

// Send sends payload to peer.
func Send(peer, payload string) int {
	ack, _ := (&conn{peer: peer}).send(frame{payload: payload}, 3)
	return ack.Bytes
}
