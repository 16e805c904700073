// Command kotel is produce instrumented by hand with franz-go's own
// plugin, github.com/twmb/franz-go/plugin/kotel: its tracer (a "send" span
// per record produced, its context in the record's headers, and a
// "receive" span per record fetched) and its meter, as kgo hooks of both
// clients, with the SDK set up as rules/sdk sets it up: exporters from the
// OTEL_* environment, a batch span processor, a periodic metric reader.
package main

import (
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/plugin/kotel"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"

	"example.com/kafkaload/loop"
	"example.com/loadkit/handsdk"
)

func main() {
	defer handsdk.Start()()
	prop := propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	otel.SetTextMapPropagator(prop)

	k := kotel.NewKotel(
		kotel.WithTracer(kotel.NewTracer(kotel.TracerProvider(otel.GetTracerProvider()), kotel.TracerPropagator(prop))),
		kotel.WithMeter(kotel.NewMeter(kotel.MeterProvider(otel.GetMeterProvider()))),
	)
	loop.Run([]kgo.Opt{kgo.WithHooks(k.Hooks()...)})
}
