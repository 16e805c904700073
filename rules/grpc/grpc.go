// Package grpc holds the hooks of the gRPC rules: a CLIENT span for every
// call of a ClientConn, a SERVER span for every call a Server serves, unary
// and streaming, trace context and baggage in the calls' metadata, and the
// RPC call-duration histograms. The spans and metrics come from this
// package's own stats.Handler, which the hooks add to the options that
// grpc.NewClient and grpc.NewServer receive, after the program's.
package grpc

import (
	"context"
	"reflect"
	"runtime"
	"strings"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
	"google.golang.org/grpc"
)

// NewClientBefore adds otelgen's client handler to the options of a new
// ClientConn. The OTLP exporters' own connections are left alone: tracing
// an export would make spans that need exporting, without end.
func NewClientBefore(c *hook.Call, target *string, opts *[]grpc.DialOption) {
	if sdk.Disabled() || calledByExporter() {
		return
	}
	h := newClientHandler(*target)
	// A new slice: the caller's backing array is not ours to write.
	*opts = append((*opts)[:len(*opts):len(*opts)], grpc.WithStatsHandler(h))
}

// NewServerBefore adds otelgen's server handler, and the interceptors that
// see a handler's panic, to the options of a new Server. The interceptors
// are chained last, so they run innermost, next to the method's handler,
// inside the program's own (a recovery interceptor included).
func NewServerBefore(c *hook.Call, opts *[]grpc.ServerOption) {
	if sdk.Disabled() {
		return
	}
	*opts = append((*opts)[:len(*opts):len(*opts)],
		grpc.StatsHandler(serverHandler{}),
		grpc.ChainUnaryInterceptor(unaryPanics),
		grpc.ChainStreamInterceptor(streamPanics))
}

// exporterPrefix is the import path prefix of the OpenTelemetry exporters.
const exporterPrefix = "go.opentelemetry.io/otel/exporters/"

// calledByExporter reports whether an OpenTelemetry exporter is making the
// ClientConn: a function of go.opentelemetry.io/otel/exporters/... is on
// the stack. A ClientConn is made once, so walking the stack costs nothing
// that matters.
func calledByExporter() bool {
	var pcs [64]uintptr
	n := runtime.Callers(2, pcs[:])
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if strings.HasPrefix(f.Function, exporterPrefix) {
			return true
		}
		if !more {
			return false
		}
	}
}

// streamCall is what HandleStreamBefore keeps for HandleStreamAfter.
type streamCall struct {
	saved  gls.Token
	stream any
}

// HandleStreamBefore notes the goroutine's state before gRPC serves a call
// on it: the server handler makes its span current there.
func HandleStreamBefore(c *hook.Call, _ *grpc.Server, _ interface{}, stream interface{}) {
	c.Data = streamCall{saved: gls.Save(), stream: stream}
}

// HandleStreamAfter ends the SERVER span of a call that gRPC answered
// without running a handler (an unknown service or method: the stats
// handler then gets no End), and puts the goroutine's state back in any
// case: with grpc.NumStreamWorkers the goroutine serves other calls next.
func HandleStreamAfter(c *hook.Call) {
	sc, ok := c.Data.(streamCall)
	if !ok {
		return
	}
	// A call whose End came has put the goroutine's state back already;
	// the stream is searched (by reflection) only when it has not.
	if gls.Available() && gls.Save() == sc.saved {
		return
	}
	gls.Restore(sc.saved)
	if call := serverCallOf(sc.stream); call != nil {
		call.endUnhandled()
	}
}

// serverCallOf finds the server call in the context of the transport stream
// that handleStream got (as a pointer to its parameter, whose type is
// internal to gRPC).
func serverCallOf(stream any) *serverCall {
	v := reflect.ValueOf(stream)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return nil
	}
	s, ok := v.Elem().Interface().(interface{ Context() context.Context })
	if !ok || s == nil || reflect.ValueOf(s).IsNil() {
		return nil
	}
	call, _ := s.Context().Value(serverKey{}).(*serverCall)
	return call
}
