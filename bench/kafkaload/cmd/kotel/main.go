// Command kotel is produce instrumented by hand with franz-go's own
// plugin, github.com/twmb/franz-go/plugin/kotel: its tracer (a "send" span
// per record produced, its context in the record's headers, and a
// "receive" span per record fetched) and its meter, as kgo hooks of both
// clients, with the SDK set up as rules/sdk sets it up: exporters from the
// OTEL_* environment, a batch span processor, a periodic metric reader.
package main

import (
	"context"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/plugin/kotel"
	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"example.com/kafkaload/loop"
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
	prop := propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	otel.SetTextMapPropagator(prop)

	k := kotel.NewKotel(
		kotel.WithTracer(kotel.NewTracer(kotel.TracerProvider(tp), kotel.TracerPropagator(prop))),
		kotel.WithMeter(kotel.NewMeter(kotel.MeterProvider(mp))),
	)
	loop.Run([]kgo.Opt{kgo.WithHooks(k.Hooks()...)})
}
