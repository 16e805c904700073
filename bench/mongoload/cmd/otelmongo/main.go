// Command otelmongo is find instrumented by hand with OTel contrib's
// otelmongo (its command monitor on the client's options, as its
// documentation shows), with the SDK set up as rules/sdk sets it up:
// exporters from the OTEL_* environment, a batch span processor, a
// periodic metric reader. otelmongo makes spans only, no metrics.
package main

import (
	"context"

	"go.mongodb.org/mongo-driver/mongo/options"
	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/contrib/instrumentation/go.mongodb.org/mongo-driver/mongo/otelmongo"
	"go.opentelemetry.io/otel"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"example.com/mongoload/loop"
)

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

	loop.Run(options.Client().SetMonitor(otelmongo.NewMonitor()))
}
