// Package elasticsearch holds the hook of the go-elasticsearch rule
// (github.com/elastic/go-elasticsearch/v8, through its transport
// github.com/elastic/elastic-transport-go/v8): every transport a client
// makes without an Instrumentation of the program's gets otelgen's, which
// makes a CLIENT span per API call and records the
// db.client.operation.duration histogram, as the semantic conventions
// describe for Elasticsearch.
//
// go-elasticsearch has an OpenTelemetry instrumentation of its own
// (elasticsearch.NewOpenTelemetryInstrumentation), built on the same
// Instrumentation interface; it writes the attributes of the conventions
// before they were stable (db.system, db.operation, db.statement) and
// neither the response's status nor error.type. otelgen's keeps its place
// and its calls, and writes the stable ones. A program that sets its own
// Instrumentation, Elastic's or another, keeps it.
//
// Each HTTP request the transport sends for a call (one per attempt, on
// retries) runs in the call's context: rules/nethttp's CLIENT span of the
// request is a child of the Elasticsearch span, never a root of its own.
package elasticsearch

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/elastic/elastic-transport-go/v8/elastictransport"
	"github.com/otelgen/otelgen/internal/httpspan"
	"github.com/otelgen/otelgen/internal/urlredact"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
	"github.com/otelgen/otelgen/rules/sdk/dbmetric"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/dbconv"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/otelgen/otelgen/rules/elasticsearch"

// instruments are the tracer and histogram of the global providers, made
// again when the program installs its own.
var instruments = sdk.NewInstruments(ScopeName, dbmetric.NewDuration)

func get() *sdk.Made[dbconv.ClientOperationDuration] { return instruments.Get() }

// NewTransportBefore gives a transport that elastictransport.New is about
// to make otelgen's Instrumentation, unless the program gave it one.
func NewTransportBefore(c *hook.Call, cfg *elastictransport.Config) {
	if sdk.Disabled() || cfg.Instrumentation != nil {
		return
	}
	cfg.Instrumentation = instrumentation{}
}

// instrumentation is otelgen's elastictransport.Instrumentation. The
// client calls Start with the API's endpoint id ("search", "index"),
// hands the returned context to the request, and calls Close when the
// call returns; the other methods find the call's state in the context.
// No method lets a panic of its own reach the client.
type instrumentation struct{}

var _ elastictransport.Instrumentation = instrumentation{}

// opKey is the context key of a call's *operation.
type opKey struct{}

// operation is one API call, from Start to Close.
type operation struct {
	span     trace.Span
	start    time.Time
	saved    gls.Token
	endpoint string
	index    string
	status   int // of the last response; 0 when none came
	err      error
	host     string // of the node the last request went to
	port     int
}

func opOf(ctx context.Context) *operation {
	if ctx == nil {
		return nil
	}
	op, _ := ctx.Value(opKey{}).(*operation)
	return op
}

// Start starts the call's span, named after the endpoint until the index
// is known. A call made with a context that carries no span takes its
// parent from the goroutine.
func (instrumentation) Start(ctx context.Context, name string) (out context.Context) {
	out = ctx
	defer func() { _ = recover() }()
	if ctx == nil {
		ctx = context.Background()
	}
	in := get()
	op := &operation{endpoint: name, start: time.Now(), saved: gls.Save()}
	ctx, op.span = in.Tracer.Start(gls.Fill(ctx), spanName(name, ""),
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(semconv.DBSystemNameElasticsearch, semconv.DBOperationName(name)))
	return context.WithValue(ctx, opKey{}, op)
}

func spanName(endpoint, index string) string {
	if endpoint == "" {
		endpoint = "elasticsearch"
	}
	if index == "" {
		return endpoint
	}
	return endpoint + " " + index
}

// RecordPathPart records a parameter of the endpoint's path as
// db.operation.parameter.<name>; the index ("index" or "target") is the
// call's db.collection.name too, and the span's name becomes
// "{endpoint} {index}".
func (instrumentation) RecordPathPart(ctx context.Context, part, value string) {
	defer func() { _ = recover() }()
	op := opOf(ctx)
	if op == nil || part == "" {
		return
	}
	op.span.SetAttributes(attribute.String("db.operation.parameter."+part, value))
	if (part == "index" || part == "target") && op.index == "" && value != "" {
		op.index = value
		op.span.SetAttributes(semconv.DBCollectionName(value))
		op.span.SetName(spanName(op.endpoint, value))
	}
}

// RecordRequestBody leaves the body alone: a query's literals are the
// program's data, and db.query.text is opt-in.
func (instrumentation) RecordRequestBody(context.Context, string, io.Reader) io.ReadCloser {
	return nil
}

// BeforeRequest does nothing: the transport has not chosen the node yet.
func (instrumentation) BeforeRequest(*http.Request, string) {}

// AfterRequest records what the request went to, after the transport
// sent it: the method, the URL without credentials nor secret query
// values, and the node's address and port.
func (instrumentation) AfterRequest(req *http.Request, _, _ string) {
	defer func() { _ = recover() }()
	if req == nil || req.URL == nil {
		return
	}
	op := opOf(req.Context())
	if op == nil {
		return
	}
	u := *req.URL
	u.RawQuery = urlredact.Query(u.RawQuery)
	if u.User != nil {
		u.User = url.UserPassword(urlredact.Redacted, urlredact.Redacted)
	}
	attrs := []attribute.KeyValue{
		semconv.HTTPRequestMethodKey.String(httpspan.Method(req.Method)),
		semconv.URLFull(u.String()),
	}
	op.host, op.port = u.Hostname(), 0
	if op.host != "" {
		attrs = append(attrs, semconv.ServerAddress(op.host))
		if _, port := httpspan.HostPort(u.Host, u.Scheme); port > 0 {
			op.port = port
			attrs = append(attrs, semconv.ServerPort(port))
		}
	}
	op.span.SetAttributes(attrs...)
}

// AfterResponse keeps the status of the response (the last one, after
// retries), and the cluster and node names that Elastic Cloud sends.
func (instrumentation) AfterResponse(ctx context.Context, res *http.Response) {
	defer func() { _ = recover() }()
	op := opOf(ctx)
	if op == nil || res == nil {
		return
	}
	op.status = res.StatusCode
	if cluster := res.Header.Get("X-Found-Handling-Cluster"); cluster != "" {
		op.span.SetAttributes(semconv.DBNamespace(cluster))
	}
	if node := res.Header.Get("X-Found-Handling-Instance"); node != "" {
		op.span.SetAttributes(semconv.ElasticsearchNodeName(node))
	}
}

// RecordError records an error of the call: one that kept the request
// from being sent, or from being answered.
func (instrumentation) RecordError(ctx context.Context, err error) {
	defer func() { _ = recover() }()
	if op := opOf(ctx); op != nil && err != nil {
		op.span.RecordError(err)
		op.err = err
	}
}

// Close ends the call's span with its outcome and records its duration.
// A status of 400 or more is an error (error.type is the status), but for
// the 404 of an exists endpoint, which is its answer "no"; an error
// without a response is named by its Go type, "timeout" for a timeout.
func (instrumentation) Close(ctx context.Context) {
	defer func() { _ = recover() }()
	op := opOf(ctx)
	if op == nil {
		return
	}
	defer gls.Restore(op.saved)
	elapsed := time.Since(op.start).Seconds()
	mk := dbmetric.Key{System: "elasticsearch", Operation: op.endpoint, Collection: op.index, Host: op.host, Port: op.port}
	switch {
	case op.status > 0:
		mk.StatusCode = strconv.Itoa(op.status)
		if op.status >= 400 && !(op.status == 404 && strings.HasSuffix(op.endpoint, "exists")) {
			mk.ErrorType = mk.StatusCode
			op.span.SetStatus(codes.Error, http.StatusText(op.status))
		}
	case op.err != nil:
		mk.ErrorType = httpspan.TransportErrorType(op.err)
		op.span.SetStatus(codes.Error, op.err.Error())
	}
	if r := mk.Result(); len(r) > 0 {
		op.span.SetAttributes(r...)
	}
	op.span.End()

	m := get().M
	if ctx = context.WithoutCancel(ctx); m.Enabled(ctx) {
		m.RecordSet(ctx, elapsed, mk.Set())
	}
}
