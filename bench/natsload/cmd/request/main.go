// Command request times NATS request/reply against $NATS_URL, for
// bench/nats.sh: a responder on a connection of its own answers each
// request on the subject bench.echo with its payload, and the loop sends
// -warmup then -n requests with nc.Request on another connection, one at a
// time. It has no instrumentation of its own: the script builds it plain
// and with otelgen. It prints "ns/op N cpu_ns/op M": the wall time per
// request, and the CPU time (user + system, every thread of the process:
// both ends' and the exporter's) per request. With -cpuprofile it writes
// a CPU profile of the measured requests.
package main

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats.go"

	"example.com/loadkit"
)

func main() {
	url := os.Getenv("NATS_URL")

	rc, err := nats.Connect(url, nats.Name("responder"))
	loadkit.Check("connect", err)
	defer rc.Close()
	_, err = rc.Subscribe("bench.echo", func(m *nats.Msg) {
		if err := m.Respond(m.Data); err != nil {
			fmt.Fprintln(os.Stderr, "respond:", err)
			os.Exit(1)
		}
	})
	loadkit.Check("subscribe", err)
	// The subscription is the server's before the first request.
	loadkit.Check("flush", rc.Flush())

	nc, err := nats.Connect(url, nats.Name("requester"))
	loadkit.Check("connect", err)
	defer nc.Close()
	payload := []byte("ping")
	request := func() {
		m, err := nc.Request("bench.echo", payload, 5*time.Second)
		if err != nil || !bytes.Equal(m.Data, payload) {
			fmt.Fprintln(os.Stderr, "request:", err)
			os.Exit(1)
		}
	}
	loadkit.Measure(request)
}
