// Package otelsdk holds the hooks that make the program's own OpenTelemetry
// spans and otelgen's automatic ones one trace, through the goroutine-local
// storage of gls-runtime.
package otelsdk

import (
	"context"
	_ "unsafe" // for go:linkname

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/trace"
)

// spanFallback is what trace.SpanFromContext returns for a context that
// carries no span (rule otelsdk-span-fallback): the goroutine's innermost
// live span, never one that has ended. The variable lives in the trace
// package's added file; linking this package sets it.
//
//go:linkname spanFallback otelgen_trace_span_fallback
var spanFallback = gls.Span

// spanOf is the trace package's lookup without the fallback: the span a
// context itself carries, nil when it carries none. It is nil when the
// trace package lacks the added file (no overlay, or the rule disabled), and
// SpanFromContext has no fallback then.
//
//go:linkname spanOf otelgen_trace_span_of
var spanOf func(context.Context) trace.Span

// StartBefore gives a span started with a context that carries no span (or
// only an invalid one) the goroutine's current span as its parent. A SERVER
// span is left alone: its parent is the caller's, from the request, and the
// goroutine serving it may have been started inside any span of the
// program. Since the SDK finds the parent with trace.SpanContextFromContext,
// which falls back to the goroutine's span for a context that carries none,
// such a SERVER span gets an explicit empty parent, which keeps it a root.
func StartBefore(c *hook.Call, _ interface{}, ctx *context.Context, name *string, opts *[]trace.SpanStartOption) {
	parent := *ctx
	if parent == nil {
		parent = context.Background() // as the SDK does
	}
	var own trace.Span
	if spanOf != nil {
		own = spanOf(parent)
	} else {
		own = trace.SpanFromContext(parent) // no fallback without the file
	}
	if own != nil && own.SpanContext().IsValid() {
		return
	}
	g := gls.Span()
	if g == nil {
		return
	}
	if cfg := trace.NewSpanStartConfig(*opts...); cfg.SpanKind() == trace.SpanKindServer {
		if own == nil && spanOf != nil {
			*ctx = trace.ContextWithSpanContext(parent, trace.SpanContext{})
		}
		return
	}
	*ctx = trace.ContextWithSpan(parent, g)
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
