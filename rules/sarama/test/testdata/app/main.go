// The test program of the sarama integration: against the Kafka broker the
// test names in KAFKA_ADDR (topics "orders" and "audit" of one partition
// each), it sends three messages to "orders" with a SyncProducer
// (SendMessage, then SendMessages) under a span of its own, and two with an
// AsyncProducer, one of them with a creation context of its own in the
// headers; reads "orders" with a partition consumer, forwarding each
// message to "audit" with no context, from the reading goroutine and from
// a goroutine it starts; reads "audit" in the consumer group "billing",
// working with no context in the handler and marking each message; and
// sends to a topic that does not exist. It prints what the test checks,
// then "done".
package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/IBM/sarama"
	"go.opentelemetry.io/otel"
)

var tracer = otel.Tracer("app")

// creation is a creation context the program puts in a message itself:
// the integration keeps it, and links the message's span to it.
const creation = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

func config(id string) *sarama.Config {
	conf := sarama.NewConfig()
	conf.ClientID = id
	conf.Producer.Return.Successes = true
	conf.Producer.RequiredAcks = sarama.WaitForAll
	conf.Consumer.Offsets.Initial = sarama.OffsetOldest
	conf.Metadata.Retry.Max = 1
	conf.Metadata.Retry.Backoff = 50 * time.Millisecond
	return conf
}

func main() {
	addr := []string{os.Getenv("KAFKA_ADDR")}
	bg := context.Background()
	began := time.Now()
	phase := func(name string) { fmt.Printf("phase %s %.1fs\n", name, time.Since(began).Seconds()) }

	sp, err := sarama.NewSyncProducer(addr, config("app-sync"))
	must(err)
	own := []sarama.RecordHeader{{Key: []byte("app-header"), Value: []byte("kept")}}
	first := &sarama.ProducerMessage{Topic: "orders", Key: sarama.StringEncoder("k1"), Value: sarama.StringEncoder("first"), Headers: own}
	_, span := tracer.Start(bg, "produce")
	_, _, err = sp.SendMessage(first)
	must(err)
	must(sp.SendMessages([]*sarama.ProducerMessage{
		{Topic: "orders", Key: sarama.StringEncoder("k2"), Value: sarama.StringEncoder("second")},
		{Topic: "orders", Key: sarama.StringEncoder("k3"), Value: sarama.StringEncoder("third")},
	}))
	span.End()
	// The program's own headers are as it left them, once sent.
	fmt.Println("caller-headers", len(first.Headers), len(own))

	ap, err := sarama.NewAsyncProducer(addr, config("app-async"))
	must(err)
	ap.Input() <- &sarama.ProducerMessage{Topic: "orders", Key: sarama.StringEncoder("k4"), Value: sarama.StringEncoder("fourth")}
	ap.Input() <- &sarama.ProducerMessage{Topic: "orders", Key: sarama.StringEncoder("k5"), Value: sarama.StringEncoder("fifth"),
		Headers: []sarama.RecordHeader{{Key: []byte("traceparent"), Value: []byte(creation)}}}
	for range 2 {
		select {
		case m := <-ap.Successes():
			fmt.Printf("async-acked %s %d\n", m.Key, m.Offset)
		case perr := <-ap.Errors():
			fail("async: %v", perr)
		}
	}
	must(ap.Close())
	phase("produced")

	cons, err := sarama.NewConsumer(addr, config("app-consumer"))
	must(err)
	pc, err := cons.ConsumePartition("orders", 0, sarama.OffsetOldest)
	must(err)
	seen := 0
	for m := range pc.Messages() {
		for _, h := range m.Headers {
			fmt.Printf("header %s %s %s\n", m.Key, h.Key, h.Value)
		}
		fwd := &sarama.ProducerMessage{Topic: "audit", Key: sarama.ByteEncoder(m.Key), Value: sarama.ByteEncoder(m.Value)}
		if string(m.Key) == "k1" {
			// Work on a goroutine the reader starts, with no context: it
			// nests under the message's processing span.
			var wg sync.WaitGroup
			wg.Go(func() {
				_, work := tracer.Start(context.Background(), "work")
				work.End()
				_, _, err := sp.SendMessage(fwd)
				must(err)
			})
			wg.Wait()
		} else {
			_, _, err := sp.SendMessage(fwd)
			must(err)
		}
		if seen++; seen == 5 {
			break
		}
	}
	must(pc.Close())
	must(cons.Close())
	phase("consumed")

	group, err := sarama.NewConsumerGroup(addr, "billing", config("app-group"))
	must(err)
	ctx, cancel := context.WithTimeout(bg, 60*time.Second)
	h := &handler{cancel: cancel}
	for ctx.Err() == nil {
		if err := group.Consume(ctx, []string{"audit"}, h); err != nil && ctx.Err() == nil {
			fail("consume: %v", err)
		}
	}
	if h.seen != 5 {
		fail("the group saw %d messages", h.seen)
	}
	cancel()
	must(group.Close())
	phase("group")

	bad := config("app-sync")
	bad.Producer.Retry.Max = 0
	bp, err := sarama.NewSyncProducer(addr, bad)
	must(err)
	_, span = tracer.Start(bg, "fail")
	if _, _, err := bp.SendMessage(&sarama.ProducerMessage{Topic: "missing", Value: sarama.StringEncoder("lost")}); err == nil {
		fail("sending to a missing topic did not fail")
	} else {
		fmt.Println("missing:", err)
	}
	span.End()
	must(bp.Close())
	must(sp.Close())
	fmt.Println("done")
}

// handler is the consumer group's handler: it works on each message with
// no context, marks it, and stops the group after five.
type handler struct {
	cancel context.CancelFunc
	mu     sync.Mutex
	seen   int
}

func (h *handler) Setup(sarama.ConsumerGroupSession) error   { return nil }
func (h *handler) Cleanup(sarama.ConsumerGroupSession) error { return nil }

func (h *handler) ConsumeClaim(s sarama.ConsumerGroupSession, claim sarama.ConsumerGroupClaim) error {
	for {
		select {
		case m, ok := <-claim.Messages():
			if !ok {
				return nil
			}
			_, work := tracer.Start(context.Background(), "handle "+string(m.Key))
			work.End()
			s.MarkMessage(m, "")
			h.mu.Lock()
			h.seen++
			if h.seen == 5 {
				h.cancel()
			}
			h.mu.Unlock()
		case <-s.Context().Done():
			return nil
		}
	}
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
