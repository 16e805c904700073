// Package handsdk sets the OpenTelemetry SDK up by hand for the peers of
// bench/'s client load programs, as otelgen's rules/sdk sets it up:
// exporters from the OTEL_* environment (contrib's autoexport), a batch
// span processor, a periodic metric reader, installed as the global
// providers. It does not import loadkit, whose flags a program with a loop
// of its own (kafkaload) defines itself.
package handsdk

import (
	"context"
	"fmt"
	"os"

	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/otel"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// Start installs the providers and returns what shuts them down, flushing
// what they hold.
func Start() (shutdown func()) {
	ctx := context.Background()
	se, err := autoexport.NewSpanExporter(ctx)
	check("span exporter", err)
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(se))
	otel.SetTracerProvider(tp)
	mr, err := autoexport.NewMetricReader(ctx)
	check("metric reader", err)
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(mr))
	otel.SetMeterProvider(mp)
	return func() {
		tp.Shutdown(ctx)
		mp.Shutdown(ctx)
	}
}

func check(what string, err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, what+":", err)
		os.Exit(1)
	}
}
