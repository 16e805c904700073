// Package franzgo holds the hooks of the franz-go rules
// (github.com/twmb/franz-go/pkg/kgo). Every client NewClient makes gets
// hooks of kgo's own (kgo.WithHooks, after the program's): a PRODUCER span
// "send {topic}" per record produced (Produce, ProduceSync, TryProduce),
// from the call to the broker's acknowledgement, its context injected into
// the record's headers; a CONSUMER span "process {topic}" per record a poll
// returns (PollFetches, PollRecords), child of the producer's span, set as
// the record's Context. A record's processing ends when the program takes
// the next record from the same iterator (Fetches.EachRecord,
// RecordIter), polls again, or closes the client; while the program
// iterates, the record's span is also the goroutine's current span, so
// that work done without a context nests under it. Names, kinds and
// attributes follow the messaging semantic conventions (messaging-spans.md,
// kafka.md; Development status): "send" for publishing one message, whose
// span is its creation context (PRODUCER), "process" for the program's
// handling of one message (CONSUMER), parented by and linked to the
// creation context, as the conventions allow for a span of one message.
package franzgo

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/internal/kafkamsg"
	"github.com/otelgen/otelgen/rules/sdk"
	"github.com/otelgen/otelgen/rules/sdk/msgmetric"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/otelgen/otelgen/rules/franzgo"

// instruments are the tracer and the messaging instruments, made on first
// use from the global providers, and again when the program installs its
// own providers.
var instruments = sdk.NewInstruments(ScopeName, msgmetric.New)

// extract returns the context the headers carry (span context and
// baggage) and its span context, invalid when they carry none. It extracts
// over a context holding an invalid span of its own: in a program that
// uses the OpenTelemetry API, rules/otelsdk makes SpanFromContext fall
// back to the goroutine's span when a context has none.
func extract(p propagation.TextMapPropagator, hs []kgo.RecordHeader) (context.Context, trace.SpanContext) {
	base := trace.ContextWithSpanContext(context.Background(), trace.SpanContext{})
	ctx := p.Extract(base, kafkamsg.StringHeaders(&hs))
	return ctx, trace.SpanContextFromContext(ctx)
}

// client is what the hooks know of one kgo client: its settings, read
// once NewClient returns, and the spans of the records it returned that
// are still being processed.
type client struct {
	ready    atomic.Bool
	clientID attribute.KeyValue
	group    string
	server   []attribute.KeyValue

	mu   sync.Mutex
	open map[*kgo.Record]*processing
}

// processing is the CONSUMER span of one polled record.
type processing struct {
	span   trace.Span
	ctx    context.Context
	start  time.Time
	mattrs []attribute.KeyValue
	token  gls.Token
	pushed bool // guarded by the client's mu
	once   sync.Once
}

// clients maps each *kgo.Client to its *client, for the hooks on the
// client's methods.
var clients sync.Map

// NewClientBefore adds the hooks to the client's options, after the
// program's own hooks.
func NewClientBefore(c *hook.Call, opts *[]kgo.Opt) {
	if sdk.Disabled() {
		return
	}
	h := &client{open: map[*kgo.Record]*processing{}}
	*opts = append((*opts)[:len(*opts):len(*opts)], kgo.WithHooks(h))
	c.Data = h
}

// NewClientAfter reads the settings the spans record off the new client.
func NewClientAfter(c *hook.Call, cl **kgo.Client, err *error) {
	h, ok := c.Data.(*client)
	if !ok || *cl == nil {
		return
	}
	id, _ := (*cl).OptValue(kgo.ClientID).(string)
	if id == "" {
		id = "kgo"
	}
	h.clientID = semconv.MessagingClientID(id)
	h.group, _ = (*cl).OptValue(kgo.ConsumerGroup).(string)
	if seeds, _ := (*cl).OptValue(kgo.SeedBrokers).([]string); len(seeds) > 0 {
		h.server = server(seeds[0])
	}
	h.ready.Store(true)
	clients.Store(*cl, h)
}

// server returns server.address and server.port of a broker's host:port.
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

// sends maps each record being produced to its span.
var sends sync.Map // *kgo.Record -> *send

type send struct {
	span   trace.Span
	ctx    context.Context
	start  time.Time
	mattrs []attribute.KeyValue
}

// OnProduceRecordBuffered starts the PRODUCER span of a record, on the
// goroutine that produces it, and injects its context into the record's
// headers, unless the program put a context there itself (the span then
// links to it).
func (h *client) OnProduceRecordBuffered(r *kgo.Record) {
	if sdk.Disabled() || !h.ready.Load() {
		return
	}
	in := instruments.Get()
	prop := otel.GetTextMapPropagator()
	mattrs := make([]attribute.KeyValue, 0, 6)
	mattrs = append(mattrs, semconv.MessagingSystemKafka,
		semconv.MessagingOperationName("send"), semconv.MessagingOperationTypeSend)
	if r.Topic != "" {
		mattrs = append(mattrs, semconv.MessagingDestinationName(r.Topic))
	}
	mattrs = append(mattrs, h.server...)
	attrs := append(mattrs[:len(mattrs):len(mattrs)], h.clientID, semconv.MessagingMessageBodySize(len(r.Value)))
	attrs = appendKey(attrs, r)
	opts := []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindProducer), trace.WithAttributes(attrs...)}
	_, sc := extract(prop, r.Headers)
	own := sc.IsValid()
	if own {
		opts = append(opts, trace.WithLinks(trace.Link{SpanContext: sc}))
	}
	parent := r.Context
	if parent == nil {
		parent = context.Background()
	}
	// The span is not the goroutine's: rules/otelsdk makes every span
	// started current on its goroutine.
	saved := gls.Save()
	ctx, span := in.Tracer.Start(gls.Fill(parent), spanName("send", r.Topic), opts...)
	gls.Restore(saved)
	if !own {
		// A copy, so that the program's own slice is not written.
		r.Headers = r.Headers[:len(r.Headers):len(r.Headers)]
		prop.Inject(ctx, kafkamsg.StringHeaders(&r.Headers))
	}
	sends.Store(r, &send{span: span, ctx: ctx, start: time.Now(), mattrs: mattrs})
}

// OnProduceRecordUnbuffered ends the PRODUCER span of a record, when the
// broker acknowledged it (with its partition and offset) or it failed.
func (h *client) OnProduceRecordUnbuffered(r *kgo.Record, err error) {
	v, ok := sends.LoadAndDelete(r)
	if !ok {
		return
	}
	s := v.(*send)
	in := instruments.Get()
	mattrs := s.mattrs
	if r.Partition >= 0 && err == nil {
		p := semconv.MessagingDestinationPartitionID(strconv.Itoa(int(r.Partition)))
		mattrs = append(mattrs[:len(mattrs):len(mattrs)], p)
		s.span.SetAttributes(p, semconv.MessagingKafkaOffset(int(r.Offset)))
	}
	if err != nil {
		et := errorType(err)
		s.span.SetAttributes(semconv.ErrorTypeKey.String(et))
		s.span.RecordError(err)
		s.span.SetStatus(codes.Error, err.Error())
		mattrs = append(mattrs[:len(mattrs):len(mattrs)], semconv.ErrorTypeKey.String(et))
	}
	s.span.End()
	ctx := context.WithoutCancel(s.ctx)
	in.M.Duration.Float64Histogram.Record(ctx, time.Since(s.start).Seconds(), metric.WithAttributes(mattrs...))
	in.M.Sent.Int64Counter.Add(ctx, 1, metric.WithAttributes(mattrs...))
}

// OnFetchRecordUnbuffered starts the CONSUMER span of a record a poll
// returns, on the polling goroutine: child of the producer's span whose
// context the headers carry, else of the goroutine's span; the record's
// Context carries it.
func (h *client) OnFetchRecordUnbuffered(r *kgo.Record, polled bool) {
	if !polled || sdk.Disabled() || !h.ready.Load() {
		return
	}
	in := instruments.Get()
	mattrs := make([]attribute.KeyValue, 0, 8)
	mattrs = append(mattrs, semconv.MessagingSystemKafka,
		semconv.MessagingOperationName("process"), semconv.MessagingOperationTypeProcess,
		semconv.MessagingDestinationName(r.Topic),
		semconv.MessagingDestinationPartitionID(strconv.Itoa(int(r.Partition))))
	if h.group != "" {
		mattrs = append(mattrs, semconv.MessagingConsumerGroupName(h.group))
	}
	mattrs = append(mattrs, h.server...)
	attrs := append(mattrs[:len(mattrs):len(mattrs)], h.clientID,
		semconv.MessagingKafkaOffset(int(r.Offset)), semconv.MessagingMessageBodySize(len(r.Value)))
	attrs = appendKey(attrs, r)
	opts := []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindConsumer), trace.WithAttributes(attrs...)}
	parent := gls.Fill(context.Background())
	if created, sc := extract(otel.GetTextMapPropagator(), r.Headers); sc.IsValid() {
		parent = created
		opts = append(opts, trace.WithLinks(trace.Link{SpanContext: sc}))
	}
	// The span becomes current on the goroutine only while the program
	// iterates over its record (NextAfter), not from the poll on.
	saved := gls.Save()
	ctx, span := in.Tracer.Start(parent, spanName("process", r.Topic), opts...)
	gls.Restore(saved)
	in.M.Consumed.Int64Counter.Add(context.WithoutCancel(ctx), 1, metric.WithAttributes(mattrs...))
	r.Context = ctx
	h.mu.Lock()
	h.open[r] = &processing{span: span, ctx: ctx, start: time.Now(), mattrs: mattrs}
	h.mu.Unlock()
}

// appendKey adds the record's key, and whether it is a tombstone.
func appendKey(attrs []attribute.KeyValue, r *kgo.Record) []attribute.KeyValue {
	if r.Key != nil {
		attrs = append(attrs, semconv.MessagingKafkaMessageKey(string(r.Key)))
		if r.Value == nil {
			attrs = append(attrs, semconv.MessagingKafkaMessageTombstone(true))
		}
	}
	return attrs
}

func (p *processing) end() {
	p.once.Do(func() {
		p.span.End()
		instruments.Get().M.Process.Float64Histogram.Record(context.WithoutCancel(p.ctx), time.Since(p.start).Seconds(), metric.WithAttributes(p.mattrs...))
	})
}

// iterated holds the records whose spans an iteration made current on
// some goroutine, by span, for that goroutine to find again from gls.Span.
var iterated sync.Map // trace.Span -> *iteration

type iteration struct {
	h *client
	r *kgo.Record
	p *processing
}

// finishCurrent ends the processing of the record the goroutine took last
// from an iterator, if its span is the goroutine's current one, and
// restores the goroutine's spans as they were.
func finishCurrent() {
	s := gls.Span()
	if s == nil {
		return
	}
	v, ok := iterated.LoadAndDelete(s)
	if !ok {
		return
	}
	it := v.(*iteration)
	it.h.mu.Lock()
	delete(it.h.open, it.r)
	it.h.mu.Unlock()
	it.p.end()
	gls.Restore(it.p.token)
}

// finishAll ends the processing of every record the client returned.
func finishAll(cl *kgo.Client) {
	finishCurrent()
	v, ok := clients.Load(cl)
	if !ok {
		return
	}
	h := v.(*client)
	h.mu.Lock()
	open := h.open
	h.open = map[*kgo.Record]*processing{}
	h.mu.Unlock()
	for _, p := range open {
		iterated.Delete(p.span)
		p.end()
	}
}

// PollBefore ends the processing of the records the client's last polls
// returned: the program polls again when it is done with them.
func PollBefore(c *hook.Call, cl *kgo.Client, _ *context.Context, _ *int) {
	if !sdk.Disabled() {
		finishAll(cl)
	}
}

// CloseBefore ends the processing of the records the client returned.
func CloseBefore(c *hook.Call, cl *kgo.Client) {
	if !sdk.Disabled() {
		finishAll(cl)
	}
}

// NextAfter ends the processing of the record the goroutine took before
// from an iterator, and makes the span of the record it takes now the
// goroutine's current span.
func NextAfter(c *hook.Call, r **kgo.Record) {
	if sdk.Disabled() {
		return
	}
	finishCurrent()
	rec := *r
	if rec == nil || rec.Context == nil {
		return
	}
	var h *client
	var p *processing
	clients.Range(func(_, v any) bool {
		hc := v.(*client)
		hc.mu.Lock()
		if p = hc.open[rec]; p != nil {
			h = hc
			if p.pushed {
				p = nil // taken twice: once is enough
			}
			if p != nil {
				p.pushed = true
			}
		}
		hc.mu.Unlock()
		return h == nil
	})
	if p == nil {
		return
	}
	p.token = gls.Push(p.ctx)
	iterated.Store(p.span, &iteration{h: h, r: rec, p: p})
}

// spanName is "{operation} {topic}", or the operation alone.
func spanName(op, topic string) string { return kafkamsg.SpanName(op, topic) }

// errorType is the error.type of err: the Kafka protocol's name of a
// broker's error code ("UNKNOWN_TOPIC_OR_PARTITION"), "timeout", or the
// error's Go type.
func errorType(err error) string {
	return kafkamsg.ErrorType(err, func(err error) (int16, bool) {
		var kerror *kerr.Error
		if errors.As(err, &kerror) {
			return kerror.Code, true
		}
		return 0, false
	})
}
