// Package hertz holds the hooks of the Hertz rules: a SERVER span around
// every request a Hertz engine serves, named after the route it matched, a
// CLIENT span around every request a Hertz client sends, trace context and
// baggage propagated both ways in the headers, and the stable HTTP
// duration metrics. Hertz serves on its own network stack (netpoll or Go's
// net), not through net/http, so the span is this package's own.
package hertz

import (
	"context"
	"fmt"
	"net"
	"reflect"
	"runtime/debug"
	"strconv"
	"sync"
	"time"
	_ "unsafe" // for go:linkname

	"github.com/cloudwego/hertz/pkg/app"
	"github.com/cloudwego/hertz/pkg/protocol"
	"github.com/cloudwego/hertz/pkg/route"
	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/internal/httpspan"
	"github.com/otelgen/otelgen/internal/urlredact"
	"github.com/otelgen/otelgen/rules/sdk"
	"github.com/otelgen/otelgen/rules/sdk/httpmetric"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/httpconv"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/otelgen/otelgen/rules/hertz"

// instruments are the tracer and the HTTP duration histograms, made on
// first use from the global providers, and again when the program installs
// its own providers, so that automatic spans follow the global
// TracerProvider.
var instruments = sdk.NewInstruments(ScopeName, httpmetric.NewDurations)

// serverKey marks the context, passed to the handlers, that carries the
// request's server call.
type serverKey struct{}

// serverCall is one request through the engine. The recovery hook fills in
// the panic under mu.
type serverCall struct {
	start  time.Time
	span   trace.Span
	ctx    context.Context
	saved  gls.Token
	rctx   *app.RequestContext
	method httpconv.RequestMethodAttr
	scheme string
	proto  string // network.protocol.version
	host   string // server.address, "" for none
	port   int    // server.port, 0 for none

	mu       sync.Mutex
	panicked bool
	err      error
	done     bool
}

// ServeBefore starts the SERVER span of a request, a child of the trace
// context in its headers, makes it current on the goroutine that runs the
// handlers, and hands the handlers a context that carries it.
func ServeBefore(c *hook.Call, _ *route.Engine, ctx *context.Context, rc **app.RequestContext) {
	if sdk.Disabled() || *rc == nil {
		return
	}
	r := *rc
	in := instruments.Get()
	req := &r.Request
	rawMethod := req.Header.Method()
	method := httpconv.RequestMethodAttr(httpspan.Method(string(rawMethod)))
	scheme := "http"
	if string(req.Scheme()) == "https" {
		scheme = "https"
	}
	attrs := make([]attribute.KeyValue, 0, 12)
	attrs = append(attrs,
		semconv.HTTPRequestMethodKey.String(string(method)),
		semconv.URLScheme(scheme),
		semconv.URLPath(string(req.URI().Path())),
		semconv.NetworkProtocolVersion(httpspan.ProtoVersion(req.Header.GetProtocol())),
	)
	host, port := httpspan.HostPort(string(req.Host()), scheme)
	if host != "" {
		attrs = append(attrs, semconv.ServerAddress(host))
	}
	if port > 0 {
		attrs = append(attrs, semconv.ServerPort(port))
	}
	if q := req.URI().QueryString(); len(q) > 0 {
		attrs = append(attrs, semconv.URLQuery(urlredact.Query(string(q))))
	}
	if addr, ok := r.RemoteAddr().(*net.TCPAddr); ok && addr != nil {
		attrs = append(attrs, semconv.ClientAddress(addr.IP.String()))
	}
	if ua := r.UserAgent(); len(ua) > 0 {
		attrs = append(attrs, semconv.UserAgentOriginal(string(ua)))
	}
	if method == httpconv.RequestMethodOther {
		attrs = append(attrs, semconv.HTTPRequestMethodOriginal(string(rawMethod)))
	}
	parent := *ctx
	if parent == nil {
		parent = context.Background()
	}
	parent = otel.GetTextMapPropagator().Extract(parent, headerCarrier{&req.Header})
	opts := []trace.SpanStartOption{
		trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(attrs...),
	}
	if !trace.SpanContextFromContext(parent).IsRemote() {
		// No caller's context: the request is a trace of its own, whatever
		// the serving goroutine or the server's base context carried.
		opts = append(opts, trace.WithNewRoot())
	}
	saved := gls.Save()
	sctx, span := in.Tracer.Start(parent, string(method), opts...)
	gls.Push(sctx)
	sc := &serverCall{
		start: time.Now(), span: span, ctx: sctx, saved: saved, rctx: r,
		method: method, scheme: scheme, proto: attrs[3].Value.AsString(), host: host, port: port,
	}
	*ctx = context.WithValue(sctx, serverKey{}, sc)
	c.Data = sc
}

// ServeAfter ends the SERVER span with the route Hertz matched, the
// response's status and the handlers' last error, and records the request's
// duration. It runs before Hertz resets the RequestContext for the next
// request, and also while a panic that no recovery caught leaves the
// engine: the span then records it as a 500, and the panic goes on as
// before.
func ServeAfter(c *hook.Call) {
	sc, ok := c.Data.(*serverCall)
	if !ok {
		return
	}
	gls.Restore(sc.saved)
	elapsed := time.Since(sc.start).Seconds()
	r := sc.rctx
	status := r.Response.StatusCode()
	route := r.FullPath()
	sc.mu.Lock()
	if v, ok := httpspan.Panicking(); ok && !sc.panicked {
		// No recovery middleware: the panic leaves the engine, to netpoll's
		// worker pool (which logs it) or to the runtime.
		sc.span.AddEvent(semconv.ExceptionEventName, trace.WithAttributes(
			semconv.ExceptionType(httpspan.TypeName(v)),
			semconv.ExceptionMessage(fmt.Sprint(v)),
			semconv.ExceptionStacktrace(string(debug.Stack())),
		))
		sc.panicked, sc.err = true, httpspan.PanicError{V: v}
	}
	sc.done = true
	err, panicked := sc.err, sc.panicked
	sc.mu.Unlock()
	if err == nil {
		if last := r.Errors.Last(); last != nil && last.Err != nil {
			err = last.Err
			sc.span.RecordError(err)
		}
	}
	if panicked && status < 500 {
		// A panic that nothing answered, or a recovery that answered with
		// a status that hides the failure.
		status = 500
	}
	span := sc.span
	errType := ""
	switch {
	case status >= 500:
		errType = strconv.Itoa(status)
		span.SetStatus(codes.Error, httpspan.ErrMessage(err))
	case status >= 400:
		// The client's error: a server span's status stays unset.
	case err != nil:
		errType = httpspan.ErrorType(err)
		span.SetStatus(codes.Error, err.Error())
	}
	extra := httpmetric.Result(status, errType)
	if route != "" {
		extra = append(extra, semconv.HTTPRoute(route))
		span.SetName(string(sc.method) + " " + route)
	}
	span.SetAttributes(extra...)
	span.End()

	set := httpmetric.Server{
		Method: string(sc.method), Scheme: sc.scheme, Proto: sc.proto,
		Host: sc.host, Port: sc.port, Status: status, ErrorType: errType, Route: route,
	}.Set()
	instruments.Get().M.Server.RecordSet(context.WithoutCancel(sc.ctx), elapsed, set)
}

// recoveryHandler is the type of the recovery middleware's handler.
type recoveryHandler = func(c context.Context, ctx *app.RequestContext, err interface{}, stack []byte)

// RecoveryOptionsAfter wraps the handler of a new recovery middleware's
// configuration (an unexported struct, reached by reflection; left alone
// when its field is not what this hook knows): a panic it recovers is
// recorded on the request's server span first, then the handler runs as
// before and writes the response it always wrote (by default a 500).
func RecoveryOptionsAfter(_ *hook.Call, opts interface{}) {
	if sdk.Disabled() {
		return
	}
	v := reflect.ValueOf(opts) // **options
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Pointer || v.Elem().IsNil() {
		return
	}
	cfg := v.Elem().Elem()
	if cfg.Kind() != reflect.Struct {
		return
	}
	f := cfg.FieldByName("recoveryHandler")
	if !f.IsValid() || f.Type() != reflect.TypeOf(recoveryHandler(nil)) || !f.CanAddr() {
		return
	}
	p := (*recoveryHandler)(f.Addr().UnsafePointer())
	orig := *p
	if orig == nil {
		return
	}
	*p = func(c context.Context, ctx *app.RequestContext, err interface{}, stack []byte) {
		recordPanic(c, err, stack)
		orig(c, ctx, err, stack)
	}
}

// recordPanic records a recovered panic on the server span of the request
// whose handlers got context c: an exception event with the stack the
// recovery took, and an error status when the request ends.
func recordPanic(c context.Context, v any, stack []byte) {
	if c == nil {
		return
	}
	sc, _ := c.Value(serverKey{}).(*serverCall)
	if sc == nil {
		return
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.done || sc.panicked {
		return
	}
	sc.span.AddEvent(semconv.ExceptionEventName, trace.WithAttributes(
		semconv.ExceptionType(httpspan.TypeName(v)),
		semconv.ExceptionMessage(fmt.Sprint(v)),
		semconv.ExceptionStacktrace(string(stack)),
	))
	sc.panicked, sc.err = true, httpspan.PanicError{V: v}
}

// headerCarrier reads and writes trace context in a request's headers.
type headerCarrier struct{ h *protocol.RequestHeader }

func (c headerCarrier) Get(key string) string { return string(c.h.Peek(key)) }
func (c headerCarrier) Set(key, value string) { c.h.Set(key, value) }
func (c headerCarrier) Keys() []string {
	var keys []string
	c.h.VisitAll(func(k, _ []byte) { keys = append(keys, string(k)) })
	return keys
}
