package sarama

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/IBM/sarama"
	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// producer is what the spans record of an AsyncProducer (a SyncProducer
// runs one): its client, and whether the broker answers its produce
// requests (without an answer a message has no offset).
type producer struct {
	*client
	noAcks bool
}

// producers maps each AsyncProducer to its *producer, by address.
var producers sync.Map // uintptr -> *producer

// NewAsyncProducerBefore keeps the client of a new producer (every
// constructor of a SyncProducer or an AsyncProducer comes here).
func NewAsyncProducerBefore(c *hook.Call, cl *sarama.Client) {
	if !sdk.Disabled() && *cl != nil {
		c.Data = *cl
	}
}

// NewAsyncProducerAfter notes what the spans of the new producer record.
func NewAsyncProducerAfter(c *hook.Call, p *sarama.AsyncProducer, err *error) {
	cl, ok := c.Data.(sarama.Client)
	if !ok || *p == nil || *err != nil {
		return
	}
	pr := &producer{client: clientOf(cl)}
	if conf := cl.Config(); conf != nil {
		pr.noAcks = conf.Producer.RequiredAcks == sarama.NoResponse
	}
	producers.Store(pointer(*p), pr)
}

// producerAt is the *producer of the AsyncProducer at p, or nil.
func producerAt(p uintptr) *producer {
	if v, ok := producers.Load(p); ok && p != 0 {
		return v.(*producer)
	}
	return nil
}

// send is one message's PRODUCER span.
type send struct {
	span    trace.Span
	ctx     context.Context
	start   time.Time
	mattrs  []attribute.KeyValue
	client  bool                  // the span has its client's attributes
	headers []sarama.RecordHeader // the program's own, put back once sent
}

// sends maps each message being sent to its span.
var sends sync.Map // *sarama.ProducerMessage -> *send

// root is the parent of a span that has none: it holds an invalid span, so
// that rules/otelsdk does not give it the goroutine's.
var root = trace.ContextWithSpanContext(context.Background(), trace.SpanContext{})

// startSend starts the PRODUCER span of m, child of parent, and injects
// its context into m's headers, unless the program put a context there
// itself (the span then links to it). The headers become a slice of their
// own, so that the program's slice is not written; the program's are put
// back when the span ends. pr may be nil: endSend adds its attributes.
func startSend(m *sarama.ProducerMessage, parent context.Context, pr *producer) {
	if _, ok := sends.Load(m); ok {
		return
	}
	in := instruments.Get()
	prop := otel.GetTextMapPropagator()
	mattrs := make([]attribute.KeyValue, 0, 6)
	mattrs = append(mattrs, semconv.MessagingSystemKafka,
		semconv.MessagingOperationName("send"), semconv.MessagingOperationTypeSend)
	if m.Topic != "" {
		mattrs = append(mattrs, semconv.MessagingDestinationName(m.Topic))
	}
	if pr != nil {
		mattrs = append(mattrs, pr.server...)
	}
	attrs := mattrs[:len(mattrs):len(mattrs)]
	if pr != nil {
		attrs = append(attrs, pr.id)
	}
	if m.Value != nil {
		attrs = append(attrs, semconv.MessagingMessageBodySize(m.Value.Length()))
	}
	if m.Key != nil {
		if key, err := m.Key.Encode(); err == nil {
			attrs = appendKey(attrs, key, m.Value == nil)
		}
	}
	opts := []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindProducer), trace.WithAttributes(attrs...)}
	own := m.Headers
	_, sc := extract(prop, producerHeaders(&own))
	if sc.IsValid() {
		opts = append(opts, trace.WithLinks(trace.Link{SpanContext: sc}))
	}
	// The span is not the goroutine's: rules/otelsdk makes every span
	// started current on its goroutine.
	saved := gls.Save()
	ctx, span := in.Tracer.Start(parent, spanName("send", m.Topic), opts...)
	gls.Restore(saved)
	s := &send{span: span, ctx: ctx, start: time.Now(), mattrs: mattrs, client: pr != nil, headers: m.Headers}
	if !sc.IsValid() {
		hs := m.Headers[:len(m.Headers):len(m.Headers)]
		prop.Inject(ctx, producerHeaders(&hs))
		m.Headers = hs
	}
	sends.Store(m, s)
}

// endSend ends the span of m, if it has one: acknowledged, with its
// partition and offset, or failed with err.
func endSend(m *sarama.ProducerMessage, pr *producer, err error) {
	v, ok := sends.LoadAndDelete(m)
	if !ok {
		return
	}
	s := v.(*send)
	mattrs := s.mattrs
	if !s.client && pr != nil {
		s.span.SetAttributes(pr.id)
		s.span.SetAttributes(pr.server...)
		mattrs = append(mattrs[:len(mattrs):len(mattrs)], pr.server...)
	}
	if err == nil {
		p := semconv.MessagingDestinationPartitionID(strconv.Itoa(int(m.Partition)))
		mattrs = append(mattrs[:len(mattrs):len(mattrs)], p)
		s.span.SetAttributes(p)
		if pr == nil || !pr.noAcks {
			s.span.SetAttributes(semconv.MessagingKafkaOffset(int(m.Offset)))
		}
	} else {
		mattrs = fail(s.span, mattrs, err)
	}
	s.span.End()
	m.Headers = s.headers
	in := instruments.Get()
	ctx := context.WithoutCancel(s.ctx)
	in.M.Duration.Float64Histogram.Record(ctx, since(s.start), metric.WithAttributes(mattrs...))
	in.M.Sent.Int64Counter.Add(ctx, 1, metric.WithAttributes(mattrs...))
}

// syncProducer is the *producer of a SyncProducer: that of the
// AsyncProducer it runs.
func syncProducer(sp any) *producer { return producerAt(field(sp, "producer")) }

// SendMessageBefore starts the span of a message a SyncProducer sends,
// child of the calling goroutine's span.
func SendMessageBefore(c *hook.Call, sp any, msg **sarama.ProducerMessage) {
	if sdk.Disabled() || *msg == nil {
		return
	}
	startSend(*msg, gls.Fill(context.Background()), syncProducer(sp))
	c.Data = *msg
}

// SendMessageAfter ends the span of the message if the producer did not:
// a message refused before it reached the producer's pipeline.
func SendMessageAfter(c *hook.Call, _ *int32, _ *int64, err *error) {
	if m, ok := c.Data.(*sarama.ProducerMessage); ok {
		endSend(m, nil, *err)
	}
}

// SendMessagesBefore starts the spans of the messages a SyncProducer
// sends, children of the calling goroutine's span.
func SendMessagesBefore(c *hook.Call, sp any, msgs *[]*sarama.ProducerMessage) {
	if sdk.Disabled() || len(*msgs) == 0 {
		return
	}
	parent := gls.Fill(context.Background())
	pr := syncProducer(sp)
	for _, m := range *msgs {
		if m != nil {
			startSend(m, parent, pr)
		}
	}
	c.Data = append([]*sarama.ProducerMessage(nil), *msgs...)
}

// SendMessagesAfter ends the spans the producer did not, each with its
// message's own error.
func SendMessagesAfter(c *hook.Call, err *error) {
	msgs, ok := c.Data.([]*sarama.ProducerMessage)
	if !ok {
		return
	}
	var perrs sarama.ProducerErrors
	errors.As(*err, &perrs)
	for _, m := range msgs {
		var e error
		for _, pe := range perrs {
			if pe != nil && pe.Msg == m {
				e = pe.Err
			}
		}
		if e == nil && perrs == nil {
			e = *err
		}
		if m != nil {
			endSend(m, nil, e)
		}
	}
}

// PartitionBefore starts the span of a message an AsyncProducer takes from
// its Input channel (a SyncProducer's has one already), on the producer's
// goroutine: a root, as the sender is not known here.
func PartitionBefore(c *hook.Call, tp any, msg **sarama.ProducerMessage) {
	if sdk.Disabled() || *msg == nil {
		return
	}
	startSend(*msg, root, producerAt(field(tp, "parent")))
}

// ReturnSuccessesBefore ends the spans of acknowledged messages, before
// the program gets them back (Successes, or SendMessage's return).
func ReturnSuccessesBefore(c *hook.Call, p any, batch *[]*sarama.ProducerMessage) {
	if sdk.Disabled() {
		return
	}
	pr := producerAt(pointer(p))
	for _, m := range *batch {
		if m != nil {
			endSend(m, pr, nil)
		}
	}
}

// ReturnErrorsBefore ends the spans of failed messages with their error. A
// message that failed before the producer started its span (too large, no
// transaction) gets one here.
func ReturnErrorsBefore(c *hook.Call, p any, batch *[]*sarama.ProducerMessage, err *error) {
	if sdk.Disabled() {
		return
	}
	pr := producerAt(pointer(p))
	for _, m := range *batch {
		if m != nil {
			startSend(m, root, pr)
			endSend(m, pr, *err)
		}
	}
}

// ReturnErrorBefore is ReturnErrorsBefore for one message.
func ReturnErrorBefore(c *hook.Call, p any, msg **sarama.ProducerMessage, err *error) {
	if sdk.Disabled() || *msg == nil {
		return
	}
	pr := producerAt(pointer(p))
	startSend(*msg, root, pr)
	endSend(*msg, pr, *err)
}
