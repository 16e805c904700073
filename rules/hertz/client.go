package hertz

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/cloudwego/hertz/pkg/app/client"
	"github.com/cloudwego/hertz/pkg/protocol"
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

type clientCall struct {
	start  time.Time
	span   trace.Span
	ctx    context.Context
	resp   *protocol.Response
	method httpconv.RequestMethodAttr
	host   string
	port   int
}

// ClientBefore starts the CLIENT span of one request, as a child of the
// span in the call's context or else of the goroutine's current span, and
// sends the trace context and baggage in the request's headers.
func ClientBefore(c *hook.Call, _ *client.Client, ctx *context.Context, req **protocol.Request, resp **protocol.Response) {
	if sdk.Disabled() || *req == nil {
		return
	}
	r := *req
	in := instruments.Get()
	rawMethod := r.Header.Method()
	method := httpconv.RequestMethodAttr(httpspan.Method(string(rawMethod)))
	uri := r.URI()
	scheme := string(uri.Scheme())
	hostport := string(uri.Host())
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
	parent := *ctx
	if parent == nil {
		parent = context.Background()
	}
	saved := gls.Save()
	sctx, span := in.Tracer.Start(gls.Fill(parent), string(method),
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attrs...))
	gls.Restore(saved)
	otel.GetTextMapPropagator().Inject(sctx, headerCarrier{&r.Header})
	c.Data = &clientCall{start: time.Now(), span: span, ctx: sctx, resp: *resp, method: method, host: host, port: port}
}

// ClientAfter ends the CLIENT span with the response's status or the error,
// and records the request's duration.
func ClientAfter(c *hook.Call, err *error) {
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
	} else if cc.resp != nil {
		k.Status = cc.resp.StatusCode()
		k.Proto = httpspan.ProtoVersion(cc.resp.Header.GetProtocol())
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
	instruments.Get().M.Client.RecordSet(context.WithoutCancel(cc.ctx), elapsed, k.Set())
}

// fullURL is the request's URL as url.full may carry it: credentials and
// the values of secret query parameters replaced by REDACTED.
func fullURL(uri *protocol.URI, scheme, hostport string) string {
	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	if len(uri.Username()) > 0 || len(uri.Password()) > 0 {
		b.WriteString(urlredact.Redacted + ":" + urlredact.Redacted + "@")
	}
	b.WriteString(hostport)
	path, query, hasQuery := strings.Cut(string(uri.RequestURI()), "?")
	b.WriteString(path)
	if hasQuery {
		b.WriteByte('?')
		b.WriteString(urlredact.Query(query))
	}
	return b.String()
}
