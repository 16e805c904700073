// Package otlpgrpc links the OTLP over gRPC log exporter into an
// instrumented program that links both the logs SDK and the OTLP gRPC
// exporters.
package otlpgrpc

import (
	"context"

	"github.com/otelgen/otelgen/rules/sdk/logs"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploggrpc"
	sdklog "go.opentelemetry.io/otel/sdk/log"
)

func init() {
	logs.Exporters.Register("otlp/grpc", func(ctx context.Context) (sdklog.Exporter, error) {
		return otlploggrpc.New(ctx)
	})
}
