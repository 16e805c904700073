// Package sarama holds the hooks of the sarama rules (github.com/IBM/sarama):
// a PRODUCER span "send {topic}" per message a SyncProducer or an
// AsyncProducer sends, from the moment the producer takes it to the
// broker's acknowledgement (with its partition and offset) or its failure,
// its context injected into the message's headers; and a CONSUMER span
// "process {topic}" per message the program takes from a PartitionConsumer's
// Messages channel (a consumer group's claims are partition consumers),
// child of the producer's span, current on the goroutine that took it
// until it takes the next one, marks it (MarkMessage) or closes the
// consumer. Names, kinds and attributes follow the messaging semantic
// conventions (messaging-spans.md, kafka.md; Development status): "send"
// for publishing one message, whose span is its creation context
// (PRODUCER), "process" for the program's handling of one message
// (CONSUMER), parented by and linked to the creation context.
//
// sarama takes no context: a SyncProducer's send takes its parent from the
// calling goroutine's span; an AsyncProducer's message comes through a
// channel, from a goroutine the hooks cannot know, so its span is a root
// unless the program put a creation context in the message's headers
// itself, which the span then links to and leaves in place.
//
// Messages returns, in place of sarama's buffered channel, a channel
// without a buffer that a goroutine of the hooks feeds from it (see
// consumer.go): the program sees len and cap 0, and gets the same
// messages in the same order.
//
// Much of sarama's state is unexported; the hooks reach it through
// reflection on a few field names (syncProducer.producer,
// topicProducer.parent, partitionConsumer.consumer, consumerGroup.consumer)
// and lose only attributes (client id, server, group) when a release
// renames one.
package sarama

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"time"

	"github.com/IBM/sarama"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/internal/kafkamsg"
	"github.com/otelgen/otelgen/rules/sdk"
	"github.com/otelgen/otelgen/rules/sdk/msgmetric"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/otelgen/otelgen/rules/sarama"

// instruments are the tracer and the messaging instruments, made on first
// use from the global providers, and again when the program installs its
// own providers.
var instruments = sdk.NewInstruments(ScopeName, msgmetric.New)

// producerHeaders is the carrier over a message to send.
func producerHeaders(hs *[]sarama.RecordHeader) kafkamsg.Headers[sarama.RecordHeader] {
	return kafkamsg.Headers[sarama.RecordHeader]{
		List:  hs,
		Key:   func(h sarama.RecordHeader) string { return string(h.Key) },
		Value: func(h sarama.RecordHeader) string { return string(h.Value) },
		Make: func(k, v string) sarama.RecordHeader {
			return sarama.RecordHeader{Key: []byte(k), Value: []byte(v)}
		},
	}
}

// consumerHeaders is the carrier over a received message, read only.
func consumerHeaders(hs *[]*sarama.RecordHeader) kafkamsg.Headers[*sarama.RecordHeader] {
	return kafkamsg.Headers[*sarama.RecordHeader]{
		List: hs,
		Key: func(h *sarama.RecordHeader) string {
			if h == nil {
				return ""
			}
			return string(h.Key)
		},
		Value: func(h *sarama.RecordHeader) string {
			if h == nil {
				return ""
			}
			return string(h.Value)
		},
	}
}

// extract returns the context a carrier holds (span context and baggage)
// and its span context, invalid when it holds none. It extracts over a
// context holding an invalid span of its own: in a program that uses the
// OpenTelemetry API, rules/otelsdk makes SpanFromContext fall back to the
// goroutine's span when a context has none.
func extract(p propagation.TextMapPropagator, c propagation.TextMapCarrier) (context.Context, trace.SpanContext) {
	base := trace.ContextWithSpanContext(context.Background(), trace.SpanContext{})
	ctx := p.Extract(base, c)
	return ctx, trace.SpanContextFromContext(ctx)
}

// client is what the spans record of a sarama client: its client id and
// its first seed broker.
type client struct {
	id     attribute.KeyValue
	server []attribute.KeyValue
	group  string // a consumer group's consumer only
}

// seeds maps each client NewClient made to the server attributes of its
// first seed broker, by the client's address.
var seeds sync.Map // uintptr -> []attribute.KeyValue

// pointer is the address x holds (a pointer, or an interface holding one),
// 0 for anything else.
func pointer(x any) uintptr {
	v := reflect.ValueOf(x)
	if v.Kind() != reflect.Pointer {
		return 0
	}
	return v.Pointer()
}

// field is the address held by the pointer or interface field name of the
// struct x points to, 0 when there is none.
func field(x any, name string) uintptr {
	v := reflect.ValueOf(x)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return 0
	}
	f := v.Elem().FieldByName(name)
	if f.Kind() == reflect.Interface {
		f = f.Elem()
	}
	if f.Kind() != reflect.Pointer {
		return 0
	}
	return f.Pointer()
}

func server(addr string) []attribute.KeyValue {
	host, port, ok := kafkamsg.Server(addr)
	switch {
	case !ok:
		return nil
	case port == 0:
		return []attribute.KeyValue{semconv.ServerAddress(host)}
	}
	return []attribute.KeyValue{semconv.ServerAddress(host), semconv.ServerPort(port)}
}

// NewClientAfter notes the first seed broker of a new client.
func NewClientAfter(c *hook.Call, cl *sarama.Client, err *error) {
	addrs, ok := c.Data.([]string)
	if !ok || *cl == nil || *err != nil || len(addrs) == 0 {
		return
	}
	seeds.Store(pointer(*cl), server(addrs[0]))
}

// NewClientBefore keeps the seed brokers for NewClientAfter.
func NewClientBefore(c *hook.Call, addrs *[]string, _ **sarama.Config) {
	if !sdk.Disabled() {
		c.Data = *addrs
	}
}

// clientOf reads what the spans record of a client. A client a program
// passed to a ...FromClient constructor comes wrapped: the wrapper embeds
// it.
func clientOf(cl sarama.Client) *client {
	if cl == nil {
		return &client{}
	}
	id := "sarama"
	if conf := cl.Config(); conf != nil && conf.ClientID != "" {
		id = conf.ClientID
	}
	out := &client{id: semconv.MessagingClientID(id)}
	for _, p := range []uintptr{pointer(cl), field(cl, "Client")} {
		if v, ok := seeds.Load(p); ok && p != 0 {
			out.server = v.([]attribute.KeyValue)
			break
		}
	}
	return out
}

// errorType is the error.type of err: the Kafka protocol's name of a
// broker's error code ("UNKNOWN_TOPIC_OR_PARTITION"), "timeout", or the
// error's Go type.
func errorType(err error) string {
	return kafkamsg.ErrorType(err, func(err error) (int16, bool) {
		var kerr sarama.KError
		if errors.As(err, &kerr) {
			return int16(kerr), true
		}
		return 0, false
	})
}

// fail records err on span, and returns the metric attributes with its
// error.type.
func fail(span trace.Span, mattrs []attribute.KeyValue, err error) []attribute.KeyValue {
	et := semconv.ErrorTypeKey.String(errorType(err))
	span.SetAttributes(et)
	span.RecordError(err)
	span.SetStatus(codes.Error, err.Error())
	return append(mattrs[:len(mattrs):len(mattrs)], et)
}

// appendKey adds a message's key, and whether it is a tombstone.
func appendKey(attrs []attribute.KeyValue, key []byte, tombstone bool) []attribute.KeyValue {
	if key != nil {
		attrs = append(attrs, semconv.MessagingKafkaMessageKey(string(key)))
		if tombstone {
			attrs = append(attrs, semconv.MessagingKafkaMessageTombstone(true))
		}
	}
	return attrs
}

// nop is the span the hooks embed in their own span type: it gives them
// the OpenTelemetry API's embedded interface.
var nop = trace.SpanFromContext(context.Background())

// spanName is kafkamsg.SpanName.
func spanName(op, topic string) string { return kafkamsg.SpanName(op, topic) }

// since is the time from start to now, in seconds.
func since(start time.Time) float64 { return time.Since(start).Seconds() }
