// Package fasthttp holds the hooks of the fasthttp rules: a SERVER span
// around every request a fasthttp Server hands to its handler, a CLIENT span
// around every request a HostClient sends, trace context and baggage
// propagated both ways, and the stable HTTP duration metrics. fasthttp's
// calls take no context: the server span is current on the handler's
// goroutine (gls), and a client span's parent is the goroutine's current
// span.
//
// A router that serves through fasthttp (rules/fiber) names the server span
// after its route and records a handler's error or panic on it through
// SetRoute, RecordError and RecordPanic.
package fasthttp

import (
	"context"
	"fmt"
	"net"
	"runtime/debug"
	"strconv"
	"sync"
	"time"
	_ "unsafe" // for go:linkname

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/internal/httpspan"
	"github.com/otelgen/otelgen/internal/urlredact"
	"github.com/otelgen/otelgen/rules/sdk"
	"github.com/otelgen/otelgen/rules/sdk/httpmetric"
	"github.com/valyala/fasthttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/httpconv"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/otelgen/otelgen/rules/fasthttp"

// Defined in fasthttp by rule fasthttp-server-hooks's file; nil in a build
// without it.
var (
	//go:linkname serveHook otelgen_fasthttp_serve
	serveHook func(fasthttp.RequestHandler, *fasthttp.RequestCtx)
	//go:linkname statusOf otelgen_fasthttp_status
	statusOf func(*fasthttp.RequestCtx) int
	//go:linkname callSlot otelgen_fasthttp_call
	callSlot func(*fasthttp.RequestCtx) *any
)

// instruments are the tracer and the HTTP duration histograms, made on
// first use from the global providers, and again when the program installs
// its own providers, so that automatic spans follow the global
// TracerProvider.
var instruments = sdk.NewInstruments(ScopeName, httpmetric.NewDurations)

// serverCall is one request through the server's handler. A router's hooks
// fill in route, err and panicked under mu: on the handler's goroutine, or
// on another one behind fasthttp.TimeoutHandler.
type serverCall struct {
	mu       sync.Mutex
	span     trace.Span
	route    string
	err      error
	panicked bool
	done     bool // the span ended: later calls change nothing
}

// serve runs handler h for the request ctx under a SERVER span, a child of
// the trace context in the request's headers, current on the goroutine
// while h runs. fasthttp's server recovers no panic: one that leaves h ends
// the program, and the span with it.
func serve(h fasthttp.RequestHandler, ctx *fasthttp.RequestCtx) {
	if sdk.Disabled() {
		h(ctx)
		return
	}
	in := instruments.Get()
	req := &ctx.Request
	scheme := "http"
	if ctx.IsTLS() {
		scheme = "https"
	}
	rawMethod := ctx.Method()
	method := httpconv.RequestMethodAttr(httpspan.Method(string(rawMethod)))
	uri := ctx.URI()
	attrs := make([]attribute.KeyValue, 0, 12) // room for every attribute: no regrowth
	attrs = append(attrs,
		semconv.HTTPRequestMethodKey.String(string(method)),
		semconv.URLScheme(scheme),
		semconv.URLPath(string(uri.Path())),
		semconv.NetworkProtocolVersion(httpspan.ProtoVersion(string(req.Header.Protocol()))),
	)
	host, port := httpspan.HostPort(string(ctx.Host()), scheme)
	if host != "" {
		attrs = append(attrs, semconv.ServerAddress(host))
	}
	if port > 0 {
		attrs = append(attrs, semconv.ServerPort(port))
	}
	if q := urlredact.Query(string(uri.QueryString())); q != "" {
		attrs = append(attrs, semconv.URLQuery(q))
	}
	if addr, ok := ctx.RemoteAddr().(*net.TCPAddr); ok && addr != nil {
		attrs = append(attrs, semconv.ClientAddress(addr.IP.String()))
	}
	if ua := ctx.UserAgent(); len(ua) > 0 {
		attrs = append(attrs, semconv.UserAgentOriginal(string(ua)))
	}
	if method == httpconv.RequestMethodOther {
		attrs = append(attrs, semconv.HTTPRequestMethodOriginal(string(rawMethod)))
	}
	pctx := otel.GetTextMapPropagator().Extract(context.Background(), requestCarrier{&req.Header})
	saved := gls.Save()
	sctx, span := in.Tracer.Start(pctx, string(method),
		trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(attrs...))
	// The handler's goroutine, and those it starts, are inside the span.
	gls.Push(sctx)
	sc := &serverCall{span: span}
	if callSlot != nil {
		*callSlot(ctx) = sc
	}
	start := time.Now()

	h(ctx)

	gls.Restore(saved)
	elapsed := time.Since(start).Seconds()
	status := 0
	if statusOf != nil {
		status = statusOf(ctx)
	}
	sc.mu.Lock()
	sc.done = true
	err, route := sc.err, sc.route
	sc.mu.Unlock()
	errType := ""
	switch {
	case status >= 500:
		errType = strconv.Itoa(status)
		span.SetStatus(codes.Error, httpspan.ErrMessage(err))
	case status >= 400:
		// The client's error: a server span's status stays unset.
	case err != nil:
		errType = httpspan.ErrorType(err)
		span.SetStatus(codes.Error, httpspan.ErrMessage(err))
	}
	extra := httpmetric.Result(status, errType)
	if route != "" {
		extra = append(extra, semconv.HTTPRoute(route))
		span.SetName(string(method) + " " + route)
	}
	span.SetAttributes(extra...)
	span.End()

	set := httpmetric.Server{
		Method: string(method), Scheme: scheme, Proto: attrs[3].Value.AsString(),
		Host: host, Port: port, Status: status, ErrorType: errType, Route: route,
	}.Set()
	in.M.Server.RecordSet(sctx, elapsed, set)
}

// callOf returns the server call of the request ctx while its handler runs,
// or nil.
func callOf(ctx *fasthttp.RequestCtx) *serverCall {
	if ctx == nil || callSlot == nil {
		return nil
	}
	sc, _ := (*callSlot(ctx)).(*serverCall)
	return sc
}

// HasServerSpan reports whether the request ctx is served under otelgen's
// server span, so that a router's own OpenTelemetry middleware can be passed
// over instead of making a second one.
func HasServerSpan(ctx *fasthttp.RequestCtx) bool {
	sc := callOf(ctx)
	if sc == nil {
		return false
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return !sc.done
}

// SetRoute names the server span of the request ctx after its route
// template ("/users/:id"), and puts the route on its http.route attribute
// and on the request's duration metric. A router's hook calls it once it
// has matched the request; the last call wins. It does nothing when ctx is
// not under otelgen's server span.
func SetRoute(ctx *fasthttp.RequestCtx, route string) {
	if sc := callOf(ctx); sc != nil && route != "" {
		sc.mu.Lock()
		if !sc.done {
			sc.route = route
		}
		sc.mu.Unlock()
	}
}

// RecordError records a handler's error on the server span of the request
// ctx: an exception event now and, when the request ends, an error status
// and error.type unless the response's status says that the client erred
// (4xx). An error that follows a recorded panic (the error a recovery
// middleware made of it) is not recorded again.
func RecordError(ctx *fasthttp.RequestCtx, err error) {
	sc := callOf(ctx)
	if sc == nil || err == nil {
		return
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.done || sc.panicked || httpspan.SameError(sc.err, err) {
		return
	}
	sc.span.RecordError(err)
	sc.err = err
}

// RecordPanic records a handler's panic, which a recovery caught with value
// v, on the server span of the request ctx: an exception event with the
// stack (call it from the recovery, where the panicking goroutine's stack is
// still there), and an error status when the request ends.
func RecordPanic(ctx *fasthttp.RequestCtx, v any) {
	sc := callOf(ctx)
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
		semconv.ExceptionStacktrace(string(debug.Stack())),
	))
	sc.panicked, sc.err = true, httpspan.PanicError{V: v}
}

// requestCarrier reads and writes trace context in a request's headers.
type requestCarrier struct{ h *fasthttp.RequestHeader }

func (c requestCarrier) Get(key string) string { return string(c.h.Peek(key)) }
func (c requestCarrier) Set(key, value string) { c.h.Set(key, value) }
func (c requestCarrier) Keys() []string {
	var keys []string
	c.h.VisitAll(func(k, _ []byte) { keys = append(keys, string(k)) })
	return keys
}
