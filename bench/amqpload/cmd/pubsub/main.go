// Command pubsub publishes small messages to a RabbitMQ queue and consumes
// them, for bench/amqp.sh, which builds it plain and with otelgen. One
// connection to $AMQP_URL, two channels: one publishes messages of -size
// bytes with PublishWithContext to a server-named queue of its own
// (exclusive, removed when the connection closes) through the default
// exchange, one at a time; the other consumes them on a goroutine of its
// own (Consume, manual acknowledgement, prefetch 100) and acks each. It
// publishes -warmup messages and waits until they are consumed, then does
// the same with -n messages, timed, and prints "ns/op N cpu_ns/op M": the
// wall time per message (published and consumed), and the CPU time (user +
// system, every thread of the process: an exporter's too) per message. It
// returns from main, rather than exit, so that an SDK flushes what it
// holds. With -cpuprofile FILE it writes a CPU profile of the timed part.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

func main() {
	n := flag.Int("n", 10000, "measured messages")
	warm := flag.Int("warmup", 1000, "messages before measuring")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the measured part to this file")
	size := flag.Int("size", 100, "bytes of each message's body")
	flag.Parse()
	ctx := context.Background()

	conn, err := amqp.Dial(os.Getenv("AMQP_URL"))
	check("dial", err)
	defer conn.Close()
	pub, err := conn.Channel()
	check("channel", err)
	defer pub.Close()
	sub, err := conn.Channel()
	check("channel", err)
	defer sub.Close()
	q, err := sub.QueueDeclare("", false, true, true, false, nil)
	check("queue", err)
	check("qos", sub.Qos(100, 0, false))
	deliveries, err := sub.Consume(q.Name, "amqpload", false, false, false, false, nil)
	check("consume", err)

	// The messages come in the order they were published, numbered 0, 1,
	// ... in their message id.
	var consumed atomic.Int64
	wake := make(chan struct{}, 1)
	go func() {
		var next int64
		for d := range deliveries {
			if want := strconv.FormatInt(next, 10); d.MessageId != want || len(d.Body) != *size {
				check("consume", fmt.Errorf("message %q of %d bytes, want %s of %d", d.MessageId, len(d.Body), want, *size))
			}
			check("ack", d.Ack(false))
			next++
			consumed.Store(next)
			select {
			case wake <- struct{}{}:
			default:
			}
		}
	}()
	body := make([]byte, *size)
	for i := range body {
		body[i] = 'a' + byte(i%26)
	}
	batch := func(from, count int) {
		for i := from; i < from+count; i++ {
			msg := amqp.Publishing{ContentType: "application/octet-stream", MessageId: strconv.Itoa(i), Body: body}
			check("publish", pub.PublishWithContext(ctx, "", q.Name, false, false, msg))
		}
		deadline := time.After(60 * time.Second)
		for consumed.Load() < int64(from+count) {
			select {
			case <-wake:
			case <-deadline:
				check("consume", fmt.Errorf("%d of %d messages after 60 s", consumed.Load(), from+count))
			}
		}
	}
	batch(0, *warm)
	if *prof != "" {
		f, err := os.Create(*prof)
		check("cpuprofile", err)
		check("cpuprofile", pprof.StartCPUProfile(f))
	}
	cpu0 := cpuTime()
	start := time.Now()
	batch(*warm, *n)
	wall := time.Since(start)
	cpu := cpuTime() - cpu0
	if *prof != "" {
		pprof.StopCPUProfile()
	}
	fmt.Printf("ns/op %d cpu_ns/op %d\n", wall.Nanoseconds()/int64(*n), cpu.Nanoseconds()/int64(*n))
}

func check(what string, err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "amqpload:", what+":", err)
		os.Exit(1)
	}
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
