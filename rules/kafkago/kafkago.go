// Package kafkago holds the hooks of the kafka-go rules
// (github.com/segmentio/kafka-go): a PRODUCER span "send {topic}" per
// message a Writer sends, whose context goes into the message's headers,
// and a CONSUMER span "process {topic}" per message a Reader returns, child
// of the producer's span, current on the reading goroutine until it reads
// again. Names, kinds and attributes follow the messaging semantic
// conventions (messaging-spans.md, kafka.md; Development status, as all of
// them): "send" for the operation that publishes a single message, whose
// context is the message's creation context, so PRODUCER; "process" for
// the program's handling of one message, CONSUMER, parented by and linked
// to the creation context, which the conventions allow for a span that
// accounts for one message.
package kafkago

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/internal/kafkamsg"
	"github.com/otelgen/otelgen/rules/sdk"
	"github.com/otelgen/otelgen/rules/sdk/msgmetric"
	kafka "github.com/segmentio/kafka-go"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/otelgen/otelgen/rules/kafkago"

// instruments are the tracer and the messaging instruments, made on first
// use from the global providers, and again when the program installs its
// own providers.
var instruments = sdk.NewInstruments(ScopeName, msgmetric.New)

// extract returns the context the headers carry (span context and
// baggage) and its span context, invalid when they carry none. It extracts
// over a context holding an invalid span of its own: in a program that
// uses the OpenTelemetry API, rules/otelsdk makes SpanFromContext fall
// back to the goroutine's span when a context has none.
func extract(p propagation.TextMapPropagator, hs []kafka.Header) (context.Context, trace.SpanContext) {
	base := trace.ContextWithSpanContext(context.Background(), trace.SpanContext{})
	ctx := p.Extract(base, kafkamsg.StringHeaders(&hs))
	return ctx, trace.SpanContextFromContext(ctx)
}

// server returns server.address and server.port of the first broker of a
// list ("host:port" or "host:port,host:port").
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

// writerClientID is the client id a Writer's connections send.
func writerClientID(w *kafka.Writer) string {
	if t, ok := w.Transport.(*kafka.Transport); ok && t.ClientID != "" {
		return t.ClientID
	}
	if t, ok := kafka.DefaultTransport.(*kafka.Transport); ok && t.ClientID != "" && w.Transport == nil {
		return t.ClientID
	}
	return kafka.DefaultClientID
}

// send is one message's PRODUCER span.
type send struct {
	ctx    context.Context
	span   trace.Span
	mattrs []attribute.KeyValue // the metric's attributes
}

type write struct {
	start time.Time
	sends []send
}

// WriteBefore starts a PRODUCER span per message and injects its context
// into the message's headers, unless the program put a context there
// itself (the span then links to it). The messages are copied first, with
// headers of their own: the caller's slice and headers stay as they were.
func WriteBefore(c *hook.Call, w *kafka.Writer, ctx *context.Context, msgs *[]kafka.Message) {
	if sdk.Disabled() || w == nil || w.Addr == nil || len(*msgs) == 0 {
		return
	}
	in := instruments.Get()
	prop := otel.GetTextMapPropagator()
	parent := gls.Fill(*ctx)
	// The spans are not the goroutine's: rules/otelsdk makes every span
	// started current on its goroutine.
	saved := gls.Save()
	defer gls.Restore(saved)
	common := []attribute.KeyValue{semconv.MessagingSystemKafka}
	var srv []attribute.KeyValue
	if w.Addr != nil {
		srv = server(w.Addr.String())
	}
	clientID := semconv.MessagingClientID(writerClientID(w))
	out := make([]kafka.Message, len(*msgs))
	copy(out, *msgs)
	wr := &write{start: time.Now(), sends: make([]send, len(out))}
	for i := range out {
		m := &out[i]
		topic := w.Topic
		if topic == "" {
			topic = m.Topic
		}
		mattrs := make([]attribute.KeyValue, 0, 6)
		mattrs = append(mattrs, common...)
		mattrs = append(mattrs, semconv.MessagingOperationName("send"), semconv.MessagingOperationTypeSend)
		if topic != "" {
			mattrs = append(mattrs, semconv.MessagingDestinationName(topic))
		}
		mattrs = append(mattrs, srv...)
		attrs := append(mattrs[:len(mattrs):len(mattrs)], clientID, semconv.MessagingMessageBodySize(len(m.Value)))
		if m.Key != nil {
			attrs = append(attrs, semconv.MessagingKafkaMessageKey(string(m.Key)))
		}
		if m.Key != nil && m.Value == nil {
			attrs = append(attrs, semconv.MessagingKafkaMessageTombstone(true))
		}
		opts := []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindProducer), trace.WithAttributes(attrs...)}
		m.Headers = append([]kafka.Header(nil), m.Headers...)
		_, sc := extract(prop, m.Headers)
		own := sc.IsValid()
		if own {
			opts = append(opts, trace.WithLinks(trace.Link{SpanContext: sc}))
		}
		sctx, span := in.Tracer.Start(parent, spanName("send", topic), opts...)
		if !own {
			prop.Inject(sctx, kafkamsg.StringHeaders(&m.Headers))
		}
		wr.sends[i] = send{ctx: sctx, span: span, mattrs: mattrs}
	}
	*msgs = out
	c.Data = wr
}

// WriteAfter ends the messages' spans: with the message's own error when
// the Writer reports one per message (WriteErrors), else the call's. An
// asynchronous Writer returns once the messages are queued: their spans
// cover the queueing.
func WriteAfter(c *hook.Call, err *error) {
	wr, ok := c.Data.(*write)
	if !ok {
		return
	}
	in := instruments.Get()
	elapsed := time.Since(wr.start).Seconds()
	var werrs kafka.WriteErrors
	perMessage := errors.As(*err, &werrs) && len(werrs) == len(wr.sends)
	for i, s := range wr.sends {
		e := *err
		if perMessage {
			e = werrs[i]
		}
		mattrs := s.mattrs
		if e != nil {
			et := errorType(e)
			s.span.SetAttributes(semconv.ErrorTypeKey.String(et))
			s.span.RecordError(e)
			s.span.SetStatus(codes.Error, e.Error())
			mattrs = append(mattrs[:len(mattrs):len(mattrs)], semconv.ErrorTypeKey.String(et))
		}
		s.span.End()
		ctx := context.WithoutCancel(s.ctx)
		in.M.Duration.Float64Histogram.Record(ctx, elapsed, metric.WithAttributes(mattrs...))
		in.M.Sent.Int64Counter.Add(ctx, 1, metric.WithAttributes(mattrs...))
	}
}

// spanName is "{operation} {topic}", or the operation alone.
func spanName(op, topic string) string { return kafkamsg.SpanName(op, topic) }

// A processing span is open from the read that returned its message to the
// next read on the same goroutine (or the Reader's Close, or a failed
// commit of ReadMessage). open maps each such span to what ends it;
// the reading goroutine finds its own through gls.Span, the goroutine's
// innermost live span.
type processing struct {
	reader *kafka.Reader
	token  gls.Token
	start  time.Time
	mattrs []attribute.KeyValue
	ctx    context.Context
	once   sync.Once
}

var open sync.Map // trace.Span -> *processing

// end ends the span of p, with err when not nil.
func (p *processing) end(span trace.Span, err error) {
	p.once.Do(func() {
		mattrs := p.mattrs
		if err != nil {
			et := errorType(err)
			span.SetAttributes(semconv.ErrorTypeKey.String(et))
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
			mattrs = append(mattrs[:len(mattrs):len(mattrs)], semconv.ErrorTypeKey.String(et))
		}
		span.End()
		instruments.Get().M.Process.Float64Histogram.Record(context.WithoutCancel(p.ctx), time.Since(p.start).Seconds(), metric.WithAttributes(mattrs...))
	})
}

// finishCurrent ends the goroutine's current processing span, if it is
// one, and restores the goroutine's spans as they were before its read.
func finishCurrent(err error) {
	s := gls.Span()
	if s == nil {
		return
	}
	v, ok := open.LoadAndDelete(s)
	if !ok {
		return
	}
	p := v.(*processing)
	p.end(s, err)
	gls.Restore(p.token)
}

// FetchBefore ends the span of the message this goroutine read before:
// reading the next one ends its processing.
func FetchBefore(c *hook.Call, r *kafka.Reader, ctx *context.Context) {
	if sdk.Disabled() {
		return
	}
	finishCurrent(nil)
	f := &fetch{r, *ctx}
	if f.ctx == nil {
		f.ctx = context.Background()
	}
	c.Data = f
}

type fetch struct {
	r   *kafka.Reader
	ctx context.Context
}

// FetchAfter starts the CONSUMER span of the message the Reader returned,
// child of the producer's span whose context the headers carry (else of
// the call's context, or the goroutine's span), and makes it the
// goroutine's current span, so that the work the program does with the
// message, context or not, nests under it.
func FetchAfter(c *hook.Call, m *kafka.Message, err *error) {
	f, ok := c.Data.(*fetch)
	if !ok || *err != nil {
		return
	}
	r := f.r
	in := instruments.Get()
	cfg := r.Config()
	topic := m.Topic
	if topic == "" {
		topic = cfg.Topic
	}
	mattrs := make([]attribute.KeyValue, 0, 8)
	mattrs = append(mattrs, semconv.MessagingSystemKafka,
		semconv.MessagingOperationName("process"), semconv.MessagingOperationTypeProcess,
		semconv.MessagingDestinationName(topic),
		semconv.MessagingDestinationPartitionID(strconv.Itoa(m.Partition)))
	if cfg.GroupID != "" {
		mattrs = append(mattrs, semconv.MessagingConsumerGroupName(cfg.GroupID))
	}
	if len(cfg.Brokers) > 0 {
		mattrs = append(mattrs, server(cfg.Brokers[0])...)
	}
	clientID := kafka.DefaultClientID
	if cfg.Dialer != nil && cfg.Dialer.ClientID != "" {
		clientID = cfg.Dialer.ClientID
	}
	attrs := append(mattrs[:len(mattrs):len(mattrs)],
		semconv.MessagingClientID(clientID),
		semconv.MessagingKafkaOffset(int(m.Offset)),
		semconv.MessagingMessageBodySize(len(m.Value)))
	if m.Key != nil {
		attrs = append(attrs, semconv.MessagingKafkaMessageKey(string(m.Key)))
	}
	if m.Key != nil && m.Value == nil {
		attrs = append(attrs, semconv.MessagingKafkaMessageTombstone(true))
	}
	opts := []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindConsumer), trace.WithAttributes(attrs...)}
	parent := gls.Fill(f.ctx)
	if created, sc := extract(otel.GetTextMapPropagator(), m.Headers); sc.IsValid() {
		parent = created
		opts = append(opts, trace.WithLinks(trace.Link{SpanContext: sc}))
	}
	token := gls.Save()
	ctx, span := in.Tracer.Start(parent, spanName("process", topic), opts...)
	gls.Restore(token) // rules/otelsdk made it current: it is, once, below
	in.M.Consumed.Int64Counter.Add(context.WithoutCancel(ctx), 1, metric.WithAttributes(mattrs...))
	p := &processing{reader: r, token: gls.Push(ctx), start: time.Now(), mattrs: mattrs, ctx: ctx}
	open.Store(span, p)
}

// ReadAfter ends the span of a message whose commit failed: ReadMessage
// returns the error, not the message.
func ReadAfter(c *hook.Call, _ *kafka.Message, err *error) {
	if *err != nil {
		finishCurrent(*err)
	}
}

// CloseBefore ends the spans of the messages the Reader returned that are
// still open: this goroutine's, and those of the goroutines that read
// from it and have not read again.
func CloseBefore(c *hook.Call, r *kafka.Reader) {
	if sdk.Disabled() {
		return
	}
	finishCurrent(nil)
	open.Range(func(k, v any) bool {
		if p := v.(*processing); p.reader == r {
			open.Delete(k)
			p.end(k.(trace.Span), nil)
		}
		return true
	})
}

// errorType is the error.type of err: the Kafka protocol's name of a
// broker's error code ("UNKNOWN_TOPIC_OR_PARTITION"), "timeout", or the
// error's Go type.
func errorType(err error) string {
	return kafkamsg.ErrorType(err, func(err error) (int16, bool) {
		var kerr kafka.Error
		if errors.As(err, &kerr) {
			return int16(kerr), true
		}
		return 0, false
	})
}
