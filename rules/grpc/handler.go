package grpc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/rules/sdk"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	otelcodes "go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/rpcconv"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/stats"
	"google.golang.org/grpc/status"
)

// ScopeName is the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/otelgen/otelgen/rules/grpc"

// otelgrpcScope is the scope of the contrib instrumentation's spans.
const otelgrpcScope = "go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"

// instruments are the tracer and the RPC duration histograms, made on
// first use from the global providers, and again when the program installs
// its own providers, so that automatic spans follow the global
// TracerProvider.
var instruments = sdk.NewInstruments(ScopeName, func(m metric.Meter) (durations, error) {
	server, err1 := rpcconv.NewServerCallDuration(m)
	client, err2 := rpcconv.NewClientCallDuration(m)
	return durations{server, client}, errors.Join(err1, err2)
})

type durations struct {
	server rpcconv.ServerCallDuration
	client rpcconv.ClientCallDuration
}

// spanName is the span name and rpc.method of a call: its full method
// name, "/package.Service/Method", without the leading slash.
func spanName(fullMethod string) string {
	return strings.TrimPrefix(fullMethod, "/")
}

// tracedBy reports whether ctx carries a recording span of that kind and
// name that the contrib instrumentation (otelgrpc's stats handler, placed
// before otelgen's) started for this very call: the program traces its
// gRPC calls by hand, and a second span would trace them twice.
func tracedBy(ctx context.Context, kind trace.SpanKind, name string) bool {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return false
	}
	s, ok := span.(interface {
		SpanKind() trace.SpanKind
		Name() string
	})
	if !ok || s.SpanKind() != kind || s.Name() != name {
		return false
	}
	if sc, ok := span.(interface{ InstrumentationScope() instrumentation.Scope }); ok {
		return sc.InstrumentationScope().Name == otelgrpcScope
	}
	return true
}

// mdCarrier is gRPC metadata as a propagation.TextMapCarrier. Metadata keys
// are lower-case, as the W3C headers' names are.
type mdCarrier metadata.MD

func (c mdCarrier) Get(key string) string {
	if v := metadata.MD(c).Get(key); len(v) > 0 {
		return v[0]
	}
	return ""
}

func (c mdCarrier) Set(key, value string) { metadata.MD(c).Set(key, value) }

func (c mdCarrier) Keys() []string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	return keys
}

// statusName is a code as rpc.response.status_code wants it: its canonical
// name, "OK", "NOT_FOUND", ...
func statusName(c codes.Code) string {
	if int(c) < len(codeNames) {
		return codeNames[c]
	}
	return "CODE(" + strconv.Itoa(int(c)) + ")"
}

var codeNames = [...]string{
	codes.OK: "OK", codes.Canceled: "CANCELLED", codes.Unknown: "UNKNOWN",
	codes.InvalidArgument: "INVALID_ARGUMENT", codes.DeadlineExceeded: "DEADLINE_EXCEEDED",
	codes.NotFound: "NOT_FOUND", codes.AlreadyExists: "ALREADY_EXISTS",
	codes.PermissionDenied: "PERMISSION_DENIED", codes.ResourceExhausted: "RESOURCE_EXHAUSTED",
	codes.FailedPrecondition: "FAILED_PRECONDITION", codes.Aborted: "ABORTED",
	codes.OutOfRange: "OUT_OF_RANGE", codes.Unimplemented: "UNIMPLEMENTED",
	codes.Internal: "INTERNAL", codes.Unavailable: "UNAVAILABLE", codes.DataLoss: "DATA_LOSS",
	codes.Unauthenticated: "UNAUTHENTICATED",
}

// serverError reports whether a code makes a SERVER span an error, as the
// gRPC conventions say: the codes that mean the server failed, not the
// caller.
func serverError(c codes.Code) bool {
	switch c {
	case codes.Unknown, codes.DeadlineExceeded, codes.Unimplemented,
		codes.Internal, codes.Unavailable, codes.DataLoss:
		return true
	}
	return false
}

// hostPort splits an address into server.address and server.port; port 0
// when there is none.
func hostPort(addr string) (string, int) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return addr, 0
	}
	port, _ := strconv.Atoi(p)
	return host, port
}

// targetAddress is the server a ClientConn's target names:
// "dns:///api.example.com:443" is api.example.com and 443,
// "127.0.0.1:50051" is 127.0.0.1 and 50051, "unix:///run/x.sock" the path
// /run/x.sock.
func targetAddress(target string) (string, int) {
	scheme, rest, ok := strings.Cut(target, ":")
	if !ok || strings.ContainsAny(scheme, "/.[") || !strings.HasPrefix(rest, "/") && scheme != "unix" {
		// No scheme: "host:port", "[::1]:443", or "localhost".
		return hostPort(target)
	}
	if scheme == "unix" || scheme == "unix-abstract" {
		return strings.TrimPrefix(rest, "//"), 0
	}
	rest = strings.TrimPrefix(rest, "//")
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		rest = rest[i+1:] // past the authority, which names the resolver's server
	}
	return hostPort(rest)
}

// errorStatus sets an error status and error.type on a span, from a status.
func errorStatus(span trace.Span, st *status.Status) attribute.KeyValue {
	et := semconv.ErrorTypeKey.String(statusName(st.Code()))
	span.SetStatus(otelcodes.Error, st.Message())
	return et
}

// clientKey marks the context of a call that carries otelgen's client call.
type clientKey struct{}

// clientHandler is the stats.Handler of one ClientConn.
type clientHandler struct {
	host string
	port int
}

func newClientHandler(target string) *clientHandler {
	h := &clientHandler{}
	h.host, h.port = targetAddress(target)
	return h
}

// clientCall is one call (one attempt, when gRPC retries) of a client.
type clientCall struct {
	span   trace.Span
	start  time.Time
	method string
	ctx    context.Context
}

// TagRPC starts the CLIENT span of a call, as a child of the span in the
// call's context or else of the goroutine's current span, and puts the
// trace context and baggage in the call's outgoing metadata.
func (h *clientHandler) TagRPC(ctx context.Context, info *stats.RPCTagInfo) context.Context {
	name := spanName(info.FullMethodName)
	if tracedBy(ctx, trace.SpanKindClient, name) {
		return ctx
	}
	in := instruments.Get()
	attrs := make([]attribute.KeyValue, 0, 4)
	attrs = append(attrs, semconv.RPCSystemNameGRPC, semconv.RPCMethod(name))
	if h.host != "" {
		attrs = append(attrs, semconv.ServerAddress(h.host))
	}
	if h.port > 0 {
		attrs = append(attrs, semconv.ServerPort(h.port))
	}
	// The span is not current on the caller's goroutine: a streaming call
	// outlives the function that started it.
	saved := gls.Save()
	spanCtx, span := in.Tracer.Start(gls.Fill(ctx), name,
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attrs...))
	gls.Restore(saved)
	md, ok := metadata.FromOutgoingContext(ctx) // a copy
	if !ok {
		md = metadata.MD{}
	}
	otel.GetTextMapPropagator().Inject(spanCtx, mdCarrier(md))
	// The context gRPC passes on keeps the span it had: another stats
	// handler of the program finds its own span there, not otelgen's.
	ctx = metadata.NewOutgoingContext(ctx, md)
	return context.WithValue(ctx, clientKey{}, &clientCall{span: span, start: time.Now(), method: name, ctx: spanCtx})
}

// HandleRPC ends the CLIENT span with the call's status, and records its
// duration.
func (h *clientHandler) HandleRPC(ctx context.Context, s stats.RPCStats) {
	end, ok := s.(*stats.End)
	if !ok {
		return
	}
	call, _ := ctx.Value(clientKey{}).(*clientCall)
	if call == nil {
		return
	}
	st, _ := status.FromError(end.Error)
	code := semconv.RPCResponseStatusCode(statusName(st.Code()))
	attrs := []attribute.KeyValue{code}
	if st.Code() != codes.OK {
		attrs = append(attrs, errorStatus(call.span, st))
	}
	call.span.SetAttributes(attrs...)
	call.span.End()
	set := clientMetric{method: call.method, host: h.host, port: h.port, code: st.Code(), failed: st.Code() != codes.OK}.set()
	instruments.Get().M.client.RecordSet(context.WithoutCancel(call.ctx), time.Since(call.start).Seconds(), set)
}

func (h *clientHandler) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context {
	return ctx
}

func (h *clientHandler) HandleConn(context.Context, stats.ConnStats) {}

// serverKey marks the context of a call that carries otelgen's server call.
type serverKey struct{}

// serverHandler is the stats.Handler of every Server.
type serverHandler struct{}

// serverCall is one call a server serves.
type serverCall struct {
	span     trace.Span
	start    time.Time
	method   string
	ctx      context.Context
	saved    gls.Token
	ended    atomic.Bool
	panicked atomic.Bool
}

// TagRPC starts the SERVER span of a call, as a child of the trace context
// in its metadata (a root without one), and makes it current on the
// goroutine, which is the one that runs the method's handler.
func (serverHandler) TagRPC(ctx context.Context, info *stats.RPCTagInfo) context.Context {
	name := spanName(info.FullMethodName)
	if tracedBy(ctx, trace.SpanKindServer, name) {
		return ctx
	}
	in := instruments.Get()
	md, _ := metadata.FromIncomingContext(ctx)
	ctx = otel.GetTextMapPropagator().Extract(ctx, mdCarrier(md))
	opts := []trace.SpanStartOption{
		trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(semconv.RPCSystemNameGRPC, semconv.RPCMethod(name)),
	}
	if !trace.SpanContextFromContext(ctx).IsRemote() {
		// No caller's context: the call is a trace of its own, whatever the
		// serving goroutine was started in.
		opts = append(opts, trace.WithNewRoot())
	}
	saved := gls.Save()
	ctx, span := in.Tracer.Start(ctx, name, opts...)
	gls.Push(ctx)
	call := &serverCall{span: span, start: time.Now(), method: name, ctx: ctx, saved: saved}
	return context.WithValue(ctx, serverKey{}, call)
}

// HandleRPC adds the server's address and the caller's to the SERVER span,
// and ends it with the call's status and records its duration.
func (serverHandler) HandleRPC(ctx context.Context, s stats.RPCStats) {
	call, _ := ctx.Value(serverKey{}).(*serverCall)
	if call == nil {
		return
	}
	switch s := s.(type) {
	case *stats.InHeader:
		attrs, ok := ctx.Value(connKey{}).([]attribute.KeyValue)
		if !ok {
			attrs = connAttrs(s.LocalAddr, s.RemoteAddr)
		}
		call.span.SetAttributes(attrs...)
	case *stats.End:
		call.end(status.Convert(s.Error))
	}
}

// end ends the SERVER span once, with the call's status, records the call's
// duration, and puts back the goroutine's state from before the call.
func (call *serverCall) end(st *status.Status) {
	if call.ended.Swap(true) {
		return
	}
	gls.Restore(call.saved)
	code := semconv.RPCResponseStatusCode(statusName(st.Code()))
	attrs := []attribute.KeyValue{code}
	switch {
	case serverError(st.Code()):
		attrs = append(attrs, errorStatus(call.span, st))
	case call.panicked.Load():
		// The program's recovery interceptor answered with a code that is
		// not a server error; the handler failed all the same.
		call.span.SetStatus(otelcodes.Error, "panic")
	}
	call.span.SetAttributes(attrs...)
	call.span.End()
	set := serverMetric{method: call.method, code: st.Code(), failed: serverError(st.Code())}.set()
	instruments.Get().M.server.RecordSet(context.WithoutCancel(call.ctx), time.Since(call.start).Seconds(), set)
}

// endUnhandled ends the span of a call that gRPC answered itself, without
// a handler: it answers an unknown service or method with Unimplemented.
// As the conventions say for a method the server does not know, rpc.method
// is then _OTHER, and rpc.method_original the name the caller sent: the
// metrics keep a bounded set of methods whatever the callers send.
func (call *serverCall) endUnhandled() {
	if call.ended.Load() {
		return
	}
	call.span.SetAttributes(semconv.RPCMethod(otherMethod), semconv.RPCMethodOriginal(call.method))
	call.method = otherMethod
	call.end(status.New(codes.Unimplemented, "unknown service or method"))
}

// maxSets bounds the attribute sets each kind of call keeps. The server's
// methods are the ones it registered (any other is _OTHER); a client's are
// the ones its program calls, on the ClientConns it made.
const maxSets = 512

// serverMetric is what the attributes of a server's rpc.server.call.duration
// point are made of: rpc.system.name, rpc.method, rpc.response.status_code,
// and error.type (the status's name) when failed.
type serverMetric struct {
	method string
	code   codes.Code
	failed bool
}

var serverSets = sdk.NewAttrSets[serverMetric](maxSets)

// set returns the attribute set of k, made once and kept: the attributes
// of a method's calls are the same call after call, and attribute.NewSet
// copies, sorts and hashes them, which costs more than finding the set.
func (k serverMetric) set() attribute.Set {
	if s, ok := serverSets.Lookup(k); ok {
		return s
	}
	return serverSets.Add(k, appendResult(make([]attribute.KeyValue, 0, 4), k.method, k.code, k.failed))
}

// clientMetric is what the attributes of a client's rpc.client.call.duration
// point are made of: those of serverMetric, and server.address and
// server.port when the ClientConn's target names them.
type clientMetric struct {
	method string
	host   string
	port   int
	code   codes.Code
	failed bool
}

var clientSets = sdk.NewAttrSets[clientMetric](maxSets)

// set returns the attribute set of k, made once and kept (see serverMetric).
func (k clientMetric) set() attribute.Set {
	if s, ok := clientSets.Lookup(k); ok {
		return s
	}
	kvs := appendResult(make([]attribute.KeyValue, 0, 6), k.method, k.code, k.failed)
	if k.host != "" {
		kvs = append(kvs, semconv.ServerAddress(k.host))
	}
	if k.port > 0 {
		kvs = append(kvs, semconv.ServerPort(k.port))
	}
	return clientSets.Add(k, kvs)
}

// appendResult appends the attributes that a call's duration points of
// both kinds have.
func appendResult(kvs []attribute.KeyValue, method string, code codes.Code, failed bool) []attribute.KeyValue {
	kvs = append(kvs, semconv.RPCSystemNameGRPC, semconv.RPCMethod(method),
		semconv.RPCResponseStatusCode(statusName(code)))
	if failed {
		kvs = append(kvs, semconv.ErrorTypeKey.String(statusName(code)))
	}
	return kvs
}

// otherMethod is rpc.method for a method the server does not know.
const otherMethod = "_OTHER"

// TagConn works out the attributes of a connection's two ends once: every
// call on it finds them in its context (gRPC derives the calls' contexts
// from the connection's), instead of formatting the addresses again.
func (serverHandler) TagConn(ctx context.Context, info *stats.ConnTagInfo) context.Context {
	return context.WithValue(ctx, connKey{}, connAttrs(info.LocalAddr, info.RemoteAddr))
}

// connKey marks the context of a connection a server serves, with the
// attributes of its ends (connAttrs).
type connKey struct{}

// connAttrs returns the server.* attributes of a server connection's local
// address and the network.peer.* ones of its remote address.
func connAttrs(local, remote net.Addr) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, 4)
	if local != nil {
		host, port := hostPort(local.String())
		attrs = append(attrs, semconv.ServerAddress(host))
		if port > 0 {
			attrs = append(attrs, semconv.ServerPort(port))
		}
	}
	if remote != nil {
		host, port := hostPort(remote.String())
		attrs = append(attrs, semconv.NetworkPeerAddress(host))
		if port > 0 {
			attrs = append(attrs, semconv.NetworkPeerPort(port))
		}
	}
	return attrs
}

func (serverHandler) HandleConn(context.Context, stats.ConnStats) {}

// recordPanic records a handler's panic on the SERVER span of its call: an
// exception event with the value and the stack, and an error status.
func (call *serverCall) recordPanic(v any) {
	call.panicked.Store(true)
	call.span.AddEvent(semconv.ExceptionEventName, trace.WithAttributes(
		semconv.ExceptionType(typeName(v)),
		semconv.ExceptionMessage(fmt.Sprint(v)),
		semconv.ExceptionStacktrace(stack()),
	))
	call.span.SetStatus(otelcodes.Error, "panic: "+fmt.Sprint(v))
}

func typeName(v any) string {
	if v == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%T", v)
}
