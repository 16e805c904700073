package fasthttp

import (
	"context"
	"strconv"
	"strings"
	"time"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
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

type clientCall struct {
	start  time.Time
	span   trace.Span
	ctx    context.Context
	resp   *fasthttp.Response
	method httpconv.RequestMethodAttr
	host   string
	port   int
}

// ClientBefore starts the CLIENT span of one attempt to send req, as a
// child of the goroutine's current span (fasthttp's calls take no
// context), and sends the trace context and baggage in req's headers.
func ClientBefore(c *hook.Call, hc *fasthttp.HostClient, req **fasthttp.Request, resp **fasthttp.Response) {
	if sdk.Disabled() || *req == nil || *resp == nil {
		return
	}
	r := *req
	in := instruments.Get()
	rawMethod := r.Header.Method()
	method := httpconv.RequestMethodAttr(httpspan.Method(string(rawMethod)))
	uri := r.URI()
	scheme := string(uri.Scheme())
	hostport := string(uri.Host())
	if hostport == "" && hc != nil {
		// A request that names no host goes to the client's address.
		hostport, _, _ = strings.Cut(hc.Addr, ",")
	}
	host, port := httpspan.HostPort(hostport, scheme)
	attrs := make([]attribute.KeyValue, 0, 5)
	attrs = append(attrs,
		semconv.HTTPRequestMethodKey.String(string(method)),
		semconv.URLFull(fullURL(uri, scheme, hostport)),
		semconv.ServerAddress(host),
	)
	if port > 0 {
		attrs = append(attrs, semconv.ServerPort(port))
	}
	if method == httpconv.RequestMethodOther {
		attrs = append(attrs, semconv.HTTPRequestMethodOriginal(string(rawMethod)))
	}
	ctx, span := in.Tracer.Start(gls.Fill(context.Background()), string(method),
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attrs...))
	otel.GetTextMapPropagator().Inject(ctx, requestCarrier{&r.Header})
	c.Data = &clientCall{start: time.Now(), span: span, ctx: ctx, resp: *resp, method: method, host: host, port: port}
}

// ClientAfter ends the CLIENT span with the response's status or the error,
// and records the attempt's duration.
func ClientAfter(c *hook.Call, _ *bool, err *error) {
	cc, ok := c.Data.(*clientCall)
	if !ok {
		return
	}
	elapsed := time.Since(cc.start).Seconds()
	span := cc.span
	k := httpmetric.Client{Method: string(cc.method), Host: cc.host, Port: cc.port}
	if *err != nil {
		k.ErrorType = httpspan.ErrorType(*err)
		span.RecordError(*err)
		span.SetStatus(codes.Error, (*err).Error())
	} else {
		k.Status = cc.resp.StatusCode()
		k.Proto = httpspan.ProtoVersion(string(cc.resp.Header.Protocol()))
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
	span.End()
	instruments.Get().M.Client.RecordSet(cc.ctx, elapsed, k.Set())
}

// fullURL is the request's URL as url.full may carry it: credentials and
// the values of secret query parameters replaced by REDACTED.
func fullURL(uri *fasthttp.URI, scheme, hostport string) string {
	path, query, _ := strings.Cut(string(uri.RequestURI()), "?")
	return urlredact.Full(scheme, hostport, len(uri.Username()) > 0 || len(uri.Password()) > 0, path, query)
}
