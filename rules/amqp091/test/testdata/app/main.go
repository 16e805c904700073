// The test program of the RabbitMQ integration: against the RabbitMQ node
// the test names in AMQP_URL, it publishes (with and without a context, with
// a deferred confirmation, on a closed channel), consumes with Consume
// (manual and automatic acknowledgement) and with Get, each group inside a
// span of its own (started with the OpenTelemetry API, as a program does),
// waits for every message to be handled, and prints "done".
package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"
)

// secret is in a message body and a header: no span may hold it.
const secret = "planted-secret-71d2"

var tracer = otel.Tracer("app")

func main() {
	conn, err := amqp.Dial(os.Getenv("AMQP_URL"))
	must(err)
	ch, err := conn.Channel()
	must(err)
	for _, q := range []string{"rq.orders", "rq.jobs", "rq.audit", "rq.events.q"} {
		_, err := ch.QueueDeclare(q, false, false, false, false, nil)
		must(err)
		_, err = ch.QueuePurge(q, false)
		must(err)
	}
	must(ch.ExchangeDeclare("rq.events", "topic", false, false, false, false, nil))
	must(ch.QueueBind("rq.events.q", "order.*", "rq.events", false, nil))

	// Consumers: one with a tag the library makes up and manual acks, one
	// with a tag of the program's and automatic acks.
	cch, err := conn.Channel()
	must(err)
	orders, err := cch.Consume("rq.orders", "", false, false, false, false, nil)
	must(err)
	events, err := cch.Consume("rq.events.q", "events-consumer", true, false, false, false, nil)
	must(err)
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		for d := range orders {
			must(d.Ack(false))
			wg.Done()
		}
	}()
	go func() {
		for range events {
			wg.Done()
		}
	}()

	group("publish", func(ctx context.Context) {
		// A stale traceparent in the program's headers is replaced.
		must(ch.Publish("", "rq.orders", false, false, amqp.Publishing{
			Body: []byte("0123456789"), MessageId: "m-1", CorrelationId: "c-1",
			Headers: amqp.Table{"x-secret": secret, "traceparent": "00-11111111111111111111111111111111-2222222222222222-01"},
		}))
		must(ch.PublishWithContext(ctx, "rq.events", "order.created", false, false, amqp.Publishing{Body: []byte(secret)}))
	})

	// A context whose span is not the goroutine's current one ("other"
	// is): the publish's parent comes from the context.
	ctx, parent := tracer.Start(context.Background(), "publish-ctx")
	_, other := tracer.Start(context.Background(), "other", trace.WithNewRoot())
	pch, err := conn.Channel()
	must(err)
	must(pch.Confirm(false))
	dc, err := pch.PublishWithDeferredConfirmWithContext(ctx, "", "rq.orders", false, false, amqp.Publishing{Body: []byte("confirmed")})
	must(err)
	if !dc.Wait() {
		fail("publish not confirmed")
	}
	other.End()
	parent.End()
	wg.Wait()

	group("jobs", func(context.Context) {
		must(ch.Publish("", "rq.jobs", false, false, amqp.Publishing{Body: []byte("job-1")}))
		must(ch.Publish("", "rq.jobs", false, false, amqp.Publishing{Body: []byte("job-2")}))
	})
	// Get: the delivery's span is current until it is settled; the
	// context-less publish in between nests under it.
	gch, err := conn.Channel()
	must(err)
	d := get(gch, "rq.jobs", false)
	must(gch.Publish("", "rq.audit", false, false, amqp.Publishing{Body: d.Body}))
	must(d.Ack(false))
	// With auto-ack, until the next Get or the channel's Close.
	d = get(gch, "rq.jobs", true)
	must(gch.Publish("", "rq.audit", false, false, amqp.Publishing{Body: d.Body}))
	must(gch.Close())

	group("closed", func(context.Context) {
		xch, err := conn.Channel()
		must(err)
		must(xch.Close())
		if err := xch.Publish("", "rq.orders", false, false, amqp.Publishing{Body: []byte("lost")}); err == nil {
			fail("publish on a closed channel did not fail")
		}
	})

	must(cch.Close())
	must(pch.Close())
	must(ch.Close())
	must(conn.Close())
	fmt.Println("done")
}

// get waits for a message on queue and returns it.
func get(ch *amqp.Channel, queue string, autoAck bool) amqp.Delivery {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		d, ok, err := ch.Get(queue, autoAck)
		must(err)
		if ok {
			return d
		}
	}
	fail("no message on %s", queue)
	return amqp.Delivery{}
}

// group runs f inside a span named name.
func group(name string, f func(ctx context.Context)) {
	ctx, span := tracer.Start(context.Background(), name)
	defer span.End()
	f(ctx)
}

func must(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "app: "+format+"\n", args...)
	os.Exit(1)
}
