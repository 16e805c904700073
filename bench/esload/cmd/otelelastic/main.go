// Command otelelastic is search instrumented by hand with the client's own
// OpenTelemetry instrumentation: the transport's Instrumentation set to
// elastictransport.NewOtelInstrumentation, which is what
// elasticsearch.NewOpenTelemetryInstrumentation returns for
// elasticsearch.Config's Instrumentation (the loop builds its transport
// itself, as otelgen's test program does, to leave out the typed API that
// the elasticsearch package pulls in). The SDK is set up as rules/sdk sets
// it up: exporters from the OTEL_* environment, a batch span processor, a
// periodic metric reader. The instrumentation makes spans only, no
// metrics.
package main

import (
	"context"

	"github.com/elastic/elastic-transport-go/v8/elastictransport"
	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/otel"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"example.com/esload/loop"
)

// clientVersion is go-elasticsearch's, which the instrumentation records
// as its scope's version.
const clientVersion = "8.19.7"

func main() {
	ctx := context.Background()
	se, err := autoexport.NewSpanExporter(ctx)
	if err != nil {
		panic(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(se))
	defer tp.Shutdown(ctx)
	otel.SetTracerProvider(tp)
	mr, err := autoexport.NewMetricReader(ctx)
	if err != nil {
		panic(err)
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(mr))
	defer mp.Shutdown(ctx)
	otel.SetMeterProvider(mp)

	loop.Run(elastictransport.NewOtelInstrumentation(tp, false, clientVersion))
}
