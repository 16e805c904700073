// The test program of the kafka-go integration: against the Kafka broker
// the test names in KAFKA_ADDR (topics "orders" and "audit" of one
// partition each), it writes two messages to "orders", reads them back
// without a consumer group (ReadMessage, then FetchMessage), forwards each
// to "audit" from the reading goroutine and from a goroutine it starts, with
// no context, reads "audit" in the consumer group "auditors" (FetchMessage
// and CommitMessages, then ReadMessage), and writes to a topic that does not
// exist. It prints what the test checks of the headers, then "done".
package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	kafka "github.com/segmentio/kafka-go"
	"go.opentelemetry.io/otel"
)

var tracer = otel.Tracer("app")

// creation is a creation context the program puts in a message itself:
// the integration keeps it, and links the message's span to it.
const creation = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

func main() {
	addr := os.Getenv("KAFKA_ADDR")
	bg := context.Background()

	w := &kafka.Writer{
		Addr: kafka.TCP(addr), Topic: "orders", BatchTimeout: 5 * time.Millisecond,
		Transport: &kafka.Transport{ClientID: "app-writer"},
	}
	msgs := []kafka.Message{
		{Key: []byte("k1"), Value: []byte("first"), Headers: []kafka.Header{{Key: "app-header", Value: []byte("kept")}}},
		{Value: []byte("second")},
	}
	ctx, span := tracer.Start(bg, "produce")
	must(w.WriteMessages(ctx, msgs...))
	span.End()
	// The program's own slice and headers are left as they were.
	fmt.Println("caller-headers", len(msgs[0].Headers), len(msgs[1].Headers))

	fwd := &kafka.Writer{
		Addr: kafka.TCP(addr), Topic: "audit", BatchTimeout: 5 * time.Millisecond,
		Transport: &kafka.Transport{ClientID: "app-writer"},
	}
	r := kafka.NewReader(kafka.ReaderConfig{
		Brokers: []string{addr}, Topic: "orders", Partition: 0, MaxWait: 50 * time.Millisecond,
		Dialer: &kafka.Dialer{ClientID: "app-reader", Timeout: 10 * time.Second},
	})
	m, err := r.ReadMessage(timeout())
	must(err)
	for _, h := range m.Headers {
		fmt.Printf("header %s %s\n", h.Key, h.Value)
	}
	// Work on a goroutine the reader starts, with no context: it nests
	// under the message's processing span.
	var wg sync.WaitGroup
	wg.Go(func() {
		_, work := tracer.Start(context.Background(), "work")
		work.End()
		must(fwd.WriteMessages(context.Background(), kafka.Message{Key: m.Key, Value: m.Value}))
	})
	wg.Wait()
	m, err = r.FetchMessage(timeout())
	must(err)
	must(fwd.WriteMessages(context.Background(), kafka.Message{Key: []byte("k2"), Value: m.Value}))
	must(r.Close())

	g := kafka.NewReader(kafka.ReaderConfig{
		Brokers: []string{addr}, GroupID: "auditors", Topic: "audit", MaxWait: 50 * time.Millisecond,
		Dialer: &kafka.Dialer{ClientID: "app-group", Timeout: 10 * time.Second},
	})
	m, err = g.FetchMessage(timeout())
	must(err)
	must(g.CommitMessages(timeout(), m))
	_, err = g.ReadMessage(timeout())
	must(err)
	must(g.Close())

	bad := &kafka.Writer{Addr: kafka.TCP(addr), Topic: "missing", BatchTimeout: 5 * time.Millisecond, MaxAttempts: 1}
	ctx, span = tracer.Start(bg, "fail")
	tctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	if err := bad.WriteMessages(tctx, kafka.Message{Value: []byte("lost"), Headers: []kafka.Header{{Key: "traceparent", Value: []byte(creation)}}}); err == nil {
		fail("writing to a missing topic did not fail")
	}
	cancel()
	span.End()

	w.Close()
	fwd.Close()
	bad.Close()
	fmt.Println("done")
}

func timeout() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	time.AfterFunc(25*time.Second, cancel)
	return ctx
}

func must(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}
