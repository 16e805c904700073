// Package otlpgrpc links the OTLP over gRPC span and metric exporters into
// an instrumented program (OTEL_EXPORTER_OTLP_PROTOCOL=grpc). otelgen links
// it when otelgen.yaml asks for it ("link: [otlp-grpc]") or when the program
// links google.golang.org/grpc already, so that a program without gRPC does
// not carry it.
package otlpgrpc

import (
	"context"

	"github.com/otelgen/otelgen/rules/sdk"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
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
}
