// Package kitex holds the hooks of the Kitex rules: a CLIENT span for every
// call of a Kitex client, a SERVER span for every call a Kitex server
// serves, trace context and baggage in the call's metainfo, and the RPC
// call-duration histograms. The spans come from this package's own
// middleware, which the hooks add to the options that client.NewClient and
// server.NewServer receive, after the program's.
//
// Kitex carries metainfo in TTHeader (and in gRPC's metadata): a client on
// the default Framed or Buffered transport sends no header, and its
// server's span then starts a trace of its own.
package kitex

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/bytedance/gopkg/cloud/metainfo"
	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/pkg/endpoint"
	"github.com/cloudwego/kitex/pkg/kerrors"
	"github.com/cloudwego/kitex/pkg/rpcinfo"
	"github.com/cloudwego/kitex/pkg/serviceinfo"
	"github.com/cloudwego/kitex/server"
	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/rpcconv"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/otelgen/otelgen/rules/kitex"

// systemName is rpc.system.name: the conventions list no value for Kitex,
// whose calls are its own protocol (Thrift or Protobuf over TTHeader, Framed
// or Buffered) or gRPC.
const systemName = rpcconv.SystemNameAttr("kitex")

var systemAttr = semconv.RPCSystemNameKey.String(string(systemName))

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

// NewClientBefore adds otelgen's client middleware to the options of a new
// client. A new slice: the caller's backing array is not ours to write.
func NewClientBefore(_ *hook.Call, _ **serviceinfo.ServiceInfo, opts *[]client.Option) {
	if sdk.Disabled() {
		return
	}
	*opts = append((*opts)[:len(*opts):len(*opts)], client.WithMiddleware(clientMiddleware))
}

// NewServerBefore adds otelgen's server middleware to the options of a new
// server. Kitex runs a server's middlewares after it decoded the call (its
// method and metainfo known) and around the handler's own recovery.
func NewServerBefore(_ *hook.Call, opts *[]server.Option) {
	if sdk.Disabled() {
		return
	}
	*opts = append((*opts)[:len(*opts):len(*opts)], server.WithMiddleware(serverMiddleware))
}

// names returns the span name and rpc.method of a call: "{service}/{method}",
// the service as the IDL names it (the client's destination service for a
// generic call that names none).
func names(ri rpcinfo.RPCInfo) string {
	var service, method string
	if inv := ri.Invocation(); inv != nil {
		service, method = inv.ServiceName(), inv.MethodName()
	}
	if to := ri.To(); to != nil {
		if service == "" || service == serviceinfo.GenericService {
			service = to.ServiceName()
		}
		if method == "" {
			method = to.Method()
		}
	}
	if service == "" {
		return method
	}
	return service + "/" + method
}

// clientMiddleware traces one call of a client: a CLIENT span, a child of
// the span in the call's context or else of the goroutine's current span,
// whose context and baggage go to the server in the call's metainfo.
func clientMiddleware(next endpoint.Endpoint) endpoint.Endpoint {
	return func(ctx context.Context, req, resp interface{}) error {
		ri := rpcinfo.GetRPCInfo(ctx)
		if sdk.Disabled() || ri == nil {
			return next(ctx, req, resp)
		}
		in := instruments.Get()
		name := names(ri)
		saved := gls.Save()
		sctx, span := in.Tracer.Start(gls.Fill(ctx), name,
			trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(systemAttr, semconv.RPCMethod(name)))
		gls.Restore(saved)
		carrier := &metaCarrier{ctx: sctx}
		otel.GetTextMapPropagator().Inject(sctx, carrier)
		start := time.Now()

		err := next(carrier.ctx, req, resp)

		elapsed := time.Since(start).Seconds()
		k := callMetric{method: name}
		if to := ri.To(); to != nil {
			// Known once the call picked an instance and connected.
			k.addr = splitAddr(to.Address())
			span.SetAttributes(k.addr.append(nil, semconv.ServerAddress, semconv.ServerPort)...)
		}
		k.outcome = endSpan(span, ri, err)
		in.M.client.RecordSet(context.WithoutCancel(sctx), elapsed, k.set(clientSets))
		return err
	}
}

// serverMiddleware traces one call a server serves: a SERVER span, a child
// of the trace context in the call's metainfo (a trace of its own without
// one), current on the goroutine while the handler runs.
func serverMiddleware(next endpoint.Endpoint) endpoint.Endpoint {
	return func(ctx context.Context, req, resp interface{}) (err error) {
		ri := rpcinfo.GetRPCInfo(ctx)
		if sdk.Disabled() || ri == nil {
			return next(ctx, req, resp)
		}
		in := instruments.Get()
		name := names(ri)
		parent := otel.GetTextMapPropagator().Extract(ctx, &metaCarrier{ctx: ctx})
		k := callMetric{method: name}
		if to := ri.To(); to != nil {
			k.addr = splitAddr(to.Address())
		}
		attrs := make([]attribute.KeyValue, 0, 6)
		attrs = append(attrs, systemAttr, semconv.RPCMethod(name))
		attrs = k.addr.append(attrs, semconv.ServerAddress, semconv.ServerPort)
		if from := ri.From(); from != nil {
			attrs = splitAddr(from.Address()).append(attrs, semconv.NetworkPeerAddress, semconv.NetworkPeerPort)
		}
		opts := []trace.SpanStartOption{
			trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(attrs...),
		}
		if !trace.SpanContextFromContext(parent).IsRemote() {
			opts = append(opts, trace.WithNewRoot())
		}
		saved := gls.Save()
		sctx, span := in.Tracer.Start(parent, name, opts...)
		gls.Push(sctx)
		start := time.Now()
		returned := false
		defer func() {
			gls.Restore(saved)
			if !returned {
				// A panic that Kitex's recovery, inside this middleware,
				// did not take: it goes on as before, the span ended.
				span.SetStatus(codes.Error, "panic")
				span.End()
				return
			}
			k.outcome = endSpan(span, ri, err)
			in.M.server.RecordSet(context.WithoutCancel(sctx), time.Since(start).Seconds(), k.set(serverSets))
		}()
		err = next(sctx, req, resp)
		returned = true
		return err
	}
}

// endSpan ends a call's span with its outcome: an error status, error.type
// and an exception event for a failed call (with the handler's stack when it
// panicked), rpc.response.status_code for a business status. It returns the
// outcome, for the metric's attributes.
func endSpan(span trace.Span, ri rpcinfo.RPCInfo, err error) outcome {
	var o outcome
	if err == nil && ri.Invocation() != nil {
		if be := ri.Invocation().BizStatusErr(); be != nil {
			err = be
		}
	}
	if err != nil {
		var be kerrors.BizStatusErrorIface
		if b, ok := kerrors.FromBizStatusError(err); ok {
			be = b
			o.status = strconv.Itoa(int(be.BizStatusCode()))
		}
		o.failed, o.errType = true, errorType(err)
		msg := err.Error()
		if be != nil {
			msg = be.BizMessage()
		}
		span.SetStatus(codes.Error, msg)
		if panicked, v := ri.Stats().Panicked(); panicked {
			recordPanic(span, v, err)
		} else {
			span.RecordError(err)
		}
		span.SetAttributes(o.append(make([]attribute.KeyValue, 0, 2))...)
	}
	span.End()
	return o
}

// outcome is how a call ended, as its span and duration point say it.
type outcome struct {
	status  string // rpc.response.status_code of a business status; "" without one
	failed  bool
	errType string // error.type when failed
}

// append appends the outcome's attributes.
func (o outcome) append(attrs []attribute.KeyValue) []attribute.KeyValue {
	if o.status != "" {
		attrs = append(attrs, semconv.RPCResponseStatusCode(o.status))
	}
	if o.failed {
		attrs = append(attrs, semconv.ErrorTypeKey.String(o.errType))
	}
	return attrs
}

// maxSets bounds the attribute sets each kind of call keeps. A client's
// keys hold the addresses of the instances it calls, a server's the methods
// it serves and its own address.
const maxSets = 512

// callMetric is what the attributes of a call's rpc.client.call.duration or
// rpc.server.call.duration point are made of: rpc.system.name, rpc.method,
// server.address and server.port when known (for a server, its own), and
// the outcome's.
type callMetric struct {
	method string
	addr   hostPort
	outcome
}

var clientSets, serverSets = sdk.NewAttrSets[callMetric](maxSets), sdk.NewAttrSets[callMetric](maxSets)

// set returns the attribute set of k, made once and kept in sets: the
// attributes of a method's calls are the same call after call, and
// attribute.NewSet copies, sorts and hashes them, which costs more than
// finding the set.
func (k callMetric) set(sets *sdk.AttrSets[callMetric]) attribute.Set {
	if s, ok := sets.Lookup(k); ok {
		return s
	}
	kvs := make([]attribute.KeyValue, 0, 6)
	kvs = append(kvs, systemAttr, semconv.RPCMethod(k.method))
	kvs = k.addr.append(kvs, semconv.ServerAddress, semconv.ServerPort)
	return sets.Add(k, k.outcome.append(kvs))
}

// recordPanic adds the exception event of a handler's panic, which Kitex
// recovered and turned into err: its message and the stack Kitex took.
func recordPanic(span trace.Span, v any, err error) {
	stack := ""
	var de *kerrors.DetailedError
	if e, ok := v.(error); ok && errors.As(e, &de) || errors.As(err, &de) {
		stack = de.Stack()
	}
	span.AddEvent(semconv.ExceptionEventName, trace.WithAttributes(
		semconv.ExceptionType("panic"),
		semconv.ExceptionMessage(fmt.Sprint(v)),
		semconv.ExceptionStacktrace(stack),
	))
}

// errorType names an error for error.type: Kitex's kind of error ("rpc
// timeout", "remote or network error", "panic"...) for its own, else the Go
// type.
func errorType(err error) string {
	var de *kerrors.DetailedError
	if errors.As(err, &de) {
		if t := de.ErrorType(); t != nil {
			return t.Error()
		}
	}
	if _, ok := kerrors.FromBizStatusError(err); ok {
		return "biz_status_error"
	}
	return fmt.Sprintf("%T", err)
}

// hostPort is an address as attributes: its host when known, and its
// port when above 0.
type hostPort struct {
	known bool
	host  string
	port  int
}

// splitAddr splits an address into host and port: a unix socket's path,
// or an address without a port, is all host.
func splitAddr(addr net.Addr) hostPort {
	if addr == nil {
		return hostPort{}
	}
	s := addr.String()
	if addr.Network() == "unix" {
		return hostPort{known: true, host: s}
	}
	h, p, err := net.SplitHostPort(s)
	if err != nil {
		return hostPort{known: true, host: s}
	}
	hp := hostPort{known: true, host: h}
	if n, err := strconv.Atoi(p); err == nil && n > 0 {
		hp.port = n
	}
	return hp
}

// append appends the address's host and port as the given attributes.
func (a hostPort) append(attrs []attribute.KeyValue, host func(string) attribute.KeyValue, port func(int) attribute.KeyValue) []attribute.KeyValue {
	if !a.known {
		return attrs
	}
	attrs = append(attrs, host(a.host))
	if a.port > 0 {
		attrs = append(attrs, port(a.port))
	}
	return attrs
}

// metaCarrier reads trace context from a call's metainfo (the values its
// caller sent), and writes it as values to send, replacing its context.
type metaCarrier struct{ ctx context.Context }

func (c *metaCarrier) Get(key string) string {
	v, _ := metainfo.GetValue(c.ctx, key)
	return v
}

func (c *metaCarrier) Set(key, value string) { c.ctx = metainfo.WithValue(c.ctx, key, value) }

func (c *metaCarrier) Keys() []string {
	m := metainfo.GetAllValues(c.ctx)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}
