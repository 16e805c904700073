// Package clientgo holds the hook of the client-go rule (k8s.io/client-go):
// every round tripper that transport.New makes, which is the one of every
// clientset, dynamic, discovery and REST client, gets wrapped in otelgen's,
// which makes a CLIENT span per request to the API server, named after the
// request's verb and resource ("get pods", "list configmaps",
// "create pods/eviction"), and records the http.client.request.duration
// histogram.
//
// The span is the request's HTTP client span, with the Kubernetes
// attributes besides the HTTP ones: otelgen's round tripper sends the trace
// context in the request's headers, so rules/nethttp, seeing a request
// already traced, makes no second span for it.
//
// The Kubernetes attributes are k8s.namespace.name, from the semantic
// conventions' registry, and these, which the conventions do not define:
// k8s.api.verb, k8s.api.group (absent for the core group), k8s.api.version,
// k8s.api.resource, k8s.api.subresource and k8s.api.name (the object's
// name), each where the request's path has it.
//
// The calls of informers' event handlers are traced by the package
// informer, apart, so that a program without tools/cache links none of
// its imports.
package clientgo

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/otelgen/otelgen/internal/httpspan"
	"github.com/otelgen/otelgen/internal/urlredact"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/httpconv"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/otelgen/otelgen/rules/clientgo"

// The attributes of a request's Kubernetes API call that the semantic
// conventions do not define.
const (
	VerbKey        = attribute.Key("k8s.api.verb")
	GroupKey       = attribute.Key("k8s.api.group")
	VersionKey     = attribute.Key("k8s.api.version")
	ResourceKey    = attribute.Key("k8s.api.resource")
	SubresourceKey = attribute.Key("k8s.api.subresource")
	NameKey        = attribute.Key("k8s.api.name")
)

// instruments are the tracer and histogram of the global providers, made
// again when the program installs its own.
var instruments = sdk.NewInstruments(ScopeName, func(m metric.Meter) (httpconv.ClientRequestDuration, error) {
	return httpconv.NewClientRequestDuration(m)
})

func get() *sdk.Made[httpconv.ClientRequestDuration] { return instruments.Get() }

// NewTransportAfter wraps the round tripper that transport.New made in
// otelgen's, outermost: around the program's WrapTransport wrappers, and
// around client-go's own (authentication, user agent, impersonation), so
// that a span covers a token refresh too.
func NewTransportAfter(c *hook.Call, rt *http.RoundTripper, err *error) {
	if sdk.Disabled() || *err != nil || *rt == nil {
		return
	}
	if _, ok := (*rt).(*roundTripper); ok {
		return
	}
	*rt = &roundTripper{next: *rt}
}

// roundTripper traces each request it passes to next.
type roundTripper struct {
	next http.RoundTripper
}

// WrappedRoundTripper gives the wrapped round tripper, as client-go's own
// wrappers do (k8s.io/apimachinery's RoundTripperWrapper), so that code
// looking for the transport underneath (to close idle connections, say)
// finds it.
func (rt *roundTripper) WrappedRoundTripper() http.RoundTripper { return rt.next }

// RoundTrip sends req inside a CLIENT span. Should otelgen's part panic,
// the request goes on untraced.
func (rt *roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	call := start(req)
	if call == nil {
		return rt.next.RoundTrip(req)
	}
	resp, err := rt.next.RoundTrip(call.req)
	call.end(resp, err)
	return resp, err
}

// call is one request, from start to end.
type call struct {
	req     *http.Request
	ctx     context.Context
	span    trace.Span
	saved   gls.Token
	start   time.Time
	method  string
	address string
	port    int
}

func start(req *http.Request) (c *call) {
	if req == nil || req.URL == nil || sdk.Disabled() {
		return nil
	}
	defer func() {
		if recover() != nil {
			c = nil
		}
	}()
	in := get()
	method := httpspan.Method(req.Method)
	u := *req.URL
	u.RawQuery = urlredact.Query(u.RawQuery)
	if u.User != nil {
		u.User = url.UserPassword(urlredact.Redacted, urlredact.Redacted)
	}
	_, port := httpspan.HostPort(u.Host, u.Scheme)
	host := u.Hostname()
	attrs := make([]attribute.KeyValue, 0, 12)
	attrs = append(attrs,
		semconv.HTTPRequestMethodKey.String(method),
		semconv.URLFull(u.String()),
		semconv.ServerAddress(host))
	if port > 0 {
		attrs = append(attrs, semconv.ServerPort(port))
	}
	if method == "_OTHER" {
		attrs = append(attrs, semconv.HTTPRequestMethodOriginal(req.Method))
	}
	name := method
	if a, ok := parse(req.Method, req.URL); ok {
		name = a.verb + " " + a.resource
		if a.subresource != "" {
			name += "/" + a.subresource
		}
		attrs = append(attrs, VerbKey.String(a.verb), VersionKey.String(a.version), ResourceKey.String(a.resource))
		if a.group != "" {
			attrs = append(attrs, GroupKey.String(a.group))
		}
		if a.subresource != "" {
			attrs = append(attrs, SubresourceKey.String(a.subresource))
		}
		if a.namespace != "" {
			attrs = append(attrs, semconv.K8SNamespaceName(a.namespace))
		}
		if a.name != "" {
			attrs = append(attrs, NameKey.String(a.name))
		}
	}
	// A request made with a context that carries no span (context.TODO())
	// takes its parent from the goroutine.
	saved := gls.Save()
	ctx, span := in.Tracer.Start(gls.Fill(req.Context()), name,
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attrs...))
	out := req.WithContext(ctx)
	out.Header = req.Header.Clone()
	if out.Header == nil {
		out.Header = http.Header{}
	}
	otel.GetTextMapPropagator().Inject(ctx, propagation.HeaderCarrier(out.Header))
	return &call{req: out, ctx: ctx, span: span, saved: saved, start: time.Now(), method: method, address: host, port: port}
}

// end ends the span with the response's status or the error, and records
// the request's duration. A status of 400 or more is an error, as for any
// HTTP client: the API server's 404 and 409 are the answers a controller
// looks for, but they are the call's failure all the same.
func (c *call) end(resp *http.Response, err error) {
	defer func() { _ = recover() }()
	defer gls.Restore(c.saved)
	elapsed := time.Since(c.start).Seconds()
	k := metricKey{method: c.method, address: c.address, port: c.port}
	switch {
	case err != nil:
		k.errType = httpspan.TransportErrorType(err)
		c.span.RecordError(err)
		c.span.SetStatus(codes.Error, err.Error())
	case resp != nil:
		k.answered, k.status = true, resp.StatusCode
		if resp.StatusCode >= 400 {
			c.span.SetStatus(codes.Error, http.StatusText(resp.StatusCode))
		}
	}
	c.span.SetAttributes(k.appendOutcome(make([]attribute.KeyValue, 0, 2))...)
	c.span.End()
	get().M.RecordSet(context.WithoutCancel(c.ctx), elapsed, k.set())
}

// maxSets bounds the attribute sets kept: a program's clients talk to few
// API servers, with few methods, and get few statuses.
const maxSets = 512

// metricKey is what the attributes of a request's
// http.client.request.duration point are made of: http.request.method,
// server.address and server.port, and the outcome's, http.response.status_code
// for a response and error.type for a transport error or a status of 400
// or more.
type metricKey struct {
	method   string
	address  string
	port     int
	answered bool   // a response came
	status   int    // its status code
	errType  string // error.type of a transport error; "" without one
}

var sets = sdk.NewAttrSets[metricKey](maxSets)

// set returns the attribute set of k, made once and kept: the attributes
// of a client's requests are the same request after request, and
// attribute.NewSet copies, sorts and hashes them, which costs more than
// finding the set.
func (k metricKey) set() attribute.Set {
	if s, ok := sets.Lookup(k); ok {
		return s
	}
	kvs := make([]attribute.KeyValue, 0, 5)
	// server.port even when 0, as httpconv's Record puts it.
	kvs = append(kvs, semconv.HTTPRequestMethodKey.String(k.method),
		semconv.ServerAddress(k.address), semconv.ServerPort(k.port))
	return sets.Add(k, k.appendOutcome(kvs))
}

// appendOutcome appends the attributes of how the request ended, which its
// span has too.
func (k metricKey) appendOutcome(kvs []attribute.KeyValue) []attribute.KeyValue {
	switch {
	case k.errType != "":
		kvs = append(kvs, semconv.ErrorTypeKey.String(k.errType))
	case k.answered:
		kvs = append(kvs, semconv.HTTPResponseStatusCode(k.status))
		if k.status >= 400 {
			kvs = append(kvs, semconv.ErrorTypeKey.String(strconv.Itoa(k.status)))
		}
	}
	return kvs
}

// apiCall is what a request's path and method say of the API call.
type apiCall struct {
	verb, group, version, resource, subresource, namespace, name string
}

// parse reads the API call from a request's method and URL, as the API
// server does: /api/{version}/... for the core group,
// /apis/{group}/{version}/... for the others, then
// [namespaces/{namespace}/]{resource}[/{name}[/{subresource}]]. A server
// address with a path of its own (a proxy's prefix) comes first. ok is
// false for paths that name no resource (discovery, /version, /healthz).
func parse(method string, u *url.URL) (a apiCall, ok bool) {
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	i := 0
	for ; i < len(parts); i++ {
		if parts[i] == "api" || parts[i] == "apis" {
			break
		}
	}
	switch {
	case i == len(parts):
		return a, false
	case parts[i] == "api" && i+1 < len(parts):
		a.version, parts = parts[i+1], parts[i+2:]
	case parts[i] == "apis" && i+2 < len(parts):
		a.group, a.version, parts = parts[i+1], parts[i+2], parts[i+3:]
	default:
		return a, false
	}
	if len(parts) == 0 || parts[0] == "" {
		return a, false
	}
	if parts[0] == "namespaces" && len(parts) >= 2 {
		a.namespace = parts[1]
		// A namespace's own status and finalize are the namespace's
		// subresources; anything else under it is a resource in it.
		if len(parts) >= 3 && parts[2] != "status" && parts[2] != "finalize" {
			parts = parts[2:]
		}
	}
	a.resource = parts[0]
	if len(parts) >= 2 {
		a.name = parts[1]
	}
	if len(parts) >= 3 {
		a.subresource = strings.Join(parts[2:], "/")
	}
	switch method {
	case http.MethodGet, http.MethodHead, "":
		switch {
		case isTrue(u.Query().Get("watch")):
			a.verb = "watch"
		case a.name != "":
			a.verb = "get"
		default:
			a.verb = "list"
		}
	case http.MethodPost:
		a.verb = "create"
	case http.MethodPut:
		a.verb = "update"
	case http.MethodPatch:
		a.verb = "patch"
	case http.MethodDelete:
		if a.name != "" {
			a.verb = "delete"
		} else {
			a.verb = "deletecollection"
		}
	default:
		a.verb = strings.ToLower(method)
	}
	return a, true
}

func isTrue(s string) bool { return s == "true" || s == "1" }
