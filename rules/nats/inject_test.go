package nats

import (
	"context"
	"maps"
	"strings"
	"testing"

	natsgo "github.com/nats-io/nats.go"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// injectMap is inject as it was before it kept a message without headers
// off a header map: the reference the tests and benchmarks compare with.
func injectMap(ctx context.Context, hdr []byte) []byte {
	h := natsgo.Header{}
	if len(hdr) > 0 {
		var err error
		if h, err = natsgo.DecodeHeadersMsg(hdr); err != nil {
			return hdr
		}
	}
	otel.GetTextMapPropagator().Inject(ctx, carrier(h))
	if len(h) == 0 {
		return hdr
	}
	var b strings.Builder
	b.WriteString(headerLine)
	for k, vs := range h {
		for _, v := range vs {
			b.WriteString(k)
			b.WriteString(": ")
			b.WriteString(v)
			b.WriteString("\r\n")
		}
	}
	b.WriteString("\r\n")
	return []byte(b.String())
}

func spanContext(t testing.TB) context.Context {
	tid, _ := trace.TraceIDFromHex("4bf92f3577b34da6a3ce929d0e0e4736")
	sid, _ := trace.SpanIDFromHex("00f067aa0ba902b7")
	ts, err := trace.ParseTraceState("k=v")
	if err != nil {
		t.Fatal(err)
	}
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: trace.FlagsSampled, TraceState: ts})
	ctx := trace.ContextWithSpanContext(context.Background(), sc)
	m, _ := baggage.NewMember("user", "alice")
	b, _ := baggage.New(m)
	return baggage.ContextWithBaggage(ctx, b)
}

// TestInject checks that inject writes the headers the map-based inject
// wrote: the same fields, whatever their order, for a message with no
// headers, with the program's, and with an old traceparent to replace.
func TestInject(t *testing.T) {
	prev := otel.GetTextMapPropagator()
	defer otel.SetTextMapPropagator(prev)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	ctx := spanContext(t)
	for _, hdr := range []string{
		"",
		"NATS/1.0\r\nX-App: 1\r\nX-App: 2\r\n\r\n",
		"NATS/1.0\r\nTraceparent: 00-11111111111111111111111111111111-2222222222222222-01\r\n\r\n",
	} {
		got, want := inject(ctx, []byte(hdr)), injectMap(ctx, []byte(hdr))
		gh, err := natsgo.DecodeHeadersMsg(got)
		if err != nil {
			t.Fatalf("%q: %q does not parse: %v", hdr, got, err)
		}
		wh, _ := natsgo.DecodeHeadersMsg(want)
		if !maps.EqualFunc(gh, wh, func(a, b []string) bool { return strings.Join(a, "\n") == strings.Join(b, "\n") }) {
			t.Errorf("%q: headers %q, want %q", hdr, gh, wh)
		}
		if len(got) != len(want) {
			t.Errorf("%q: %d bytes, want %d", hdr, len(got), len(want))
		}
	}
	if got := inject(context.Background(), nil); got != nil {
		t.Errorf("no span context: %q, want nil", got)
	}
}

// BenchmarkInject injects a trace context (traceparent, tracestate,
// baggage) into a message without headers, as inject did with a header map
// and as it does now; run with -benchmem.
func BenchmarkInject(b *testing.B) {
	prev := otel.GetTextMapPropagator()
	defer otel.SetTextMapPropagator(prev)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	ctx := spanContext(b)
	for _, bc := range []struct {
		name string
		f    func(context.Context, []byte) []byte
	}{{"map", injectMap}, {"fields", inject}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bc.f(ctx, nil)
			}
		})
	}
}
