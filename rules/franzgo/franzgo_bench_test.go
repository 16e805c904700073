package franzgo

import (
	"context"
	"testing"

	"github.com/otelgen/otelgen/hook"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// BenchmarkRecord runs the hooks of one record's life, as kafka.sh's
// program lives it: produced without headers and acknowledged, then
// fetched by a second client, taken from an iterator and finished by the
// next poll. Spans are recorded by the SDK and not exported; metrics go to
// a manual reader that is never read. Run with -benchmem: the allocations
// per record are the hooks' and the SDK's.
func BenchmarkRecord(b *testing.B) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	otel.SetTracerProvider(tp)
	otel.SetMeterProvider(mp)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	b.Cleanup(func() {
		tp.Shutdown(context.Background())
		mp.Shutdown(context.Background())
	})
	newClient := func(id, group string) (*kgo.Client, *client) {
		h := newClient()
		h.clientID = semconv.MessagingClientID(id)
		h.group = group
		h.server = server("127.0.0.1:9092")
		h.ready.Store(true)
		cl := new(kgo.Client) // a key only: no method of it is called
		clients.Store(cl, h)
		return cl, h
	}
	_, prod := newClient("producer", "")
	cons, fetch := newClient("consumer", "")
	defer clients.Delete(cons)
	value := make([]byte, 100)
	b.ReportAllocs()
	var off int64
	for b.Loop() {
		r := &kgo.Record{Topic: "bench", Key: []byte("k"), Value: value, Partition: -1}
		prod.OnProduceRecordBuffered(r)
		r.Partition, r.Offset = 0, off
		prod.OnProduceRecordUnbuffered(r, nil)
		got := &kgo.Record{Topic: r.Topic, Key: r.Key, Value: r.Value, Headers: r.Headers, Partition: 0, Offset: off}
		fetch.OnFetchRecordUnbuffered(got, true)
		NextAfter(&hook.Call{}, &got)
		PollBefore(&hook.Call{}, cons, nil, nil)
		off++
	}
}
