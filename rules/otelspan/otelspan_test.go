package otelspan

import (
	"context"
	"errors"
	"testing"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace/noop"
)

var fn = New("f", "example.com/p.f", []string{"id"}, false)

//go:noinline
func plain(id string) error { return nil }

//go:noinline
func spanned(id string) (err error) {
	var s Active
	if fn.On() {
		s = fn.Begin(id)
	}
	defer s.End(&err)
	return nil
}

// BenchmarkPlain is the function without a directive: the baseline.
func BenchmarkPlain(b *testing.B) {
	for b.Loop() {
		plain("a")
	}
}

// BenchmarkOff is the function with a directive, turned off at run time
// (OTEL_GO_DISABLED_INSTRUMENTATIONS=otelspan).
func BenchmarkOff(b *testing.B) {
	off = true
	defer func() { off = false }()
	for b.Loop() {
		spanned("a")
	}
}

// BenchmarkNoSDK is the function with a directive in a program whose
// tracer provider records nothing.
func BenchmarkNoSDK(b *testing.B) {
	otel.SetTracerProvider(noop.NewTracerProvider())
	for b.Loop() {
		spanned("a")
	}
}

// BenchmarkRecorded records every span with the SDK, and exports none.
func BenchmarkRecorded(b *testing.B) {
	otel.SetTracerProvider(sdktrace.NewTracerProvider())
	defer otel.SetTracerProvider(noop.NewTracerProvider())
	for b.Loop() {
		spanned("a")
	}
}

// TestEnd checks that End records a returned error, and that a function
// without one ends its span cleanly.
func TestEnd(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp)))
	defer otel.SetTracerProvider(noop.NewTracerProvider())
	ctx, s := fn.Start(context.Background(), "x")
	err := errors.New("boom")
	s.End(&err)
	_, s2 := fn.Start(ctx, "y")
	s2.End(nil)
	spans := exp.GetSpans()
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	if spans[0].Status.Description != "boom" || spans[1].Parent.SpanID() != spans[0].SpanContext.SpanID() {
		t.Errorf("spans: %+v", spans)
	}
}
