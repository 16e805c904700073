// Package otelsdk holds the hooks that make the program's own OpenTelemetry
// spans and otelgen's automatic ones one trace, through the goroutine-local
// storage of gls-runtime.
package otelsdk

import (
	"context"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/trace"
)

// StartBefore gives a span started with a context that carries no span the
// goroutine's current span as its parent. A SERVER span is left alone: its
// parent is the caller's, from the request, and the goroutine serving it may
// have been started inside any span of the program.
func StartBefore(c *hook.Call, _ interface{}, ctx *context.Context, name *string, opts *[]trace.SpanStartOption) {
	if *ctx == nil || trace.SpanContextFromContext(*ctx).IsValid() {
		return
	}
	if cfg := trace.NewSpanStartConfig(*opts...); cfg.SpanKind() == trace.SpanKindServer {
		return
	}
	if s := gls.Span(); s != nil {
		*ctx = trace.ContextWithSpan(*ctx, s)
	}
}

// StartAfter makes the new span current on the goroutine: what the goroutine
// does next, and the goroutines it starts, are inside it until it ends. A
// span that does not record (the sampler dropped it) is not made current:
// nothing would tell when it ends, and it would stay the parent of every
// later span of the goroutine, dropping them all.
//
// A SERVER span is left to whoever serves the request: otelgen's net/http
// hook makes its span current for exactly the handler's run.
func StartAfter(c *hook.Call, ctx *context.Context, span *trace.Span) {
	if *ctx == nil || *span == nil {
		return
	}
	if k, ok := (*span).(interface{ SpanKind() trace.SpanKind }); ok && k.SpanKind() == trace.SpanKindServer {
		return
	}
	if (*span).IsRecording() {
		gls.Push(*ctx)
	}
}

// BaggageAfter returns the goroutine's baggage when the context carries none.
func BaggageAfter(c *hook.Call, b *baggage.Baggage) {
	if b.Len() == 0 {
		if g := gls.Baggage(); g.Len() > 0 {
			*b = g
		}
	}
}
