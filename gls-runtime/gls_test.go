package gls

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/baggage"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// remoteCtx returns a context holding a valid, sampled span context and some
// baggage, as a server's context does after propagation.
func remoteCtx(t *testing.T) context.Context {
	t.Helper()
	sc := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID:    trace.TraceID{1},
		SpanID:     trace.SpanID{2},
		TraceFlags: trace.FlagsSampled,
		Remote:     true,
	})
	m, err := baggage.NewMember("k", "v")
	if err != nil {
		t.Fatal(err)
	}
	bag, err := baggage.New(m)
	if err != nil {
		t.Fatal(err)
	}
	ctx := trace.ContextWithSpanContext(context.Background(), sc)
	return baggage.ContextWithBaggage(ctx, bag)
}

// TestFallback checks the package in a build without the runtime patch (a
// plain go test): every function is a no-op and every lookup finds nothing.
func TestFallback(t *testing.T) {
	if Available() {
		t.Skip("the runtime carries the GLS patch (built with otelgen's overlay)")
	}
	ctx := remoteCtx(t)
	if Span() != nil {
		t.Errorf("Span() = %v, want nil", Span())
	}
	if tok := Push(ctx); tok != (Token{}) {
		t.Errorf("Push returned %v, want the zero Token", tok)
	}
	if Span() != nil {
		t.Errorf("after Push, Span() = %v, want nil", Span())
	}
	if b := Baggage(); b.Len() != 0 {
		t.Errorf("after Push, Baggage() = %v, want empty", b)
	}
	if tok := Save(); tok != (Token{}) {
		t.Errorf("Save returned %v, want the zero Token", tok)
	}
	Restore(Token{})
	Restore(Push(ctx))
	if raw() != nil {
		t.Errorf("raw() = %v, want nil", raw())
	}
	for _, c := range []context.Context{context.Background(), ctx} {
		if got := Fill(c); got != c {
			t.Errorf("Fill(%v) = %v, want its argument unchanged", c, got)
		}
	}
	done := make(chan trace.Span)
	go func() { done <- Span() }()
	if s := <-done; s != nil {
		t.Errorf("in a goroutine started after Push, Span() = %v, want nil", s)
	}
}

// TestPatched checks the package over the patched runtime: the span pushed is
// current, the goroutines started afterwards inherit it, Restore puts back
// the state before, and an ended span is never returned. A plain go test
// skips it; bench/gls.sh runs it in the test binary built with the overlay.
func TestPatched(t *testing.T) {
	if !Available() {
		t.Skip("the runtime does not carry the GLS patch (build with otelgen's overlay)")
	}
	tp := sdktrace.NewTracerProvider()
	defer tp.Shutdown(context.Background())
	tr := tp.Tracer("gls-test")
	ctx, span := tr.Start(context.Background(), "outer")
	defer span.End()

	before := Save()
	if Span() != nil {
		t.Fatalf("before any Push, Span() = %v, want nil", Span())
	}
	tok := Push(ctx)
	if Span() != span {
		t.Errorf("after Push, Span() = %v, want %v", Span(), span)
	}
	got := make(chan trace.Span)
	go func() { got <- Span() }()
	if s := <-got; s != span {
		t.Errorf("in a goroutine started after Push, Span() = %v, want %v", s, span)
	}

	ctx2, inner := tr.Start(ctx, "inner")
	tok2 := Push(ctx2)
	if Span() != inner {
		t.Errorf("after the second Push, Span() = %v, want %v", Span(), inner)
	}
	inner.End()
	if Span() != span {
		t.Errorf("after the inner span ended, Span() = %v, want the outer %v", Span(), span)
	}
	if f := trace.SpanFromContext(Fill(context.Background())); f != span {
		t.Errorf("Fill gave the span %v, want %v", f, span)
	}
	Restore(tok2)
	Restore(tok)
	if Span() != nil || Save() != before {
		t.Errorf("after Restore, Span() = %v and Save() = %v, want nil and %v", Span(), Save(), before)
	}
	go func() { got <- Span() }()
	if s := <-got; s != nil {
		t.Errorf("in a goroutine started after Restore, Span() = %v, want nil", s)
	}
}
