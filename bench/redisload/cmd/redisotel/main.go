// Command redisotel is get instrumented by hand with go-redis's own
// redisotel (its tracing and metrics hooks on the client, as its
// documentation shows), with the SDK set up as rules/sdk sets it up:
// exporters from the OTEL_* environment, a batch span processor, a
// periodic metric reader.
package main

import (
	"context"

	"github.com/redis/go-redis/extra/redisotel/v9"
	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/otel"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"example.com/redisload/loop"
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

	loop.Run(func(rdb *redis.Client) error {
		if err := redisotel.InstrumentTracing(rdb); err != nil {
			return err
		}
		return redisotel.InstrumentMetrics(rdb)
	})
}
