// Package nethttp holds the hooks of the net/http rules: a CLIENT span around
// every request an http.Transport sends, a SERVER span around every request
// net/http's server hands to a Handler, trace context and baggage propagated
// both ways, and the stable HTTP duration metrics.
package nethttp

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "unsafe" // for go:linkname

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/internal/httpspan"
	"github.com/otelgen/otelgen/rules/sdk"
	"github.com/otelgen/otelgen/rules/sdk/httpmetric"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/httpconv"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/otelgen/otelgen/rules/nethttp"

// statusOf is defined in net/http by the nethttp-status rules' file; it is
// nil in a build without it.
//
//go:linkname statusOf otelgen_nethttp_status
var statusOf func(http.ResponseWriter) int

// instruments are the tracer and the HTTP duration histograms, made on
// first use from the global providers, and again when the program installs
// its own providers, so that automatic spans follow the global
// TracerProvider.
var instruments = sdk.NewInstruments(ScopeName, httpmetric.NewDurations)

// serverKey marks a request context that carries otelgen's server span: its
// value is the request's *serverCall.
type serverKey struct{}

// serverCall is one request through the server, from ServerBefore to
// ServerAfter. A router's hooks fill in routeSet, err and panicked through
// SetRoute, RecordError and RecordPanic, and the ServeMux hook mux, under
// mu: usually on the request's goroutine, but a handler behind
// http.TimeoutHandler runs on another one.
type serverCall struct {
	mu       sync.Mutex
	saved    gls.Token
	start    time.Time
	span     trace.Span
	ctx      context.Context
	w        http.ResponseWriter
	req      *http.Request
	mux      *http.Request // the request a ServeMux matched, when one did
	attrs    []attribute.KeyValue
	host     string // server.address, "" for none
	port     int    // server.port, 0 for none
	routeSet string
	err      error
	panicked bool
}

// ServerBefore starts the SERVER span of a request, as a child of the trace
// context in its headers, and makes it current in the request's context.
func ServerBefore(c *hook.Call, _ interface{}, w *http.ResponseWriter, r **http.Request) {
	if sdk.Disabled() {
		return
	}
	req := *r
	in := instruments.Get()
	ctx := otel.GetTextMapPropagator().Extract(req.Context(), propagation.HeaderCarrier(req.Header))
	scheme := "http"
	if req.TLS != nil {
		scheme = "https"
	}
	method := httpconv.RequestMethodAttr(httpspan.Method(req.Method))
	host, port := httpspan.HostPort(req.Host, scheme)
	attrs := make([]attribute.KeyValue, 0, 12) // room for every attribute: no regrowth
	attrs = append(attrs,
		semconv.HTTPRequestMethodKey.String(string(method)),
		semconv.URLScheme(scheme),
		semconv.URLPath(req.URL.Path),
		semconv.NetworkProtocolVersion(protoVersion(req.ProtoMajor, req.ProtoMinor)),
	)
	if host != "" {
		attrs = append(attrs, semconv.ServerAddress(host))
	}
	if port > 0 {
		attrs = append(attrs, semconv.ServerPort(port))
	}
	if q := redactQuery(req.URL.RawQuery); q != "" {
		attrs = append(attrs, semconv.URLQuery(q))
	}
	if ip, _, err := net.SplitHostPort(req.RemoteAddr); err == nil {
		attrs = append(attrs, semconv.ClientAddress(ip))
	}
	if ua := req.UserAgent(); ua != "" {
		attrs = append(attrs, semconv.UserAgentOriginal(ua))
	}
	if method == httpconv.RequestMethodOther {
		attrs = append(attrs, semconv.HTTPRequestMethodOriginal(req.Method))
	}
	attrs = requestHeaders(attrs, req.Header) // for the span, not the metrics
	saved := gls.Save()
	ctx, span := in.Tracer.Start(ctx, string(method),
		trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(attrs...))
	// The handler's goroutine, and those it starts, are inside the span.
	gls.Push(ctx)
	sc := &serverCall{saved: saved, start: time.Now(), span: span, w: *w, attrs: attrs, host: host, port: port}
	ctx = context.WithValue(ctx, serverKey{}, sc)
	*r = req.WithContext(ctx)
	sc.ctx, sc.req = ctx, *r
	c.Data = sc
}

// Attributes of a request whose handler hijacked the connection. The
// semantic conventions have none for it.
const (
	HijackedKey = attribute.Key("otelgen.http.hijacked")
	UpgradeKey  = attribute.Key("otelgen.http.upgrade") // the protocol upgraded to, such as "websocket"
)

// upgrade returns the protocol a request asks to upgrade to (lower case),
// or "".
func upgrade(req *http.Request) string {
	if req == nil {
		return ""
	}
	up := req.Header.Get("Upgrade")
	if up == "" {
		return ""
	}
	for _, v := range req.Header.Values("Connection") {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), "upgrade") {
				return strings.ToLower(strings.TrimSpace(strings.Split(up, ",")[0]))
			}
		}
	}
	return ""
}

// ServerAfter ends the SERVER span with the handler's status, names it after
// the route a router or the ServeMux matched, and records the request's
// duration. A panic on its way to net/http's recovery (which closes the
// connection) is recorded as status 500, an error and an exception event.
func ServerAfter(c *hook.Call) {
	sc, ok := c.Data.(*serverCall)
	if !ok {
		return
	}
	gls.Restore(sc.saved)
	elapsed := time.Since(sc.start).Seconds()
	status := 0
	if statusOf != nil {
		status = statusOf(sc.w)
	}
	span := sc.span
	if status == -1 {
		// The handler took the connection over: what it sent there is
		// not net/http's to know, but an upgrade that it accepted (a
		// websocket) answers 101. The span ends now, with the handler;
		// the connection's later traffic is not the request's.
		status = 0
		span.SetAttributes(HijackedKey.Bool(true))
		if up := upgrade(sc.req); up != "" {
			status = http.StatusSwitchingProtocols
			span.SetAttributes(UpgradeKey.String(up))
		}
	}
	sc.mu.Lock()
	if v, ok := httpspan.Panicking(); ok {
		if !sc.panicked { // a router's hook did not record it already
			recordPanic(span, v)
			sc.panicked, sc.err = true, httpspan.PanicError{V: v}
		}
		status = http.StatusInternalServerError
	}
	err, route := sc.err, sc.route()
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
	method := sc.attrs[0].Value.AsString()
	if route != "" {
		extra = append(extra, semconv.HTTPRoute(route))
		span.SetName(method + " " + route)
	}
	span.SetAttributes(extra...)
	if hs := responseHeaders(nil, sc.w.Header()); hs != nil {
		span.SetAttributes(hs...)
	}
	span.End()

	// The duration's attributes are the same for most requests of a route:
	// their set is made once.
	set := httpmetric.Server{
		Method: method, Scheme: sc.attrs[1].Value.AsString(), Proto: sc.attrs[3].Value.AsString(),
		Host: sc.host, Port: sc.port, Status: status, ErrorType: errType, Route: route,
	}.Set()
	instruments.Get().M.Server.RecordSet(context.WithoutCancel(sc.ctx), elapsed, set)
}

// route is the request's route template: the one a router set, else the
// pattern the ServeMux matched. sc.mu is held.
func (sc *serverCall) route() string {
	if sc.routeSet != "" {
		return sc.routeSet
	}
	if sc.mux != nil && sc.mux.Pattern != "" {
		return routeOf(sc.mux.Pattern)
	}
	return routeOf(sc.req.Pattern)
}

// ServeMuxBefore keeps the request a ServeMux is about to match, on which
// the mux sets Pattern, when a middleware before it made a new one. The
// first (outermost) mux wins: an inner one behind http.StripPrefix matches a
// shortened path.
func ServeMuxBefore(_ *hook.Call, _ *http.ServeMux, _ *http.ResponseWriter, r **http.Request) {
	if *r == nil {
		return
	}
	if sc := serverCallOf((*r).Context()); sc != nil {
		sc.mu.Lock()
		if sc.mux == nil {
			sc.mux = *r
		}
		sc.mu.Unlock()
	}
}

func serverCallOf(ctx context.Context) *serverCall {
	if ctx == nil {
		return nil
	}
	sc, _ := ctx.Value(serverKey{}).(*serverCall)
	return sc
}

// HasServerSpan reports whether ctx is the context of a request under
// otelgen's server span, so that a router's own OpenTelemetry middleware
// (otelgin, say) can be passed over instead of making a second one.
func HasServerSpan(ctx context.Context) bool { return serverCallOf(ctx) != nil }

// SetRoute names the server span of the request served under ctx after its
// route template ("/users/:id", "/users/{id}"), and puts the route on its
// http.route attribute and on the request's duration metric. A router's hook
// calls it once it has matched the request; the last call wins, so that a
// router mounted inside another one names the route it matched. It does
// nothing when ctx is not a request's context under otelgen's server span.
func SetRoute(ctx context.Context, route string) {
	if sc := serverCallOf(ctx); sc != nil && route != "" {
		sc.mu.Lock()
		sc.routeSet = route
		sc.mu.Unlock()
	}
}

// RecordError records a handler's error on the server span of the request
// served under ctx: an exception event now and, when the request ends, an
// error status and error.type unless the response's status says that the
// client erred (4xx). A router's hook calls it with the error the handler
// returned or left (echo's returned error, gin's c.Errors.Last()).
func RecordError(ctx context.Context, err error) {
	sc := serverCallOf(ctx)
	if sc == nil || err == nil {
		return
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if httpspan.SameError(sc.err, err) {
		return
	}
	sc.span.RecordError(err)
	sc.err = err
}

// RecordPanic records a handler's panic, which a router's recovery caught
// with value v, on the server span of the request served under ctx: an
// exception event with the stack, and an error status when the request ends.
// The recovery goes on as before: it writes the response (gin's 500, say).
func RecordPanic(ctx context.Context, v any) {
	sc := serverCallOf(ctx)
	if sc == nil {
		return
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.panicked {
		return
	}
	recordPanic(sc.span, v)
	sc.panicked, sc.err = true, httpspan.PanicError{V: v}
}

// RecordPanicking records the panic that the calling goroutine is running
// deferred calls for, if one is and nothing recovered it yet, as RecordPanic
// does. A router's hook deferred around its handlers calls it, so that a
// panic is recorded before a recovery further up (a middleware, the
// router's panic handler) takes it.
func RecordPanicking(ctx context.Context) {
	if v, ok := httpspan.Panicking(); ok {
		RecordPanic(ctx, v)
	}
}

// recordPanic adds the exception event of a panic with value v to span, with
// the stack of the panicking goroutine (still there while deferred calls and
// recovery functions run).
func recordPanic(span trace.Span, v any) {
	span.AddEvent(semconv.ExceptionEventName, trace.WithAttributes(
		semconv.ExceptionType(httpspan.TypeName(v)),
		semconv.ExceptionMessage(fmt.Sprint(v)),
		semconv.ExceptionStacktrace(string(debug.Stack())),
	))
}

// routeOf is the path part of a ServeMux pattern such as "GET /items/{id}".
func routeOf(pattern string) string {
	if i := strings.IndexByte(pattern, '/'); i >= 0 {
		return pattern[i:]
	}
	return ""
}

type clientCall struct {
	saved gls.Token
	start time.Time
	span  trace.Span
	ctx   context.Context
	attrs []attribute.KeyValue
	host  string
	port  int
}

// ClientBefore starts the CLIENT span of a request as a child of the span in
// its context, and sends the trace context and baggage in its headers. The
// request is copied first: a RoundTripper must not change the caller's.
func ClientBefore(c *hook.Call, _ *http.Transport, r **http.Request) {
	if sdk.Disabled() {
		return
	}
	req := *r
	if req == nil || req.URL == nil {
		return
	}
	// The SDK's own exports are not the program's traffic, and tracing them
	// would feed back into the exporter.
	if strings.HasPrefix(req.Header.Get("User-Agent"), "OTel ") {
		return
	}
	if tracedAlready(req) {
		return
	}
	in := instruments.Get()
	method := httpconv.RequestMethodAttr(httpspan.Method(req.Method))
	scheme := req.URL.Scheme
	host, port := httpspan.HostPort(req.URL.Host, scheme)
	attrs := make([]attribute.KeyValue, 0, 6)
	attrs = append(attrs,
		semconv.HTTPRequestMethodKey.String(string(method)),
		semconv.URLFull(redact(req)),
		semconv.ServerAddress(host),
	)
	if port > 0 {
		attrs = append(attrs, semconv.ServerPort(port))
	}
	if method == httpconv.RequestMethodOther {
		attrs = append(attrs, semconv.HTTPRequestMethodOriginal(req.Method))
	}
	// A request made without a context (http.Get) takes its parent span and
	// baggage from the goroutine.
	attrs = requestHeaders(attrs, req.Header) // for the span, not the metrics
	saved := gls.Save()
	ctx, span := in.Tracer.Start(gls.Fill(req.Context()), string(method),
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attrs...))
	out := req.WithContext(ctx)
	out.Header = req.Header.Clone()
	if out.Header == nil {
		out.Header = http.Header{}
	}
	otel.GetTextMapPropagator().Inject(ctx, propagation.HeaderCarrier(out.Header))
	*r = out
	c.Data = &clientCall{saved: saved, start: time.Now(), span: span, ctx: ctx, attrs: attrs, host: host, port: port}
}

// tracedAlready reports whether a CLIENT span already covers the request: the
// span in its context is a recording CLIENT span whose context is the one
// in its traceparent header. That is how otelhttp.NewTransport (or
// instrumentation by hand) sends a request through an http.Transport; a
// second span would trace the request twice.
func tracedAlready(req *http.Request) bool {
	span := trace.SpanFromContext(req.Context())
	kind, ok := span.(interface{ SpanKind() trace.SpanKind })
	if !ok || !span.IsRecording() || kind.SpanKind() != trace.SpanKindClient {
		return false
	}
	sc := span.SpanContext()
	tp := req.Header.Get("Traceparent")
	return strings.Contains(tp, sc.TraceID().String()+"-"+sc.SpanID().String())
}

// ClientAfter ends the CLIENT span with the response's status or the error,
// and records the request's duration.
func ClientAfter(c *hook.Call, resp **http.Response, err *error) {
	cc, ok := c.Data.(*clientCall)
	if !ok {
		return
	}
	gls.Restore(cc.saved)
	elapsed := time.Since(cc.start).Seconds()
	span := cc.span
	k := httpmetric.Client{Method: cc.attrs[0].Value.AsString(), Host: cc.host, Port: cc.port}
	if *err != nil {
		k.ErrorType = httpspan.ErrorType(*err)
		span.RecordError(*err)
		span.SetStatus(codes.Error, (*err).Error())
	} else if *resp != nil {
		k.Status = (*resp).StatusCode
		k.Proto = protoVersion((*resp).ProtoMajor, (*resp).ProtoMinor)
		if k.Status >= 400 {
			k.ErrorType = strconv.Itoa(k.Status)
			span.SetStatus(codes.Error, "")
		}
	}
	extra := httpmetric.Result(k.Status, k.ErrorType)
	if k.Proto != "" {
		extra = append(extra, semconv.NetworkProtocolVersion(k.Proto))
	}
	span.SetAttributes(extra...)
	if *err == nil && *resp != nil {
		if hs := responseHeaders(nil, (*resp).Header); hs != nil {
			span.SetAttributes(hs...)
		}
	}
	span.End()
	instruments.Get().M.Client.RecordSet(context.WithoutCancel(cc.ctx), elapsed, k.Set())
}

// OtelhttpHandlerBefore keeps a handler wrapped with otelhttp from tracing a
// request twice: when otelgen's server span is already there, the request
// goes straight to the wrapped handler.
func OtelhttpHandlerBefore(c *hook.Call, _ interface{}, w *http.ResponseWriter, r **http.Request, next *http.Handler) {
	if *r == nil || (*r).Context().Value(serverKey{}) == nil || *next == nil {
		return
	}
	(*next).ServeHTTP(*w, *r)
	c.Skip()
}

func protoVersion(major, minor int) string {
	switch {
	case major == 1 && minor == 1:
		return "1.1"
	case major == 1 && minor == 0:
		return "1.0"
	case major == 2:
		return "2"
	case major == 3:
		return "3"
	}
	return strconv.Itoa(major) + "." + strconv.Itoa(minor)
}
