// Package amqp091 holds the hooks of the RabbitMQ rules
// (github.com/rabbitmq/amqp091-go): a PRODUCER span per message published,
// a CONSUMER span per message received, and W3C trace context in the
// messages' AMQP headers, so that publisher and consumer read as one trace,
// as the messaging semantic conventions describe for RabbitMQ.
//
// Consume hands deliveries to the program through a Go channel, and no
// function of the library runs on the goroutine that receives from it
// until that goroutine settles the delivery (Ack, Nack, Reject). So a
// delivery's CONSUMER span starts when the library passes it to the
// consumer's channel, as a child of the producer's span, and ends when the
// program settles it (at once for an auto-ack consumer, which never
// does); it is not current on the receiving goroutine. A delivery that Get
// returns is received on the caller's goroutine: its span is current there
// until the delivery is settled, or, with auto-ack, until the next Get or
// the channel's Close.
package amqp091

import (
	"context"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	_ "unsafe" // for go:linkname

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"

	amqp "github.com/rabbitmq/amqp091-go"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans.
const ScopeName = "github.com/otelgen/otelgen/rules/amqp091"

// peerOf and newTag are defined in amqp091-go by the amqp091-access rule's
// file; nil in a build without it.
var (
	//go:linkname peerOf otelgen_amqp091_peer
	peerOf func(ch *amqp.Channel) net.Addr
	//go:linkname newTag otelgen_amqp091_tag
	newTag func() string
)

// tracers follows the global tracer provider.
var tracers = sdk.NewTracer(ScopeName)

func tracer() trace.Tracer { return tracers.Get() }

// carrier is a propagation.TextMapCarrier over AMQP headers; it never
// changes the program's table, which the publish hook copies first.
type carrier amqp.Table

func (c carrier) Get(key string) string {
	switch v := c[key].(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return ""
}

func (c carrier) Set(key, value string) { c[key] = value }

func (c carrier) Keys() []string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	return keys
}

// generated reports whether name is one the server made up (an exclusive
// reply queue, say): no name for a span.
func generated(name string) bool { return strings.HasPrefix(name, "amq.gen-") }

// peers keeps the peer attributes of each connection, by its remote
// address (a connection returns the same *net.TCPAddr every time), so that
// a span does not format the broker's IP again: the peer of a channel
// never changes. At most maxPeers are kept; past that the attributes are
// made for each span, as a program that reconnects without end would
// otherwise grow it.
var (
	peers  sync.Map // *net.TCPAddr -> []attribute.KeyValue
	npeers atomic.Int64
)

const maxPeers = 256

// peerAttrs are server.address, server.port, network.peer.address and
// network.peer.port of the channel's connection, or nothing when it has no
// TCP peer.
func peerAttrs(ch *amqp.Channel) []attribute.KeyValue {
	if peerOf == nil {
		return nil
	}
	a, ok := peerOf(ch).(*net.TCPAddr)
	if !ok || a == nil || a.IP == nil {
		return nil
	}
	if v, ok := peers.Load(a); ok {
		return v.([]attribute.KeyValue)
	}
	ip := a.IP.String()
	attrs := []attribute.KeyValue{
		semconv.ServerAddress(ip), semconv.ServerPort(a.Port),
		semconv.NetworkPeerAddress(ip), semconv.NetworkPeerPort(a.Port),
	}
	if npeers.Load() < maxPeers {
		if _, loaded := peers.LoadOrStore(a, attrs); !loaded {
			npeers.Add(1)
		}
	}
	return attrs
}

func common(ch *amqp.Channel, op string, attrs []attribute.KeyValue) []attribute.KeyValue {
	attrs = append(attrs, semconv.MessagingSystemRabbitMQ, semconv.MessagingOperationName(op))
	if op == "send" {
		attrs = append(attrs, semconv.MessagingOperationTypeSend)
	} else {
		attrs = append(attrs, semconv.MessagingOperationTypeProcess)
	}
	return append(attrs, peerAttrs(ch)...)
}

// startBuf holds the attributes and options of one span's start, reused
// from message to message: the tracer copies what it keeps before Start
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

// The span kinds' options and the new-root option, made once: an option is
// an interface.
var (
	producer = trace.WithSpanKind(trace.SpanKindProducer)
	consumer = trace.WithSpanKind(trace.SpanKindConsumer)
	newRoot  = trace.WithNewRoot()
)

// spanNames keeps the span name of the destination used last for one
// operation, so that a program that keeps to one exchange or queue does
// not make the name at every message.
type spanNames struct {
	op   string
	last atomic.Pointer[[2]string] // destination, name
}

var sendNames, processNames = spanNames{op: "send"}, spanNames{op: "process"}

func (n *spanNames) of(dest string) string {
	if l := n.last.Load(); l != nil && l[0] == dest {
		return l[1]
	}
	l := [2]string{dest, spanName(n.op, dest)}
	n.last.Store(&l)
	return l[1]
}

func message(attrs []attribute.KeyValue, exchange, key, id, correlation string, body int) []attribute.KeyValue {
	// The conventions: the exchange, empty for the default one.
	attrs = append(attrs, semconv.MessagingDestinationName(exchange))
	if key != "" {
		attrs = append(attrs, semconv.MessagingRabbitMQDestinationRoutingKey(key))
	}
	if id != "" {
		attrs = append(attrs, semconv.MessagingMessageID(id))
	}
	if correlation != "" {
		attrs = append(attrs, semconv.MessagingMessageConversationID(correlation))
	}
	return append(attrs, semconv.MessagingMessageBodySize(body))
}

func spanName(op, dest string) string {
	if dest == "" || generated(dest) {
		return op
	}
	return op + " " + dest
}

// publish is one traced publish, from PublishBefore to PublishAfter;
// reused from publish to publish.
type publish struct {
	span  trace.Span
	saved gls.Token
}

var publishes = sync.Pool{New: func() any { return new(publish) }}

// PublishBefore starts the PRODUCER span of a message, as a child of the
// span current on the goroutine (the context of PublishWithContext is made
// current by PublishContextBefore), and puts its trace context into a copy
// of the message's headers. The span is named after the exchange, or for
// the default exchange after the routing key, which names the queue.
func PublishBefore(c *hook.Call, ch *amqp.Channel, exchange, key *string, _, _ *bool, msg *amqp.Publishing) {
	if sdk.Disabled() || ch == nil {
		return
	}
	buf := startBufs.Get().(*startBuf)
	attrs := common(ch, "send", buf.attrs[:0])
	attrs = message(attrs, *exchange, *key, msg.MessageId, msg.CorrelationId, len(msg.Body))
	dest := *exchange
	if dest == "" {
		dest = *key
	}
	// The SDK's otelgen hook makes every span current on its goroutine;
	// PublishAfter takes it off again.
	saved := gls.Save()
	ctx, span := tracer().Start(gls.Fill(context.Background()), sendNames.of(dest),
		append(buf.opts[:0], producer, trace.WithAttributes(attrs...))...)
	buf.release()
	headers := make(amqp.Table, len(msg.Headers)+2)
	for k, v := range msg.Headers {
		headers[k] = v
	}
	otel.GetTextMapPropagator().Inject(ctx, carrier(headers))
	msg.Headers = headers
	p := publishes.Get().(*publish)
	p.span, p.saved = span, saved
	c.Data = p
}

// PublishAfter ends the PRODUCER span, with the publish's error.
func PublishAfter(c *hook.Call, _ **amqp.DeferredConfirmation, err *error) {
	p, ok := c.Data.(*publish)
	if !ok {
		return
	}
	c.Data = nil
	gls.Restore(p.saved)
	if *err != nil {
		fail(p.span, *err)
	}
	p.span.End()
	*p = publish{}
	publishes.Put(p)
}

func fail(span trace.Span, err error) {
	etype := "_OTHER"
	if e, ok := err.(*amqp.Error); ok && e.Code != 0 {
		etype = strconv.Itoa(e.Code) // the AMQP reply code: 504 for a closed channel
	}
	span.SetAttributes(semconv.ErrorTypeKey.String(etype))
	span.RecordError(err)
	span.SetStatus(codes.Error, err.Error())
}

// PublishContextBefore makes the context of a publish current on the
// goroutine, so that its span is a child of the context's span.
func PublishContextBefore(c *hook.Call, _ *amqp.Channel, ctx *context.Context, _, _ *string, _, _ *bool, _ *amqp.Publishing) {
	if *ctx == nil || sdk.Disabled() || !trace.SpanContextFromContext(*ctx).IsValid() {
		return
	}
	c.Data = gls.Push(*ctx)
}

// PublishContextAfter restores the goroutine's state from before the
// publish.
func PublishContextAfter(c *hook.Call, _ *error) {
	if t, ok := c.Data.(gls.Token); ok {
		gls.Restore(t)
	}
}

// PublishDeferredContextAfter is PublishContextAfter for
// PublishWithDeferredConfirmWithContext.
func PublishDeferredContextAfter(c *hook.Call, _ **amqp.DeferredConfirmation, err *error) {
	PublishContextAfter(c, err)
}

// consumerKey names a consumer: its channel and tag.
type consumerKey struct {
	ch  *amqp.Channel
	tag string
}

type consumerInfo struct {
	queue   string
	autoAck bool
}

var consumers sync.Map // consumerKey -> consumerInfo

// ConsumeBefore notes the queue and acknowledgement mode of a consumer, by
// its tag, making the tag up as Consume would when the program gave none.
func ConsumeBefore(c *hook.Call, ch *amqp.Channel, queue, consumer *string, autoAck, _, _, _ *bool, _ *amqp.Table) {
	if ch == nil || sdk.Disabled() {
		return
	}
	if *consumer == "" {
		if newTag == nil {
			return
		}
		*consumer = newTag()
	}
	consumers.Store(consumerKey{ch, *consumer}, consumerInfo{queue: *queue, autoAck: *autoAck})
}

// ConsumeContextBefore is ConsumeBefore for ConsumeWithContext.
func ConsumeContextBefore(c *hook.Call, ch *amqp.Channel, _ *context.Context, queue, consumer *string, autoAck, exclusive, noLocal, noWait *bool, args *amqp.Table) {
	ConsumeBefore(c, ch, queue, consumer, autoAck, exclusive, noLocal, noWait, args)
}

// delivery is the CONSUMER span of one delivery, until it is settled.
type delivery struct {
	span   trace.Span
	prev   gls.Token // the goroutine's state before the span was pushed
	pushed gls.Token // the state with it; zero when it was not pushed
}

// end ends the span, and takes it off the goroutine when it is still the
// goroutine's innermost.
func (d *delivery) end() {
	if d.pushed != (gls.Token{}) && gls.Save() == d.pushed {
		gls.Restore(d.prev)
	}
	d.span.End()
}

// channelState is what a channel's deliveries leave until they are
// settled.
type channelState struct {
	mu      sync.Mutex
	unacked map[uint64]*delivery
	lastGet *delivery // Get's last auto-ack delivery
}

var channels sync.Map // *amqp.Channel -> *channelState

func stateOf(ch *amqp.Channel) *channelState {
	if s, ok := channels.Load(ch); ok {
		return s.(*channelState)
	}
	s, _ := channels.LoadOrStore(ch, &channelState{unacked: map[uint64]*delivery{}})
	return s.(*channelState)
}

// startDelivery starts the CONSUMER span of a delivery from queue, as a
// child of the trace context in its headers (a root without one).
func startDelivery(ch *amqp.Channel, d *amqp.Delivery, queue string) (context.Context, trace.Span) {
	ctx := context.Background()
	if len(d.Headers) > 0 {
		ctx = otel.GetTextMapPropagator().Extract(ctx, carrier(d.Headers))
	}
	buf := startBufs.Get().(*startBuf)
	defer buf.release()
	attrs := common(ch, "process", buf.attrs[:0])
	attrs = message(attrs, d.Exchange, d.RoutingKey, d.MessageId, d.CorrelationId, len(d.Body))
	attrs = append(attrs, semconv.MessagingRabbitMQMessageDeliveryTag(int(d.DeliveryTag)))
	if queue != "" {
		attrs = append(attrs, semconv.MessagingDestinationSubscriptionName(queue))
	}
	opts := append(buf.opts[:0], consumer, trace.WithAttributes(attrs...))
	if !trace.SpanContextFromContext(ctx).IsValid() {
		// Not a child of whatever span the goroutine is in.
		opts = append(opts, newRoot)
	}
	dest := queue
	if dest == "" {
		dest = d.Exchange
	}
	return tracer().Start(ctx, processNames.of(dest), opts...)
}

// DeliverBefore starts the CONSUMER span of a delivery the channel's
// goroutine is about to pass to its consumer, to end when the program
// settles it, or at once for an auto-ack consumer.
func DeliverBefore(c *hook.Call, _ any, tag *string, msg **amqp.Delivery) {
	d := *msg
	if d == nil || sdk.Disabled() {
		return
	}
	ch, ok := d.Acknowledger.(*amqp.Channel)
	if !ok {
		return
	}
	info, _ := consumers.Load(consumerKey{ch, *tag})
	ci, _ := info.(consumerInfo)
	saved := gls.Save()
	_, span := startDelivery(ch, d, ci.queue)
	gls.Restore(saved) // the library's goroutine is no consumer
	if ci.autoAck {
		span.End()
		return
	}
	s := stateOf(ch)
	s.mu.Lock()
	s.unacked[d.DeliveryTag] = &delivery{span: span}
	s.mu.Unlock()
}

type getCall struct {
	ch      *amqp.Channel
	queue   string
	autoAck bool
}

// GetBefore ends the span of the auto-ack delivery the channel's last Get
// returned: the program asks for the next one.
func GetBefore(c *hook.Call, ch *amqp.Channel, queue *string, autoAck *bool) {
	if ch == nil {
		return
	}
	s := stateOf(ch)
	s.mu.Lock()
	last := s.lastGet
	s.lastGet = nil
	s.mu.Unlock()
	if last != nil {
		last.end()
	}
	c.Data = &getCall{ch: ch, queue: *queue, autoAck: *autoAck}
}

// GetAfter starts the CONSUMER span of the delivery Get returned and makes
// it current on the goroutine until the delivery is settled (or, with
// auto-ack, until the next Get or Close).
func GetAfter(c *hook.Call, msg *amqp.Delivery, ok *bool, err *error) {
	g, isGet := c.Data.(*getCall)
	if !isGet || !*ok || *err != nil || sdk.Disabled() {
		return
	}
	prev := gls.Save()
	ctx, span := startDelivery(g.ch, msg, g.queue)
	gls.Push(ctx)
	d := &delivery{span: span, prev: prev, pushed: gls.Save()}
	s := stateOf(g.ch)
	s.mu.Lock()
	if g.autoAck {
		s.lastGet = d
	} else {
		s.unacked[msg.DeliveryTag] = d
	}
	s.mu.Unlock()
}

// settle ends the spans of the deliveries that tag settles: that one, or
// with multiple every one up to it.
func settle(ch *amqp.Channel, tag uint64, multiple bool, outcome string) {
	if ch == nil {
		return
	}
	v, ok := channels.Load(ch)
	if !ok {
		return
	}
	s := v.(*channelState)
	var done []*delivery
	s.mu.Lock()
	for t, d := range s.unacked {
		if t == tag || (multiple && t < tag) || (multiple && tag == 0) {
			done = append(done, d)
			delete(s.unacked, t)
		}
	}
	s.mu.Unlock()
	for _, d := range done {
		if outcome != "ack" {
			d.span.AddEvent(outcome)
		}
		d.end()
	}
}

// AckBefore ends the spans of the deliveries an Ack settles.
func AckBefore(c *hook.Call, ch *amqp.Channel, tag *uint64, multiple *bool) {
	settle(ch, *tag, *multiple, "ack")
}

// NackBefore ends the spans of the deliveries a Nack settles, with an
// event "nack".
func NackBefore(c *hook.Call, ch *amqp.Channel, tag *uint64, multiple, _ *bool) {
	settle(ch, *tag, *multiple, "nack")
}

// RejectBefore ends the span of the delivery a Reject settles, with an
// event "reject".
func RejectBefore(c *hook.Call, ch *amqp.Channel, tag *uint64, _ *bool) {
	settle(ch, *tag, false, "reject")
}

// CloseBefore ends the spans of a channel's deliveries that were never
// settled, and forgets the channel and its consumers.
func CloseBefore(c *hook.Call, ch *amqp.Channel) {
	v, ok := channels.LoadAndDelete(ch)
	if ok {
		s := v.(*channelState)
		s.mu.Lock()
		done := s.unacked
		last := s.lastGet
		s.unacked, s.lastGet = map[uint64]*delivery{}, nil
		s.mu.Unlock()
		for _, d := range done {
			d.end()
		}
		if last != nil {
			last.end()
		}
	}
	consumers.Range(func(k, _ any) bool {
		if k.(consumerKey).ch == ch {
			consumers.Delete(k)
		}
		return true
	})
}
