// Code added by otelgen (rule otelsdk-span-fallback).

package trace

import (
	"context"
	_ "unsafe" // for go:linkname
)

// otelgen_span_fallback returns the goroutine's innermost live span, or nil.
// github.com/otelgen/otelgen/rules/otelsdk sets it; in a program without
// that package it stays nil, and SpanFromContext is what it was.
//
//go:linkname otelgen_span_fallback otelgen_trace_span_fallback
var otelgen_span_fallback func() Span

// otelgen_spanFromContext is SpanFromContext (rule
// otelsdk-span-fallback-call sends a non-nil ctx here) once
// otelgen_span_fallback is set: the span ctx carries, whatever it is, and
// only when ctx carries none the goroutine's current span.
func otelgen_spanFromContext(ctx context.Context) Span {
	if span, ok := ctx.Value(currentSpanKey).(Span); ok {
		return span
	}
	if span := otelgen_span_fallback(); span != nil {
		return span
	}
	return noopSpan{}
}

// otelgen_trace_span_of returns the span ctx itself carries, nil when it
// carries none: the lookup without the goroutine's span, for
// github.com/otelgen/otelgen/rules/otelsdk.
//
//go:linkname otelgen_trace_span_of otelgen_trace_span_of
var otelgen_trace_span_of = func(ctx context.Context) Span {
	if ctx == nil {
		return nil
	}
	span, _ := ctx.Value(currentSpanKey).(Span)
	return span
}
