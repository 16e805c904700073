package sarama

import (
	"context"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/IBM/sarama"
	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// A partition consumer hands messages to the program through a Go
// channel, and no function of sarama runs on the goroutine that receives
// from it. So Messages returns a channel of the hooks' own, without a
// buffer, that a goroutine of theirs (the forwarder) feeds from sarama's:
// a send on it completes when the program takes the message, which is
// when the program is done with the one before. The forwarder hands a
// message over only to a goroutine already waiting for one, so that it
// knows the message taken before that goroutine runs again, and makes
// the message's span the follower's current one. The follower is a span
// of the hooks' own, made current (gls.Push) on each goroutine that calls
// Messages, that stands for the message that goroutine is processing: the
// spans the program starts there, and on the goroutines it starts, are
// children of the message's span, and, between messages, of what was
// current before.

// consumers maps each sarama consumer to its *client, by address; a
// consumer group's client also names the group.
var consumers sync.Map // uintptr -> *client

// NewConsumerBefore keeps the client of a new consumer (NewConsumer,
// NewConsumerFromClient and consumer groups all come here).
func NewConsumerBefore(c *hook.Call, cl *sarama.Client) {
	if !sdk.Disabled() && *cl != nil {
		c.Data = *cl
	}
}

// NewConsumerAfter notes what the spans of the new consumer record.
func NewConsumerAfter(c *hook.Call, cons *sarama.Consumer, err *error) {
	if cl, ok := c.Data.(sarama.Client); ok && *cons != nil && *err == nil {
		consumers.Store(pointer(*cons), clientOf(cl))
	}
}

// NewConsumerGroupBefore keeps the name of a new consumer group.
func NewConsumerGroupBefore(c *hook.Call, group *string, _ *sarama.Client) {
	if !sdk.Disabled() {
		c.Data = *group
	}
}

// NewConsumerGroupAfter names the group on its consumer's *client.
func NewConsumerGroupAfter(c *hook.Call, g *sarama.ConsumerGroup, err *error) {
	group, ok := c.Data.(string)
	if !ok || *g == nil || *err != nil {
		return
	}
	p := field(*g, "consumer")
	if v, ok := consumers.Load(p); ok && p != 0 {
		cl := *v.(*client)
		cl.group = group
		consumers.Store(p, &cl)
	}
}

// follower feeds one partition consumer's messages to the program, and
// knows which one the program is processing.
type follower struct {
	owner   any // the partition consumer: kept alive while its address is a key
	key     uintptr
	cl      *client
	real    <-chan *sarama.ConsumerMessage
	proxy   chan *sarama.ConsumerMessage
	closing chan struct{}
	once    sync.Once
	cur     atomic.Pointer[processing]
	handing atomic.Bool // a handover is being tried
}

// followers maps each partition consumer whose Messages the program called
// to its follower, by address, while the forwarder runs.
var followers sync.Map // uintptr -> *follower

// processing is the CONSUMER span of one message the program took.
type processing struct {
	f      *follower
	msg    *sarama.ConsumerMessage
	mattrs []attribute.KeyValue

	startOnce sync.Once
	parent    context.Context
	opts      []trace.SpanStartOption
	span      trace.Span
	ctx       context.Context
	start     time.Time

	once sync.Once
}

// processings maps each message whose span is open to it, for MarkMessage.
var processings sync.Map // *sarama.ConsumerMessage -> *processing

// MessagesBefore keeps the partition consumer for MessagesAfter.
func MessagesBefore(c *hook.Call, child any) {
	if !sdk.Disabled() {
		c.Data = child
	}
}

// MessagesAfter returns the follower's channel instead of sarama's,
// starting the forwarder the first time, and makes the follower current
// on the calling goroutine.
func MessagesAfter(c *hook.Call, ch *<-chan *sarama.ConsumerMessage) {
	child := c.Data
	key := pointer(child)
	if child == nil || key == 0 || *ch == nil {
		return
	}
	var f *follower
	if v, ok := followers.Load(key); ok {
		f = v.(*follower)
	} else {
		f = &follower{owner: child, key: key, real: *ch, proxy: make(chan *sarama.ConsumerMessage), closing: make(chan struct{})}
		f.cl, _ = loadClient(field(child, "consumer"))
		if v, loaded := followers.LoadOrStore(key, f); loaded {
			f = v.(*follower)
		} else {
			go f.forward()
		}
	}
	*ch = f.proxy
	f.push()
}

func loadClient(p uintptr) (*client, bool) {
	if v, ok := consumers.Load(p); ok && p != 0 {
		return v.(*client), true
	}
	return &client{id: semconv.MessagingClientID("sarama")}, false
}

// AsyncCloseBefore ends the span of the message the program is processing
// from a partition consumer it closes (Close runs AsyncClose; so does a
// consumer group when a claim ends): the messages the forwarder hands
// over from now on, while sarama drains the channel, get no span.
func AsyncCloseBefore(c *hook.Call, child any) {
	if v, ok := followers.Load(pointer(child)); ok {
		f := v.(*follower)
		f.once.Do(func() { close(f.closing) })
		f.endCurrent()
	}
}

// MarkMessageBefore ends the span of a message the program marks as
// consumed in a consumer group: its processing is done.
func MarkMessageBefore(c *hook.Call, _ any, msg **sarama.ConsumerMessage, _ *string) {
	if v, ok := processings.Load(*msg); ok {
		p := v.(*processing)
		p.f.cur.CompareAndSwap(p, nil)
		p.end()
	}
}

// handoverPoll bounds how long the forwarder waits, polling, for the
// program to ask for a message while it processes the one before; past
// it, the forwarder blocks in its send, and the first moments of the
// program with the next message may nest under the one before.
const handoverPoll = 5 * time.Second

// forward feeds the program's channel from sarama's until sarama closes
// it. It survives a panic of its own span code: the messages go on.
func (f *follower) forward() {
	defer func() {
		f.endCurrent()
		followers.Delete(f.key)
		close(f.proxy)
	}()
	for m := range f.real {
		select {
		case <-f.closing:
			f.proxy <- m
			continue
		default:
		}
		if m == nil || !f.handover(m) {
			f.proxy <- m
		}
	}
}

// handover gives m to a goroutine waiting for it, and makes its
// processing the follower's current one. While it tries, handing is set:
// a goroutine that asks the slot for the current span meanwhile waits for
// the try to end, so that the one that took m never sees the processing
// of the message before. It reports false when the consumer is closing
// before it could: m is not handed over yet.
func (f *follower) handover(m *sarama.ConsumerMessage) bool {
	p := f.prepare(m)
	if p != nil {
		processings.Store(m, p)
	}
	try := func() bool {
		f.handing.Store(true)
		select {
		case f.proxy <- m:
			prev := f.cur.Swap(p)
			f.handing.Store(false)
			f.settle(prev, p)
			return true
		default:
			f.handing.Store(false)
			return false
		}
	}
	deadline := time.Now().Add(handoverPoll)
	for delay := time.Duration(0); time.Now().Before(deadline); {
		if try() {
			return true
		}
		select {
		case <-f.closing:
			processings.Delete(m)
			return false
		default:
		}
		if delay == 0 {
			runtime.Gosched()
			delay = time.Microsecond
			continue
		}
		time.Sleep(delay)
		delay = min(2*delay, time.Millisecond)
	}
	select {
	case f.proxy <- m:
		f.settle(f.cur.Swap(p), p)
		return true
	case <-f.closing:
		processings.Delete(m)
		return false
	}
}

// settle ends the processing of the message the program took before, and
// starts the span of the one it took now.
func (f *follower) settle(prev, p *processing) {
	if prev != nil {
		prev.end()
	}
	if p != nil {
		p.started()
	}
}

// prepare makes the processing of m, whose span starts when the program
// takes it: a child of the producer's span whose context its headers
// carry, else of the span current where Messages was called. It returns
// nil when the span cannot be made.
func (f *follower) prepare(m *sarama.ConsumerMessage) (p *processing) {
	defer func() {
		if recover() != nil {
			p = nil // the messages go on
		}
	}()
	if sdk.Disabled() {
		return nil
	}
	mattrs := make([]attribute.KeyValue, 0, 8)
	mattrs = append(mattrs, semconv.MessagingSystemKafka,
		semconv.MessagingOperationName("process"), semconv.MessagingOperationTypeProcess,
		semconv.MessagingDestinationName(m.Topic),
		semconv.MessagingDestinationPartitionID(strconv.Itoa(int(m.Partition))))
	if f.cl.group != "" {
		mattrs = append(mattrs, semconv.MessagingConsumerGroupName(f.cl.group))
	}
	mattrs = append(mattrs, f.cl.server...)
	attrs := append(mattrs[:len(mattrs):len(mattrs)], f.cl.id,
		semconv.MessagingKafkaOffset(int(m.Offset)), semconv.MessagingMessageBodySize(len(m.Value)))
	attrs = appendKey(attrs, m.Key, m.Value == nil)
	opts := []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindConsumer), trace.WithAttributes(attrs...)}
	parent := gls.Fill(context.Background())
	hs := m.Headers
	if created, sc := extract(otel.GetTextMapPropagator(), consumerHeaders(&hs)); sc.IsValid() {
		parent = created
		opts = append(opts, trace.WithLinks(trace.Link{SpanContext: sc}))
	}
	return &processing{f: f, msg: m, parent: parent, opts: opts, mattrs: mattrs}
}

// started starts the span once: the forwarder does right after the
// handover, unless the goroutine that took the message needs it first.
func (p *processing) started() trace.Span {
	p.startOnce.Do(func() {
		defer func() {
			if recover() != nil {
				p.span = nop
			}
		}()
		in := instruments.Get()
		saved := gls.Save()
		p.ctx, p.span = in.Tracer.Start(p.parent, spanName("process", p.msg.Topic), p.opts...)
		gls.Restore(saved) // rules/otelsdk made it current here: the slot stands for it
		p.start = time.Now()
		p.parent, p.opts = nil, nil
		in.M.Consumed.Int64Counter.Add(context.WithoutCancel(p.ctx), 1, metric.WithAttributes(p.mattrs...))
	})
	return p.span
}

// endCurrent ends the span of the message the program is processing, if
// any.
func (f *follower) endCurrent() {
	if p := f.cur.Swap(nil); p != nil {
		p.end()
	}
}

func (p *processing) end() {
	p.once.Do(func() {
		defer func() { _ = recover() }() // the messages go on
		processings.Delete(p.msg)
		p.started().End()
		instruments.Get().M.Process.Float64Histogram.Record(context.WithoutCancel(p.ctx), since(p.start), metric.WithAttributes(p.mattrs...))
	})
}

// push makes the follower current on the calling goroutine, unless it is
// already. A goroutine that asks another consumer for a message is done
// with the one it took from the first.
func (f *follower) push() {
	if !gls.Available() {
		return
	}
	s := gls.Span()
	if sl, ok := s.(*slot); ok {
		if sl.f == f {
			return
		}
		sl.f.endCurrent()
	}
	sl := &slot{Span: nop, f: f}
	sl.pushing.Store(true)
	gls.Push(trace.ContextWithSpan(context.Background(), sl))
	sl.pushing.Store(false)
}

// slot is the span a goroutine's entry holds for a follower: the span of
// the message the program is processing, and, between messages, a span
// that does not record, which the goroutine's storage passes over.
type slot struct {
	trace.Span // the API's embedded interface; every method is below
	f          *follower
	pushing    atomic.Bool // while Push reads it
}

// placeholder is the slot's span context while it is pushed: gls keeps
// only an entry whose span context is valid.
var placeholder = trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1}})

func (s *slot) active() trace.Span {
	for s.f.handing.Load() {
		runtime.Gosched()
	}
	if p := s.f.cur.Load(); p != nil {
		return p.started()
	}
	return nop
}

func (s *slot) SpanContext() trace.SpanContext {
	if s.pushing.Load() {
		return placeholder
	}
	return s.active().SpanContext()
}

// IsRecording reports whether a message is being processed, sampled or
// not: gls passes over the slot otherwise.
func (s *slot) IsRecording() bool {
	if s.pushing.Load() {
		return true
	}
	for s.f.handing.Load() {
		runtime.Gosched()
	}
	return s.f.cur.Load() != nil
}

// End does nothing: a message's processing ends when the program is done
// with it.
func (s *slot) End(...trace.SpanEndOption) {}

func (s *slot) AddEvent(name string, o ...trace.EventOption)  { s.active().AddEvent(name, o...) }
func (s *slot) AddLink(l trace.Link)                          { s.active().AddLink(l) }
func (s *slot) RecordError(err error, o ...trace.EventOption) { s.active().RecordError(err, o...) }
func (s *slot) SetStatus(c codes.Code, d string)              { s.active().SetStatus(c, d) }
func (s *slot) SetName(name string)                           { s.active().SetName(name) }
func (s *slot) SetAttributes(kv ...attribute.KeyValue)        { s.active().SetAttributes(kv...) }
func (s *slot) TracerProvider() trace.TracerProvider          { return s.active().TracerProvider() }
