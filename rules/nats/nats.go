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
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
	"weak"

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

// serverAttrs are server.address and server.port of the connected server,
// none when nc is not connected. They are worked out once per connection
// to a server and kept (see servers): ConnectedAddr formats the socket's
// remote address, which would then be parsed back, at every publish.
func serverAttrs(nc *natsgo.Conn, attrs []attribute.KeyValue) []attribute.KeyValue {
	if !nc.IsConnected() {
		return attrs
	}
	// Reconnects counts the connections made after the first: it tells a
	// connection to another server (or the same one again) from the one
	// the kept attributes are of.
	n := nc.Stats().Reconnects
	e := entryOf(nc)
	if st := e.state.Load(); st != nil && st.reconnects == n {
		return append(attrs, st.attrs...)
	}
	host, port, err := net.SplitHostPort(nc.ConnectedAddr())
	if err != nil {
		return attrs
	}
	st := &serverState{reconnects: n, attrs: []attribute.KeyValue{semconv.ServerAddress(host)}}
	if p, err := strconv.Atoi(port); err == nil {
		st.attrs = append(st.attrs, semconv.ServerPort(p))
	}
	e.state.Store(st)
	return append(attrs, st.attrs...)
}

// servers keeps the server attributes of each connection, by its address
// in memory: the key must not keep a connection the program dropped
// alive. A connection's entry goes when the connection is collected, and
// holds a weak pointer to it, for the time between its collection and its
// cleanup, in which another connection may be made at the same address.
var servers sync.Map // uintptr -> *serverEntry

type serverEntry struct {
	conn  weak.Pointer[natsgo.Conn]
	state atomic.Pointer[serverState]
}

// serverState is the attributes of the server nc was connected to when it
// had made reconnects reconnections.
type serverState struct {
	reconnects uint64
	attrs      []attribute.KeyValue
}

// entryOf returns the entry of nc in servers, which it adds when there is
// none.
func entryOf(nc *natsgo.Conn) *serverEntry {
	k := uintptr(unsafe.Pointer(nc))
	if v, ok := servers.Load(k); ok {
		if e := v.(*serverEntry); e.conn.Value() == nc {
			return e
		}
	}
	e := &serverEntry{conn: weak.Make(nc)}
	if v, loaded := servers.LoadOrStore(k, e); loaded {
		if old := v.(*serverEntry); old.conn.Value() == nc {
			return old
		}
		// The entry of a connection collected at this address: its
		// cleanup deletes only its own entry.
		servers.Store(k, e)
	}
	runtime.AddCleanup(nc, func(e cleanup) { servers.CompareAndDelete(e.k, e.e) }, cleanup{k, e})
	return e
}

type cleanup struct {
	k uintptr
	e *serverEntry
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

// fields is a propagation.TextMapCarrier for a message without headers:
// the propagator's few fields in the order it sets them, in place of a
// header map, and pooled.
type fields struct {
	kv  []string // key, value, key, value...
	arr [8]string
}

var fieldsPool = sync.Pool{New: func() any { f := new(fields); f.kv = f.arr[:0]; return f }}

func (f *fields) Get(key string) string {
	for i := 0; i < len(f.kv); i += 2 {
		if strings.EqualFold(f.kv[i], key) {
			return f.kv[i+1]
		}
	}
	return ""
}

// Set replaces a field of any case of key, as carrier.Set does.
func (f *fields) Set(key, value string) {
	for i := 0; i < len(f.kv); i += 2 {
		if strings.EqualFold(f.kv[i], key) {
			f.kv = append(f.kv[:i], f.kv[i+2:]...)
			i -= 2
		}
	}
	f.kv = append(f.kv, key, value)
}

func (f *fields) Keys() []string {
	keys := make([]string, 0, len(f.kv)/2)
	for i := 0; i < len(f.kv); i += 2 {
		keys = append(keys, f.kv[i])
	}
	return keys
}

// inject returns hdr, a message's encoded header block (or nil), with the
// trace context of ctx in it in place of any it had. It returns hdr as it is
// when hdr does not parse.
func inject(ctx context.Context, hdr []byte) []byte {
	if len(hdr) == 0 {
		f := fieldsPool.Get().(*fields)
		defer func() {
			clear(f.kv)
			f.kv = f.kv[:0]
			fieldsPool.Put(f)
		}()
		otel.GetTextMapPropagator().Inject(ctx, f)
		if len(f.kv) == 0 {
			return hdr
		}
		n := len(headerLine) + 2
		for i := 0; i < len(f.kv); i += 2 {
			n += len(f.kv[i]) + len(f.kv[i+1]) + 4
		}
		b := make([]byte, 0, n)
		b = append(b, headerLine...)
		for i := 0; i < len(f.kv); i += 2 {
			b = appendField(b, f.kv[i], f.kv[i+1])
		}
		return append(b, "\r\n"...)
	}
	h, err := natsgo.DecodeHeadersMsg(hdr)
	if err != nil {
		return hdr
	}
	otel.GetTextMapPropagator().Inject(ctx, carrier(h))
	if len(h) == 0 {
		return hdr
	}
	n := len(headerLine) + 2
	for k, vs := range h {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	b := make([]byte, 0, n)
	b = append(b, headerLine...)
	for k, vs := range h {
		for _, v := range vs {
			b = appendField(b, k, v)
		}
	}
	return append(b, "\r\n"...)
}

func appendField(b []byte, k, v string) []byte {
	b = append(b, k...)
	b = append(b, ": "...)
	b = append(b, v...)
	return append(b, "\r\n"...)
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
