// The test program of the franz-go integration: against the Kafka broker
// the test names in KAFKA_ADDR (topics "orders" and "audit" of one
// partition each), it produces three records to "orders" (ProduceSync, and
// Produce with a promise), with a hook of its own on the client; consumes
// them in the group "billing" with PollFetches and EachRecord, forwarding
// each to "audit" with no context, from the iterating goroutine and from a
// goroutine it starts; consumes "audit" without a group with PollRecords,
// working under each record's Context; and produces to a topic that does
// not exist. It prints what the test checks, then "done".
package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.opentelemetry.io/otel"
)

var tracer = otel.Tracer("app")

// creation is a creation context the program puts in a record itself:
// the integration keeps it, and links the record's span to it.
const creation = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

// counter is a hook of the program's own, which the integration's hooks
// must leave in place.
type counter struct{ n atomic.Int64 }

func (c *counter) OnProduceRecordBuffered(*kgo.Record) { c.n.Add(1) }

func main() {
	addr := os.Getenv("KAFKA_ADDR")
	bg := context.Background()

	var own counter
	prod, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.ClientID("app-producer"),
		kgo.DefaultProduceTopic("orders"), kgo.WithHooks(&own), kgo.ProducerLinger(0))
	must(err)

	headers := []kgo.RecordHeader{{Key: "app-header", Value: []byte("kept")}}
	ctx, span := tracer.Start(bg, "produce")
	must(prod.ProduceSync(ctx,
		&kgo.Record{Key: []byte("k1"), Value: []byte("first"), Headers: headers},
		&kgo.Record{Key: []byte("k2"), Value: []byte("second")},
	).FirstErr())
	var wg sync.WaitGroup
	wg.Add(1)
	prod.Produce(ctx, &kgo.Record{Key: []byte("k3"), Value: []byte("third")}, func(_ *kgo.Record, err error) {
		must(err)
		wg.Done()
	})
	wg.Wait()
	span.End()
	fmt.Println("program-hook", own.n.Load())
	fmt.Println("caller-headers", len(headers))

	cons, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.ClientID("app-consumer"),
		kgo.ConsumerGroup("billing"), kgo.ConsumeTopics("orders"),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxWait(100*time.Millisecond))
	must(err)
	for seen := 0; seen < 3; {
		fs := poll(cons, 0)
		fs.EachRecord(func(r *kgo.Record) {
			seen++
			for _, h := range r.Headers {
				fmt.Printf("header %s %s %s\n", r.Key, h.Key, h.Value)
			}
			fwd := &kgo.Record{Topic: "audit", Key: r.Key, Value: r.Value}
			if string(r.Key) == "k1" {
				// Work on a goroutine the iteration starts, with no
				// context: it nests under the record's processing span.
				var wg sync.WaitGroup
				wg.Go(func() {
					_, work := tracer.Start(context.Background(), "work")
					work.End()
					must(prod.ProduceSync(context.Background(), fwd).FirstErr())
				})
				wg.Wait()
				return
			}
			must(prod.ProduceSync(context.Background(), fwd).FirstErr())
		})
	}
	must(cons.CommitUncommittedOffsets(bg))
	cons.Close()

	audit, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.ClientID("app-auditor"),
		kgo.ConsumeTopics("audit"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchMaxWait(100*time.Millisecond))
	must(err)
	for seen := 0; seen < 3; {
		for _, r := range poll(audit, 10).Records() {
			seen++
			_, s := tracer.Start(r.Context, "handle")
			s.End()
		}
	}
	audit.Close()

	ctx, span = tracer.Start(bg, "fail")
	tctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	if err := prod.ProduceSync(tctx, &kgo.Record{Topic: "missing", Value: []byte("lost"), Headers: []kgo.RecordHeader{{Key: "traceparent", Value: []byte(creation)}}}).FirstErr(); err == nil {
		fail("producing to a missing topic did not fail")
	}
	cancel()
	span.End()
	prod.Close()
	fmt.Println("done")
}

// poll polls cl once, failing on a fetch error.
func poll(cl *kgo.Client, max int) kgo.Fetches {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	fs := cl.PollRecords(ctx, max)
	if errs := fs.Errors(); len(errs) > 0 {
		fail("poll: %v", errs)
	}
	return fs
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
