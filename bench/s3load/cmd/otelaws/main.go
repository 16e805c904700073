// Command otelaws is s3 instrumented by hand with OTel contrib's otelaws:
// its middlewares appended to the client's APIOptions, as its
// documentation shows for an aws.Config (otelaws.AppendMiddlewares), with
// the SDK set up as rules/sdk sets it up: exporters from the OTEL_*
// environment, a batch span processor, a periodic metric reader. otelaws
// makes a span per call and no metrics.
package main

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/contrib/instrumentation/github.com/aws/aws-sdk-go-v2/otelaws"
	"go.opentelemetry.io/otel"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"example.com/s3load/loop"
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

	loop.Run(func(o *s3.Options) { otelaws.AppendMiddlewares(&o.APIOptions) })
}
