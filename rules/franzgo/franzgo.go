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

// noSpan is a context holding an invalid span of its own, the base of
// extract: in a program that uses the OpenTelemetry API, rules/otelsdk
// makes SpanFromContext fall back to the goroutine's span when a context
// has none.
var noSpan = trace.ContextWithSpanContext(context.Background(), trace.SpanContext{})

// extract returns the context the headers carry (span context and
// baggage) and its span context, invalid when they carry none.
func extract(p propagation.TextMapPropagator, hs *[]kgo.RecordHeader) (context.Context, trace.SpanContext) {
	ctx := p.Extract(noSpan, (*headers)(hs))
	return ctx, trace.SpanContextFromContext(ctx)
}

// headers is the propagation carrier over a record's headers (the
// carrier of internal/kafkamsg, without its closures, which cost an
// allocation each per record).
type headers []kgo.RecordHeader

// Get returns the value of the first header named key, or "".
func (c *headers) Get(key string) string {
	for _, h := range *c {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

// Set replaces the header named key, or appends one.
func (c *headers) Set(key, value string) {
	for i, h := range *c {
		if h.Key == key {
			(*c)[i] = kgo.RecordHeader{Key: key, Value: []byte(value)}
			return
		}
	}
	*c = append(*c, kgo.RecordHeader{Key: key, Value: []byte(value)})
}

// Keys returns the headers' names.
func (c *headers) Keys() []string {
	keys := make([]string, len(*c))
	for i, h := range *c {
		keys[i] = h.Key
	}
	return keys
}

// The span kinds' options, made once: an option is an interface.
var (
	producer = trace.WithSpanKind(trace.SpanKindProducer)
	consumer = trace.WithSpanKind(trace.SpanKindConsumer)
)

// spanNames keeps the span name of the topic a client used last for one
// operation, so that a client that keeps to one topic does not make the
// name at every record.
type spanNames struct {
	op   string
	last atomic.Pointer[[2]string] // topic, name
}

func (n *spanNames) of(topic string) string {
	if l := n.last.Load(); l != nil && l[0] == topic {
		return l[1]
	}
	l := [2]string{topic, spanName(n.op, topic)}
	n.last.Store(&l)
	return l[1]
}

// detached is ctx without its cancellation, for a metric point recorded
// when the operation is over. A context that cannot be cancelled (the
// usual case here) is returned as it is, which costs nothing.
func detached(ctx context.Context) context.Context {
	if ctx.Done() == nil {
		return ctx
	}
	return context.WithoutCancel(ctx)
}

// client is what the hooks know of one kgo client: its settings, read
// once NewClient returns, the spans of the records it is producing and of
// the records it returned that are still being processed, and the
// attribute sets of its metric points.
type client struct {
	ready    atomic.Bool
	clientID attribute.KeyValue
	group    string
	server   []attribute.KeyValue

	mu    sync.Mutex
	open  map[*kgo.Record]*processing
	spare map[*kgo.Record]*processing // an emptied open map, for finishAll to reuse

	smu   sync.Mutex
	sends map[*kgo.Record]*send

	measures atomic.Pointer[map[metricKey]*measure]
	mmu      sync.Mutex // serialises adding to measures

	sendNames, processNames spanNames
}

func newClient() *client {
	h := &client{open: map[*kgo.Record]*processing{}, sends: map[*kgo.Record]*send{}}
	h.sendNames.op, h.processNames.op = "send", "process"
	return h
}

// metricKey is what a metric point's attributes depend on besides the
// client: the operation, the topic, the partition (-1 for none) and
// whether it failed, with the error's type.
type metricKey struct {
	op        string // "send" or "process"
	topic     string
	partition int32
	failed    bool
	errType   string
}

// measure holds the options that pass one attribute set to the
// instruments, made once per metricKey: metric.WithAttributes would copy,
// sort and hash the attributes at every point, and WithAttributeSet
// allocates the option.
type measure struct {
	add []metric.AddOption
	rec []metric.RecordOption
}

// maxMeasures bounds the sets a client keeps (topics × partitions ×
// errors); past it a point's set is made each time, as before.
const maxMeasures = 1024

// measure returns the options of the points of k.
func (h *client) measure(k metricKey) *measure {
	if m := h.measures.Load(); m != nil {
		if v, ok := (*m)[k]; ok {
			return v
		}
	}
	opt := metric.WithAttributeSet(attribute.NewSet(h.metricAttrs(k)...))
	v := &measure{add: []metric.AddOption{opt}, rec: []metric.RecordOption{opt}}
	h.mmu.Lock()
	defer h.mmu.Unlock()
	old := h.measures.Load()
	n := 0
	if old != nil {
		if kept, ok := (*old)[k]; ok {
			return kept
		}
		n = len(*old)
	}
	if n >= maxMeasures {
		return v
	}
	m := make(map[metricKey]*measure, n+1)
	if old != nil {
		for ok, ov := range *old {
			m[ok] = ov
		}
	}
	m[k] = v
	h.measures.Store(&m)
	return v
}

// metricAttrs are the attributes of the metric points of k.
func (h *client) metricAttrs(k metricKey) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, 8)
	if k.op == "send" {
		attrs = append(attrs, semconv.MessagingSystemKafka,
			semconv.MessagingOperationName("send"), semconv.MessagingOperationTypeSend)
		if k.topic != "" {
			attrs = append(attrs, semconv.MessagingDestinationName(k.topic))
		}
		attrs = append(attrs, h.server...)
		if k.partition >= 0 {
			attrs = append(attrs, semconv.MessagingDestinationPartitionID(strconv.Itoa(int(k.partition))))
		}
		if k.failed {
			attrs = append(attrs, semconv.ErrorTypeKey.String(k.errType))
		}
		return attrs
	}
	attrs = append(attrs, semconv.MessagingSystemKafka,
		semconv.MessagingOperationName("process"), semconv.MessagingOperationTypeProcess,
		semconv.MessagingDestinationName(k.topic),
		semconv.MessagingDestinationPartitionID(strconv.Itoa(int(k.partition))))
	if h.group != "" {
		attrs = append(attrs, semconv.MessagingConsumerGroupName(h.group))
	}
	return append(attrs, h.server...)
}

// startBuf holds the attributes and options of one span's start, reused
// from record to record: the tracer copies what it keeps before Start
// returns.
type startBuf struct {
	attrs [16]attribute.KeyValue
	opts  [3]trace.SpanStartOption
}

var startBufs = sync.Pool{New: func() any { return new(startBuf) }}

// release clears b, so that the pool holds none of the program's data,
// and puts it back.
func (b *startBuf) release() {
	*b = startBuf{}
	startBufs.Put(b)
}

// processing is the CONSUMER span of one polled record. It is the
// record's Context: the span's context, which also answers procKey with
// itself, so that NextAfter finds it from the record.
type processing struct {
	context.Context
	span   trace.Span
	h      *client
	r      *kgo.Record
	start  time.Time
	m      *measure
	token  gls.Token
	pushed bool // guarded by h.mu
	ended  atomic.Bool
}

type procKey struct{}

// Value returns p for procKey, and the span's context's value otherwise.
func (p *processing) Value(key any) any {
	if _, ok := key.(procKey); ok {
		return p
	}
	return p.Context.Value(key)
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
	h := newClient()
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

// send is the PRODUCER span of one record, from its buffering to its
// acknowledgement; reused from record to record.
type send struct {
	span  trace.Span
	ctx   context.Context
	start time.Time
	topic string
	ack   [2]attribute.KeyValue // what the acknowledgement adds to the span
}

var sends = sync.Pool{New: func() any { return new(send) }}

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
	buf := startBufs.Get().(*startBuf)
	attrs := append(buf.attrs[:0], semconv.MessagingSystemKafka,
		semconv.MessagingOperationName("send"), semconv.MessagingOperationTypeSend)
	if r.Topic != "" {
		attrs = append(attrs, semconv.MessagingDestinationName(r.Topic))
	}
	attrs = append(attrs, h.server...)
	attrs = append(attrs, h.clientID, semconv.MessagingMessageBodySize(len(r.Value)))
	attrs = appendKey(attrs, r)
	opts := append(buf.opts[:0], producer, trace.WithAttributes(attrs...))
	own := false
	if len(r.Headers) > 0 { // a record without headers carries no creation context
		if _, sc := extract(prop, &r.Headers); sc.IsValid() {
			own = true
			opts = append(opts, trace.WithLinks(trace.Link{SpanContext: sc}))
		}
	}
	parent := r.Context
	if parent == nil {
		parent = context.Background()
	}
	// The span is not the goroutine's: rules/otelsdk makes every span
	// started current on its goroutine.
	saved := gls.Save()
	ctx, span := in.Tracer.Start(gls.Fill(parent), h.sendNames.of(r.Topic), opts...)
	gls.Restore(saved)
	buf.release()
	if !own {
		// A copy, so that the program's own slice is not written.
		r.Headers = r.Headers[:len(r.Headers):len(r.Headers)]
		prop.Inject(ctx, (*headers)(&r.Headers))
	}
	s := sends.Get().(*send)
	s.span, s.ctx, s.start, s.topic = span, ctx, time.Now(), r.Topic
	h.smu.Lock()
	h.sends[r] = s
	h.smu.Unlock()
}

// OnProduceRecordUnbuffered ends the PRODUCER span of a record, when the
// broker acknowledged it (with its partition and offset) or it failed.
func (h *client) OnProduceRecordUnbuffered(r *kgo.Record, err error) {
	h.smu.Lock()
	s, ok := h.sends[r]
	if ok {
		delete(h.sends, r)
	}
	h.smu.Unlock()
	if !ok {
		return
	}
	in := instruments.Get()
	k := metricKey{op: "send", topic: s.topic, partition: -1}
	if r.Partition >= 0 && err == nil {
		k.partition = r.Partition
		s.ack = [2]attribute.KeyValue{
			semconv.MessagingDestinationPartitionID(strconv.Itoa(int(r.Partition))),
			semconv.MessagingKafkaOffset(int(r.Offset)),
		}
		s.span.SetAttributes(s.ack[:]...)
	}
	if err != nil {
		et := errorType(err)
		k.failed, k.errType = true, et
		s.ack[0] = semconv.ErrorTypeKey.String(et)
		s.span.SetAttributes(s.ack[:1]...)
		s.span.RecordError(err)
		s.span.SetStatus(codes.Error, err.Error())
	}
	s.span.End()
	m := h.measure(k)
	ctx := detached(s.ctx)
	in.M.Duration.Float64Histogram.Record(ctx, time.Since(s.start).Seconds(), m.rec...)
	in.M.Sent.Int64Counter.Add(ctx, 1, m.add...)
	*s = send{}
	sends.Put(s)
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
	buf := startBufs.Get().(*startBuf)
	attrs := append(buf.attrs[:0], semconv.MessagingSystemKafka,
		semconv.MessagingOperationName("process"), semconv.MessagingOperationTypeProcess,
		semconv.MessagingDestinationName(r.Topic),
		semconv.MessagingDestinationPartitionID(strconv.Itoa(int(r.Partition))))
	if h.group != "" {
		attrs = append(attrs, semconv.MessagingConsumerGroupName(h.group))
	}
	attrs = append(attrs, h.server...)
	attrs = append(attrs, h.clientID,
		semconv.MessagingKafkaOffset(int(r.Offset)), semconv.MessagingMessageBodySize(len(r.Value)))
	attrs = appendKey(attrs, r)
	opts := append(buf.opts[:0], consumer, trace.WithAttributes(attrs...))
	var parent context.Context
	if len(r.Headers) > 0 {
		if created, sc := extract(otel.GetTextMapPropagator(), &r.Headers); sc.IsValid() {
			parent = created
			opts = append(opts, trace.WithLinks(trace.Link{SpanContext: sc}))
		}
	}
	if parent == nil {
		parent = gls.Fill(context.Background())
	}
	// The span becomes current on the goroutine only while the program
	// iterates over its record (NextAfter), not from the poll on.
	saved := gls.Save()
	ctx, span := in.Tracer.Start(parent, h.processNames.of(r.Topic), opts...)
	gls.Restore(saved)
	buf.release()
	m := h.measure(metricKey{op: "process", topic: r.Topic, partition: r.Partition})
	in.M.Consumed.Int64Counter.Add(detached(ctx), 1, m.add...)
	p := &processing{Context: ctx, span: span, h: h, r: r, start: time.Now(), m: m}
	r.Context = p
	h.mu.Lock()
	h.open[r] = p
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

// end ends the span and records the processing's duration, once.
func (p *processing) end() {
	if !p.ended.CompareAndSwap(false, true) {
		return
	}
	p.span.End()
	instruments.Get().M.Process.Float64Histogram.Record(detached(p.Context), time.Since(p.start).Seconds(), p.m.rec...)
}

// iterated holds the records whose spans an iteration made current on
// some goroutine, by span, for that goroutine to find again from gls.Span.
var iterated = struct {
	sync.Mutex
	m map[trace.Span]*processing
}{m: map[trace.Span]*processing{}}

// finishCurrent ends the processing of the record the goroutine took last
// from an iterator, if its span is the goroutine's current one, and
// restores the goroutine's spans as they were.
func finishCurrent() {
	s := gls.Span()
	if s == nil {
		return
	}
	iterated.Lock()
	p, ok := iterated.m[s]
	if ok {
		delete(iterated.m, s)
	}
	iterated.Unlock()
	if !ok {
		return
	}
	p.h.mu.Lock()
	delete(p.h.open, p.r)
	p.h.mu.Unlock()
	p.end()
	gls.Restore(p.token)
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
	if len(open) == 0 {
		h.mu.Unlock()
		return
	}
	h.open, h.spare = h.spare, nil
	if h.open == nil {
		h.open = map[*kgo.Record]*processing{}
	}
	h.mu.Unlock()
	iterated.Lock()
	for _, p := range open {
		delete(iterated.m, p.span)
	}
	iterated.Unlock()
	for _, p := range open {
		p.end()
	}
	clear(open)
	h.mu.Lock()
	if h.spare == nil {
		h.spare = open
	}
	h.mu.Unlock()
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
	p, _ := rec.Context.Value(procKey{}).(*processing)
	if p == nil || p.r != rec {
		// The program gave the record a context of its own.
		p = lookup(rec)
	}
	if p == nil {
		return
	}
	h := p.h
	h.mu.Lock()
	take := h.open[rec] == p && !p.pushed // taken twice: once is enough
	if take {
		p.pushed = true
	}
	h.mu.Unlock()
	if !take {
		return
	}
	p.token = gls.Push(p.Context)
	iterated.Lock()
	iterated.m[p.span] = p
	iterated.Unlock()
}

// lookup finds a record's processing in every client's open records.
func lookup(rec *kgo.Record) (p *processing) {
	clients.Range(func(_, v any) bool {
		h := v.(*client)
		h.mu.Lock()
		p = h.open[rec]
		h.mu.Unlock()
		return p == nil
	})
	return p
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
