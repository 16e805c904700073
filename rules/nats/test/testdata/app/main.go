// The test program of the NATS integration: against the nats-server the
// test names in NATS_URL, it publishes, subscribes (callback, queue group,
// NextMsg), makes requests and uses JetStream, each group inside a span of
// its own (started with the OpenTelemetry API, as a program does), waits
// for every message to be handled, and prints "done".
package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"
)

// secret is in a message body and a header: no span may hold it.
const secret = "planted-secret-4be1"

var tracer = otel.Tracer("app")

func main() {
	nc, err := nats.Connect(os.Getenv("NATS_URL"))
	must(err)
	var wg sync.WaitGroup

	// Callback subscription: the handler publishes without a context.
	_, err = nc.Subscribe("orders.created", func(m *nats.Msg) {
		defer wg.Done()
		must(nc.Publish("orders.audit", []byte("audit")))
	})
	must(err)
	// A queue group of two members: one of them gets the message.
	for range 2 {
		_, err = nc.QueueSubscribe("jobs.run", "workers", func(m *nats.Msg) { wg.Done() })
		must(err)
	}
	// A responder.
	_, err = nc.Subscribe("svc.echo", func(m *nats.Msg) { must(m.Respond(m.Data)) })
	must(err)
	sync1, err := nc.SubscribeSync("orders.sync")
	must(err)
	must(nc.Flush())

	group("publish", func(ctx context.Context) {
		wg.Add(3)
		must(nc.Publish("orders.created", []byte("0123456789")))
		// A stale traceparent in the program's headers is replaced.
		must(nc.PublishMsg(&nats.Msg{Subject: "orders.created", Data: []byte(secret),
			Header: nats.Header{"X-Secret": []string{secret},
				"traceparent": []string{"00-11111111111111111111111111111111-2222222222222222-01"}}}))
		must(nc.Publish("jobs.run", []byte("job")))
		wg.Wait()
	})

	group("sync", func(ctx context.Context) {
		must(nc.Publish("orders.sync", []byte("one")))
		must(nc.Publish("orders.sync", []byte("two")))
	})
	// Each message's process span lasts until the next receive; what the
	// program does in between nests under it.
	m, err := sync1.NextMsg(5 * time.Second)
	must(err)
	must(nc.Publish("orders.sync.audit", m.Data))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	m, err = sync1.NextMsgWithContext(ctx)
	cancel()
	must(err)
	must(nc.Publish("orders.sync.audit", m.Data))
	must(sync1.Unsubscribe())

	group("request", func(ctx context.Context) {
		_, err := nc.Request("svc.echo", []byte("ping"), 5*time.Second)
		must(err)
		_, err = nc.RequestMsg(&nats.Msg{Subject: "svc.echo", Data: []byte("ping"), Header: nats.Header{"X-App": []string{"1"}}}, 5*time.Second)
		must(err)
		if _, err := nc.Request("svc.nobody", []byte("ping"), time.Second); err == nil {
			fail("request without responders did not fail")
		}
	})
	// A context whose span is not the goroutine's current one ("other"
	// is): the request's parent comes from the context.
	ctx, parent := tracer.Start(context.Background(), "request-ctx")
	_, other := tracer.Start(context.Background(), "other", trace.WithNewRoot())
	_, err = nc.RequestWithContext(ctx, "svc.echo", []byte("ping"))
	must(err)
	other.End()
	parent.End()

	jetStream(nc)
	must(nc.Drain())
	for !nc.IsClosed() {
		time.Sleep(10 * time.Millisecond)
	}
	fmt.Println("done")
}

// jetStream publishes to a stream and consumes it with jetstream.Consume.
func jetStream(nc *nats.Conn) {
	js, err := jetstream.New(nc)
	must(err)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var stream jetstream.Stream
	for {
		stream, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: "ORDERS", Subjects: []string{"js.orders.>"}})
		if err == nil || ctx.Err() != nil {
			break
		}
		time.Sleep(100 * time.Millisecond) // JetStream may still be starting
	}
	must(err)
	group("js-publish", func(ctx context.Context) {
		_, err := js.Publish(ctx, "js.orders.new", []byte("order"))
		must(err)
	})
	cons, err := stream.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{Durable: "worker", AckPolicy: jetstream.AckExplicitPolicy})
	must(err)
	got := make(chan struct{})
	cc, err := cons.Consume(func(m jetstream.Msg) {
		must(nc.Publish("js.audit", m.Data()))
		must(m.Ack())
		close(got)
	})
	must(err)
	select {
	case <-got:
	case <-ctx.Done():
		fail("no JetStream message")
	}
	cc.Stop()
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
