// Package kratos holds the hooks of the Kratos rules. Kratos serves HTTP
// through net/http and gorilla/mux and gRPC through google.golang.org/grpc,
// so every request already has the SERVER span of rules/nethttp or
// rules/grpc, and every call of a Kratos client the CLIENT span of those
// rules: these hooks make no span. They give the request's span the Kratos
// route and operation, the handler's error and a recovered panic, and keep
// Kratos' tracing middleware from making a second span.
package kratos

import (
	"context"
	"sync"

	"github.com/go-kratos/kratos/v2/middleware"
	"github.com/go-kratos/kratos/v2/transport"
	khttp "github.com/go-kratos/kratos/v2/transport/http"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/nethttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/trace"
)

// OperationKey is the attribute that carries the Kratos operation of a
// request: the RPC's full name ("/helloworld.v1.Greeter/SayHello"), or for
// an HTTP route that names none, its path template. Kratos selects
// middleware by it, so it is how a Kratos program names its endpoints.
const OperationKey = attribute.Key("kratos.operation")

// grpcScope is the instrumentation scope of rules/grpc's spans. (The
// package itself is not imported: a program whose otelgen.yaml disables the
// grpc rules does not link it.)
const grpcScope = "github.com/otelgen/otelgen/rules/grpc"

// serverSpan is otelgen's SERVER span when it is the span in ctx: the one
// rules/nethttp or rules/grpc started for the request. Otherwise nil: a
// span some other code started in between is left alone.
func serverSpan(ctx context.Context) trace.Span {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return nil
	}
	s, ok := span.(interface {
		SpanKind() trace.SpanKind
		InstrumentationScope() instrumentation.Scope
	})
	if !ok || s.SpanKind() != trace.SpanKindServer {
		return nil
	}
	switch s.InstrumentationScope().Name {
	case nethttp.ScopeName, grpcScope:
		return span
	}
	return nil
}

// ServerContextBefore runs as Kratos makes a request's server context. For
// HTTP, Kratos' filter has the template of the route mux matched: the span
// is named after it (gorillamux's rules do the same; Kratos' answer holds
// when they are off). For both transports the span gets the operation.
func ServerContextBefore(_ *hook.Call, ctx *context.Context, tr *transport.Transporter) {
	if *ctx == nil || *tr == nil {
		return
	}
	if ht, ok := (*tr).(khttp.Transporter); ok && (*tr).Kind() == transport.KindHTTP {
		nethttp.SetRoute(*ctx, ht.PathTemplate())
	}
	if span := serverSpan(*ctx); span != nil {
		if op := (*tr).Operation(); op != "" {
			span.SetAttributes(OperationKey.String(op))
		}
	}
}

// SetOperationBefore puts the operation a generated HTTP handler sets on
// the request's span, in place of the path template it started with.
func SetOperationBefore(_ *hook.Call, ctx *context.Context, op *string) {
	if *ctx == nil || *op == "" {
		return
	}
	if span := serverSpan(*ctx); span != nil {
		span.SetAttributes(OperationKey.String(*op))
	}
}

// HandleBefore wraps a route's handler so that the error it returns is
// recorded on the request's span before Kratos' error encoder writes it:
// an exception event, and an error status when the encoder answers 5xx (a
// Kratos error's code is the response's status).
func HandleBefore(_ *hook.Call, _ *khttp.Router, _ *string, _ *string, h *khttp.HandlerFunc, _ *[]khttp.FilterFunc) {
	orig := *h
	if orig == nil {
		return
	}
	*h = func(c khttp.Context) error {
		var ctx context.Context
		if req := c.Request(); req != nil {
			ctx = req.Context() // before the handler: Kratos may reuse c after it
		}
		if ctx == nil || !nethttp.HasServerSpan(ctx) {
			return orig(c)
		}
		tr, _ := transport.FromServerContext(ctx)
		key, watch := tr.(*khttp.Transport)
		if watch {
			panics.Store(key, false)
			defer panics.Delete(key) // also when the panic goes on up
		}
		err := orig(c)
		if err == nil {
			return nil
		}
		if watch {
			if v, _ := panics.Load(key); v == true {
				return err
			}
		}
		nethttp.RecordError(ctx, err)
		return err
	}
}

// panics holds, while its handler runs, the Kratos transport of each HTTP
// request served through Router.Handle, with true once RecoveryAfter's
// wrapper recorded its panic: the error the recovery middleware makes of the
// panic only stands for it, and would be a second exception event.
var panics sync.Map // *khttp.Transport -> bool

// RecoveryAfter wraps the recovery middleware so that a panic below it is
// recorded on the request's span while it is in flight, before the
// middleware recovers it: the recovery then logs and answers as it always
// did, from the same panic and the same stack. (A gRPC handler's panic is
// recorded by rules/grpc, whose interceptor runs inside Kratos' middleware.)
func RecoveryAfter(_ *hook.Call, m *middleware.Middleware) {
	orig := *m
	if orig == nil {
		return
	}
	*m = func(next middleware.Handler) middleware.Handler {
		return orig(func(ctx context.Context, req any) (reply any, err error) {
			returned := false
			defer func() {
				if !returned && nethttp.HasServerSpan(ctx) {
					nethttp.RecordPanicking(ctx)
					if tr, ok := transport.FromServerContext(ctx); ok {
						if key, ok := tr.(*khttp.Transport); ok {
							panics.CompareAndSwap(key, false, true)
						}
					}
				}
			}()
			reply, err = next(ctx, req)
			returned = true
			return reply, err
		})
	}
}

// TracingServerAfter wraps the middleware tracing.Server made so that a
// request under otelgen's SERVER span goes straight on: Kratos' span would
// be a second SERVER span for the request. The handler's context carries
// otelgen's span, so tracing.TraceID and SpanID still log the request's
// ids. Without that span (nethttp or grpc turned off) it traces as before.
func TracingServerAfter(_ *hook.Call, m *middleware.Middleware) {
	orig := *m
	if orig == nil {
		return
	}
	*m = func(next middleware.Handler) middleware.Handler {
		traced := orig(next)
		return func(ctx context.Context, req any) (any, error) {
			if nethttp.HasServerSpan(ctx) || serverSpan(ctx) != nil {
				return next(ctx, req)
			}
			return traced(ctx, req)
		}
	}
}

// TracingClientAfter wraps the middleware tracing.Client made so that a
// call goes straight on when otelgen's client instrumentation of its
// transport is on: rules/nethttp and rules/grpc make the call's CLIENT span
// and propagate its context, and Kratos' span would be a second one.
func TracingClientAfter(_ *hook.Call, m *middleware.Middleware) {
	orig := *m
	if orig == nil {
		return
	}
	*m = func(next middleware.Handler) middleware.Handler {
		traced := orig(next)
		return func(ctx context.Context, req any) (any, error) {
			if tr, ok := transport.FromClientContext(ctx); ok && clientTraced(tr.Kind()) {
				return next(ctx, req)
			}
			return traced(ctx, req)
		}
	}
}

// clientTraced reports whether otelgen traces the calls of a transport: its
// integration is not turned off at run time.
func clientTraced(k transport.Kind) bool {
	switch k {
	case transport.KindHTTP:
		return !hook.Disabled("nethttp")
	case transport.KindGRPC:
		return !hook.Disabled("grpc")
	}
	return false
}
