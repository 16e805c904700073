// Command otelpgx is select instrumented by hand with
// github.com/exaring/otelpgx (the pgx tracer most programs use; OTel's
// contrib has none for pgx) in the connection's configuration, with the
// SDK set up as rules/sdk sets it up: exporters from the OTEL_*
// environment, a batch span processor, a periodic metric reader.
package main

import (
	"context"

	"github.com/exaring/otelpgx"
	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/otel"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"example.com/pgxload/loop"
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

	cfg := loop.Config()
	cfg.Tracer = otelpgx.NewTracer()
	loop.Run(cfg)
}
