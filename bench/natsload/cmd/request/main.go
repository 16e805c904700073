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
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/nats-io/nats.go"
)

func main() {
	n := flag.Int("n", 20000, "measured requests")
	warm := flag.Int("warmup", 2000, "requests before measuring")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the measured requests to this file")
	flag.Parse()
	url := os.Getenv("NATS_URL")

	rc, err := nats.Connect(url, nats.Name("responder"))
	check("connect", err)
	defer rc.Close()
	_, err = rc.Subscribe("bench.echo", func(m *nats.Msg) {
		if err := m.Respond(m.Data); err != nil {
			fmt.Fprintln(os.Stderr, "respond:", err)
			os.Exit(1)
		}
	})
	check("subscribe", err)
	// The subscription is the server's before the first request.
	check("flush", rc.Flush())

	nc, err := nats.Connect(url, nats.Name("requester"))
	check("connect", err)
	defer nc.Close()
	payload := []byte("ping")
	request := func() {
		m, err := nc.Request("bench.echo", payload, 5*time.Second)
		if err != nil || !bytes.Equal(m.Data, payload) {
			fmt.Fprintln(os.Stderr, "request:", err)
			os.Exit(1)
		}
	}
	for i := 0; i < *warm; i++ {
		request()
	}
	if *prof != "" {
		f, err := os.Create(*prof)
		check("cpuprofile", err)
		check("cpuprofile", pprof.StartCPUProfile(f))
		defer f.Close()
	}
	cpu0 := cpuTime()
	start := time.Now()
	for i := 0; i < *n; i++ {
		request()
	}
	wall := time.Since(start)
	cpu := cpuTime() - cpu0
	pprof.StopCPUProfile()
	fmt.Printf("ns/op %d cpu_ns/op %d\n", wall.Nanoseconds()/int64(*n), cpu.Nanoseconds()/int64(*n))
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func check(what string, err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, what+":", err)
		os.Exit(1)
	}
}
