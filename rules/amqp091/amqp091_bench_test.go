package amqp091

import (
	"context"
	"net"
	"testing"

	"github.com/otelgen/otelgen/hook"
	amqp "github.com/rabbitmq/amqp091-go"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// BenchmarkMessage runs the hooks of one message's life, as amqp.sh's
// program lives it: published on one channel, delivered to a consumer
// with manual acknowledgement on another, and acked. Spans are recorded
// by the SDK and not exported; the channels are zero values that only
// serve as keys, and the connection's peer is a fixed address. Run with
// -benchmem: the allocations per message are the hooks' and the SDK's.
func BenchmarkMessage(b *testing.B) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	b.Cleanup(func() { tp.Shutdown(context.Background()) })
	peer := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 5672}
	savedPeer := peerOf
	peerOf = func(*amqp.Channel) net.Addr { return peer }
	b.Cleanup(func() { peerOf = savedPeer })
	pub, sub := new(amqp.Channel), new(amqp.Channel)
	queue, tag := "amq.gen-bench", "ctag-bench"
	var manual, f bool
	ConsumeBefore(&hook.Call{}, sub, &queue, &tag, &manual, &f, &f, &f, nil)
	body := make([]byte, 100)
	exchange := ""
	var dtag uint64
	b.ReportAllocs()
	for b.Loop() {
		dtag++
		msg := amqp.Publishing{MessageId: "m", Body: body}
		c := &hook.Call{}
		PublishBefore(c, pub, &exchange, &queue, &f, &f, &msg)
		var err error
		PublishAfter(c, nil, &err)
		d := &amqp.Delivery{Acknowledger: sub, Headers: msg.Headers, RoutingKey: queue,
			MessageId: msg.MessageId, DeliveryTag: dtag, Body: msg.Body}
		DeliverBefore(&hook.Call{}, nil, &tag, &d)
		multiple := false
		AckBefore(&hook.Call{}, sub, &dtag, &multiple)
	}
	CloseBefore(&hook.Call{}, sub)
}
