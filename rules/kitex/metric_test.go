package kitex

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/cloudwego/kitex/pkg/kerrors"
	"github.com/cloudwego/kitex/pkg/rpcinfo"
	"github.com/otelgen/otelgen/rules/sdk/sdktest"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/rpcconv"
)

// addr is a net.Addr as Kitex's endpoints hold them.
type addr struct{ network, s string }

func (a addr) Network() string { return a.network }
func (a addr) String() string  { return a.s }

// run drives one call of mw as Kitex does: the call's RPCInfo in its
// context, to and from the given endpoints, and a handler returning err.
func run(mw func(next func(context.Context, any, any) error) func(context.Context, any, any) error, to, from net.Addr, err error) {
	var toEP, fromEP rpcinfo.EndpointInfo
	if to != nil {
		toEP = rpcinfo.NewEndpointInfo("EchoService", "Echo", to, nil)
	}
	if from != nil {
		fromEP = rpcinfo.NewEndpointInfo("caller", "", from, nil)
	}
	ri := rpcinfo.NewRPCInfo(fromEP, toEP, rpcinfo.NewInvocation("EchoService", "Echo"), rpcinfo.NewRPCConfig(), rpcinfo.NewRPCStats())
	ctx := rpcinfo.NewCtxWithRPCInfo(context.Background(), ri)
	_ = mw(func(context.Context, any, any) error { return err })(ctx, nil, nil)
}

// TestMetricPoints drives client and server calls through the middlewares
// and checks the attribute sets of the call-duration points they record:
// rpc.system.name, rpc.method, the server's address and the outcome's
// attributes, made once and kept, the same on the second round of calls as
// on the first.
func TestMetricPoints(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	otel.SetMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)))
	t.Cleanup(func() { otel.SetMeterProvider(noop.NewMeterProvider()) })
	client := func(next func(context.Context, any, any) error) func(context.Context, any, any) error {
		return clientMiddleware(next)
	}
	server := func(next func(context.Context, any, any) error) func(context.Context, any, any) error {
		return serverMiddleware(next)
	}
	tcp := addr{"tcp", "127.0.0.1:8888"}
	peer := addr{"tcp", "127.0.0.1:40000"}
	for range 2 {
		run(client, tcp, nil, nil)
		run(client, tcp, nil, kerrors.ErrRPCTimeout.WithCause(errors.New("slow")))
		run(client, nil, nil, errors.New("no instance"))
		run(server, tcp, peer, nil)
		run(server, addr{"unix", "/tmp/echo.sock"}, peer, kerrors.NewBizStatusError(5, "no"))
		run(server, addr{"tcp", "noport"}, nil, nil)
	}
	sys, method := semconv.RPCSystemNameKey.String("kitex"), semconv.RPCMethod("EchoService/Echo")
	addr8888 := []attribute.KeyValue{semconv.ServerAddress("127.0.0.1"), semconv.ServerPort(8888)}
	with := func(kvs ...attribute.KeyValue) attribute.Set {
		return attribute.NewSet(append([]attribute.KeyValue{sys, method}, kvs...)...)
	}
	want := map[string][]attribute.Set{
		"rpc.client.call.duration": {
			with(addr8888...),
			with(append(addr8888, semconv.ErrorTypeKey.String("rpc timeout"))...),
			with(semconv.ErrorTypeKey.String("*errors.errorString")),
		},
		"rpc.server.call.duration": {
			with(addr8888...),
			with(semconv.ServerAddress("/tmp/echo.sock"), semconv.RPCResponseStatusCode("5"),
				semconv.ErrorTypeKey.String("biz_status_error")),
			with(semconv.ServerAddress("noport")),
		},
	}

	sdktest.WantHistogramPoints(t, reader, 2, want)
}

// BenchmarkRecord records a client call's duration as the middleware did
// before it kept sets (Record with the attributes, a new set per call) and
// as it does now (RecordSet with the kept set); run with -benchmem.
func BenchmarkRecord(b *testing.B) {
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	defer mp.Shutdown(context.Background())
	h, err := rpcconv.NewClientCallDuration(mp.Meter(ScopeName))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	k := callMetric{method: "EchoService/Echo", addr: hostPort{known: true, host: "127.0.0.1", port: 8888}}
	b.Run("attrs", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			attrs := make([]attribute.KeyValue, 0, 5)
			attrs = append(attrs, semconv.RPCMethod(k.method), semconv.ServerAddress(k.addr.host), semconv.ServerPort(k.addr.port))
			h.Record(ctx, 0.001, systemName, attrs...)
		}
	})
	b.Run("set", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			h.RecordSet(ctx, 0.001, k.set(clientSets))
		}
	})
}
