// Package otlpgrpc links the OTLP over gRPC span and metric exporters into
// an instrumented program (OTEL_EXPORTER_OTLP_PROTOCOL=grpc). otelgen links
// it when otelgen.yaml asks for it ("link: [otlp-grpc]") or when the program
// links google.golang.org/grpc already, so that a program without gRPC does
// not carry it.
package otlpgrpc

import (
	"context"
	"errors"
	"strings"

	"github.com/otelgen/otelgen/rules/sdk"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func init() {
	sdk.Spans.Register("otlp/grpc", func(ctx context.Context) (sdktrace.SpanExporter, error) {
		return otlptracegrpc.New(ctx)
	})
	sdk.Metrics.Register("otlp/grpc", func(ctx context.Context) (sdkmetric.Reader, error) {
		e, err := otlpmetricgrpc.New(ctx)
		if err != nil {
			return nil, err
		}
		return sdk.PeriodicReader(e), nil
	})
	sdk.RegisterGRPCUnreachable(unreachable)
}

// unreachable reports whether err is a gRPC export's status Unavailable
// (the connection failed) or DeadlineExceeded (no answer), whose message
// holds the dial's error, and that error's gist.
func unreachable(err error) (cause string, ok bool) {
	var s interface{ GRPCStatus() *status.Status }
	if errors.As(err, &s) {
		err = s.(error)
	}
	st, isStatus := status.FromError(err)
	if !isStatus || (st.Code() != codes.Unavailable && st.Code() != codes.DeadlineExceeded) {
		return "", false
	}
	msg := st.Message()
	for _, known := range []string{"connection refused", "no such host", "network is unreachable", "no route to host", "i/o timeout"} {
		if strings.Contains(msg, known) {
			return known, true
		}
	}
	if st.Code() == codes.DeadlineExceeded {
		return "no answer in time", true
	}
	return msg, true
}
