// Command otelsql is select instrumented by hand with otelsql (the driver
// wrapped, its pool metrics registered), with the SDK set up as rules/sdk
// sets it up: exporters from the OTEL_* environment, a batch span
// processor, a periodic metric reader.
package main

import (
	"context"
	"os"

	"github.com/XSAM/otelsql"
	_ "github.com/jackc/pgx/v5/stdlib"
	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/otel"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"

	"example.com/sqlload/loop"
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

	db, err := otelsql.Open("pgx", os.Getenv("DSN"), otelsql.WithAttributes(semconv.DBSystemNamePostgreSQL))
	if err != nil {
		panic(err)
	}
	if _, err := otelsql.RegisterDBStatsMetrics(db, otelsql.WithAttributes(semconv.DBSystemNamePostgreSQL)); err != nil {
		panic(err)
	}
	loop.Run(db)
}
