// Package nats holds the hooks of the NATS rules (github.com/nats-io/nats.go):
// a PRODUCER span per message published, a CONSUMER span per message a
// subscription hands to the program, and W3C trace context in the message
// headers, so that publisher and subscriber read as one trace, as the
// stable messaging semantic conventions describe.
package nats

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"

	natsgo "github.com/nats-io/nats.go"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans.
const ScopeName = "github.com/otelgen/otelgen/rules/nats"

var system = semconv.MessagingSystemKey.String("nats")

// tracers follows the global tracer provider.
var tracers = sdk.NewTracer(ScopeName)

func tracer() trace.Tracer { return tracers.Get() }

// internal reports whether subj is one of the server's own subjects, which
// the client publishes to for JetStream's API, acknowledgements and flow
// control and the system account, or a subject of a key-value or object
// store, whose key would make a span's name and which is a store's
// operation rather than a message: no message of the program's.
func internal(subj string) bool {
	return strings.HasPrefix(subj, "$JS.") || strings.HasPrefix(subj, "$SYS.") ||
		strings.HasPrefix(subj, "$KV.") || strings.HasPrefix(subj, "$O.")
}

// inbox reports whether subj is a reply inbox: a temporary destination whose
// name must not go into a span's name.
func inbox(prefix, subj string) bool {
	if prefix == "" {
		prefix = natsgo.InboxPrefix
	}
	return strings.HasPrefix(subj, strings.TrimSuffix(prefix, ".")+".")
}

// destination is the span name's destination part and the destination
// attributes of subject subj.
func destination(prefix, subj string, attrs []attribute.KeyValue) (string, []attribute.KeyValue) {
	attrs = append(attrs, semconv.MessagingDestinationName(subj))
	if inbox(prefix, subj) {
		return "", append(attrs, semconv.MessagingDestinationTemporary(true))
	}
	return subj, attrs
}

func spanName(op, dest string) string {
	if dest == "" {
		return op
	}
	return op + " " + dest
}

// serverAttrs are server.address and server.port of the connected server.
func serverAttrs(nc *natsgo.Conn, attrs []attribute.KeyValue) []attribute.KeyValue {
	host, port, err := net.SplitHostPort(nc.ConnectedAddr())
	if err != nil {
		return attrs
	}
	attrs = append(attrs, semconv.ServerAddress(host))
	if p, err := strconv.Atoi(port); err == nil {
		attrs = append(attrs, semconv.ServerPort(p))
	}
	return attrs
}

// carrier is a propagation.TextMapCarrier over NATS headers, whose keys
// are case-sensitive: a key is found whatever its case.
type carrier natsgo.Header

func (c carrier) Get(key string) string {
	if v := natsgo.Header(c).Get(key); v != "" {
		return v
	}
	for k, vs := range c {
		if len(vs) > 0 && strings.EqualFold(k, key) {
			return vs[0]
		}
	}
	return ""
}

func (c carrier) Set(key, value string) {
	for k := range c {
		if strings.EqualFold(k, key) {
			delete(c, k)
		}
	}
	c[key] = []string{value}
}

func (c carrier) Keys() []string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	return keys
}

// headerLine starts a NATS header block.
const headerLine = "NATS/1.0\r\n"

// inject returns hdr, a message's encoded header block (or nil), with the
// trace context of ctx in it in place of any it had. It returns hdr as it is
// when hdr does not parse.
func inject(ctx context.Context, hdr []byte) []byte {
	h := natsgo.Header{}
	if len(hdr) > 0 {
		var err error
		if h, err = natsgo.DecodeHeadersMsg(hdr); err != nil {
			return hdr
		}
	}
	otel.GetTextMapPropagator().Inject(ctx, carrier(h))
	if len(h) == 0 {
		return hdr
	}
	var b strings.Builder
	b.WriteString(headerLine)
	for k, vs := range h {
		for _, v := range vs {
			b.WriteString(k)
			b.WriteString(": ")
			b.WriteString(v)
			b.WriteString("\r\n")
		}
	}
	b.WriteString("\r\n")
	return []byte(b.String())
}

// PublishBefore starts the PRODUCER span of a message, as a child of the
// span current on the goroutine (a publish takes no context; a request's
// context is made current by RequestContextBefore), and writes its trace
// context into the message's headers when the server takes headers.
func PublishBefore(c *hook.Call, nc *natsgo.Conn, subj, reply *string, _ *bool, hdr, data *[]byte) {
	if sdk.Disabled() || nc == nil || internal(*subj) {
		return
	}
	attrs := make([]attribute.KeyValue, 0, 9)
	attrs = append(attrs, system,
		semconv.MessagingOperationName("send"), semconv.MessagingOperationTypeSend)
	dest, attrs := destination(nc.Opts.InboxPrefix, *subj, attrs)
	attrs = append(attrs, semconv.MessagingMessageBodySize(len(*data)))
	attrs = serverAttrs(nc, attrs)
	// The SDK's otelgen hook makes every span it starts current on the
	// goroutine; PublishAfter takes it off again.
	saved := gls.Save()
	ctx, span := tracer().Start(gls.Fill(context.Background()), spanName("send", dest),
		trace.WithSpanKind(trace.SpanKindProducer),
		trace.WithAttributes(attrs...))
	if nc.HeadersSupported() {
		*hdr = inject(ctx, *hdr)
	}
	c.Data = &publish{span: span, saved: saved}
}

// publish is one traced publish, from PublishBefore to PublishAfter.
type publish struct {
	span  trace.Span
	saved gls.Token
}

// PublishAfter ends the PRODUCER span, with the publish's error.
func PublishAfter(c *hook.Call, err *error) {
	p, ok := c.Data.(*publish)
	if !ok {
		return
	}
	gls.Restore(p.saved)
	if *err != nil {
		fail(p.span, *err)
	}
	p.span.End()
}

func fail(span trace.Span, err error) {
	span.SetAttributes(semconv.ErrorTypeKey.String(errorType(err)))
	span.RecordError(err)
	span.SetStatus(codes.Error, err.Error())
}

// errorType names an error for error.type: nats.go's own errors by their
// text (they share one Go type), others by their Go type.
func errorType(err error) string {
	switch err {
	case natsgo.ErrTimeout, natsgo.ErrNoResponders, natsgo.ErrConnectionClosed,
		natsgo.ErrMaxPayload, natsgo.ErrBadSubject, natsgo.ErrHeadersNotSupported,
		natsgo.ErrConnectionDraining, natsgo.ErrReconnectBufExceeded, natsgo.ErrInvalidConnection:
		return err.Error()
	}
	switch t := fmt.Sprintf("%T", err); t {
	case "*errors.errorString", "*fmt.wrapError", "*fmt.wrapErrors":
		return "_OTHER"
	default:
		return strings.TrimPrefix(t, "*")
	}
}

// startProcess starts the CONSUMER span of message m, as a child of the
// trace context in its headers (a root without one), or returns nil for a
// message that is no message of the program's: a JetStream status
// (heartbeat, flow control, "no messages") or a reply to the client's own
// request.
func startProcess(m *natsgo.Msg) (context.Context, trace.Span) {
	if sdk.Disabled() || m == nil || m.Header.Get("Status") != "" || internal(m.Subject) {
		return nil, nil
	}
	ctx := context.Background()
	if len(m.Header) > 0 {
		ctx = otel.GetTextMapPropagator().Extract(ctx, carrier(m.Header))
	}
	attrs := make([]attribute.KeyValue, 0, 8)
	attrs = append(attrs, system,
		semconv.MessagingOperationName("process"), semconv.MessagingOperationTypeProcess)
	dest, attrs := destination("", m.Subject, attrs)
	if m.Sub != nil && m.Sub.Queue != "" {
		attrs = append(attrs, semconv.MessagingConsumerGroupName(m.Sub.Queue))
	}
	if m.Sub != nil && m.Sub.Subject != m.Subject && !inbox("", m.Sub.Subject) {
		// A wildcard subscription, whose subject is the template.
		attrs = append(attrs, semconv.MessagingDestinationSubscriptionName(m.Sub.Subject))
	}
	attrs = append(attrs, semconv.MessagingMessageBodySize(len(m.Data)))
	opts := []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindConsumer), trace.WithAttributes(attrs...)}
	if !trace.SpanContextFromContext(ctx).IsValid() {
		// Not a child of whatever span the subscribing goroutine was in.
		opts = append(opts, trace.WithNewRoot())
	}
	return tracer().Start(ctx, spanName("process", dest), opts...)
}

// SubscribeBefore wraps the handler of a callback subscription (Subscribe,
// QueueSubscribe, JetStream's push and Consume subscriptions) so that each
// message it handles is a CONSUMER span, current on the handler's
// goroutine while the handler runs: what the handler publishes or calls
// without a context nests under it.
func SubscribeBefore(c *hook.Call, nc *natsgo.Conn, subj, queue *string, cb *natsgo.MsgHandler, _ *chan *natsgo.Msg, _ *chan error, _ *bool, _ any) {
	if *cb == nil || sdk.Disabled() {
		return
	}
	handler := *cb
	*cb = func(m *natsgo.Msg) {
		saved := gls.Save()
		ctx, span := startProcess(m)
		if span == nil {
			handler(m)
			return
		}
		gls.Push(ctx)
		defer func() {
			gls.Restore(saved)
			if v := recover(); v != nil {
				span.SetStatus(codes.Error, "panic")
				span.End()
				panic(v)
			}
			span.End()
		}()
		handler(m)
	}
}

// pending is the process span of the last message NextMsg returned on a
// subscription: it lasts until the next receive on the subscription, or its
// end.
type pending struct {
	span   trace.Span
	prev   gls.Token // the goroutine's state before the span was pushed
	pushed gls.Token // the state with it
}

var receiving sync.Map // *natsgo.Subscription -> *pending

// finish ends the pending span of s, and takes it off the goroutine when it
// is still the goroutine's innermost.
func finish(s *natsgo.Subscription) {
	v, ok := receiving.LoadAndDelete(s)
	if !ok {
		return
	}
	p := v.(*pending)
	if gls.Save() == p.pushed {
		gls.Restore(p.prev)
	}
	p.span.End()
}

// NextMsgBefore ends the process span of the subscription's previous
// message: the program asks for the next one.
func NextMsgBefore(c *hook.Call, s *natsgo.Subscription, _ *time.Duration) {
	if s == nil {
		return
	}
	finish(s)
	c.Data = s
}

// NextMsgContextBefore is NextMsgBefore for NextMsgWithContext.
func NextMsgContextBefore(c *hook.Call, s *natsgo.Subscription, _ *context.Context) {
	NextMsgBefore(c, s, nil)
}

// NextMsgAfter starts the process span of the message NextMsg returned and
// makes it current on the goroutine, until the program asks for the next
// message or unsubscribes: the work between two receives is the handling
// of the first. A reply on one of the client's own inboxes (an old-style
// request) makes none.
func NextMsgAfter(c *hook.Call, m **natsgo.Msg, err *error) {
	s, ok := c.Data.(*natsgo.Subscription)
	if !ok || *err != nil || *m == nil || inbox("", (*m).Subject) {
		return
	}
	prev := gls.Save()
	ctx, span := startProcess(*m)
	if span == nil {
		return
	}
	gls.Push(ctx)
	p := &pending{span: span, prev: prev, pushed: gls.Save()}
	receiving.Store(s, p)
}

// UnsubscribeBefore ends the pending process span of a subscription that
// ends (Unsubscribe, AutoUnsubscribe, Drain).
func UnsubscribeBefore(c *hook.Call, nc *natsgo.Conn, s **natsgo.Subscription, _ *int, _ *bool) {
	if *s != nil {
		finish(*s)
	}
}

// RequestContextBefore makes a request's context current on the goroutine,
// so that its publish is a child of the context's span.
func RequestContextBefore(c *hook.Call, nc *natsgo.Conn, ctx *context.Context, _ *string, _ *[]byte) {
	pushContext(c, *ctx)
}

// RequestMsgContextBefore is RequestContextBefore for RequestMsgWithContext.
func RequestMsgContextBefore(c *hook.Call, nc *natsgo.Conn, ctx *context.Context, _ **natsgo.Msg) {
	pushContext(c, *ctx)
}

func pushContext(c *hook.Call, ctx context.Context) {
	if ctx == nil || sdk.Disabled() || !trace.SpanContextFromContext(ctx).IsValid() {
		return
	}
	c.Data = gls.Push(ctx)
}

// RequestContextAfter restores the goroutine's state from before the
// request.
func RequestContextAfter(c *hook.Call, _ **natsgo.Msg, _ *error) {
	if t, ok := c.Data.(gls.Token); ok {
		gls.Restore(t)
	}
}
