package sdk

import (
	"context"
	"errors"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// TestInstruments checks that Get makes the instruments once per pair of
// global providers, and again when the program installs others, and that
// they record to the providers installed last.
func TestInstruments(t *testing.T) {
	made := 0
	in := NewInstruments("test/scope", func(m metric.Meter) (metric.Int64Counter, error) {
		made++
		return m.Int64Counter("calls")
	})
	a, b := in.Get(), in.Get()
	if made != 1 || a != b {
		t.Fatalf("made %d times, same result %v; want once, the same", made, a == b)
	}

	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	tp := sdktrace.NewTracerProvider()
	otel.SetMeterProvider(mp)
	otel.SetTracerProvider(tp)
	defer mp.Shutdown(context.Background())
	defer tp.Shutdown(context.Background())

	c := in.Get()
	if made != 2 || c == a {
		t.Fatalf("after new providers: made %d times; want 2, a new set", made)
	}
	c.M.Add(context.Background(), 3)
	_, span := c.Tracer.Start(context.Background(), "x")
	if !span.SpanContext().IsValid() {
		t.Error("the tracer is not the SDK's")
	}
	span.End()
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	if len(rm.ScopeMetrics) != 1 || rm.ScopeMetrics[0].Scope.Name != "test/scope" {
		t.Fatalf("scope metrics %+v, want one of test/scope", rm.ScopeMetrics)
	}
	sum := rm.ScopeMetrics[0].Metrics[0].Data.(metricdata.Sum[int64])
	if v := sum.DataPoints[0].Value; v != 3 {
		t.Errorf("calls = %d, want 3", v)
	}
}

// TestInstrumentsError checks that an error in making them is handled, and
// Get still returns the tracer.
func TestInstrumentsError(t *testing.T) {
	var handled error
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) { handled = err }))
	in := NewInstruments("test/err", func(metric.Meter) (int, error) { return 0, errors.New("no meter") })
	if m := in.Get(); m.Tracer == nil {
		t.Error("no tracer")
	}
	if handled == nil || handled.Error() != "no meter" {
		t.Errorf("handled %v, want no meter", handled)
	}
}

// TestTracer checks that Get keeps one tracer per global provider, and
// follows the provider the program installs.
func TestTracer(t *testing.T) {
	tr := NewTracer("test/tracer")
	a := tr.Get()
	if b := tr.Get(); a != b {
		t.Fatal("two tracers for one provider")
	}
	tp := sdktrace.NewTracerProvider()
	otel.SetTracerProvider(tp)
	defer tp.Shutdown(context.Background())
	_, span := tr.Get().Start(context.Background(), "x")
	defer span.End()
	if !span.SpanContext().IsValid() {
		t.Error("the tracer is not the installed provider's")
	}
}
