// Package slog holds the hooks of the log/slog rules: a record written while
// a span is current gets the span's trace_id, span_id and trace_flags as
// attributes, which the handler writes in its own format.
//
// The hooks sit on the handlers of log/slog that write records (JSONHandler,
// TextHandler and the default handler), not on slog.Logger: whatever chain
// of handlers a record goes down (the program's own handler wrapping a
// JSONHandler, two handlers writing to two places, the standard logger's
// lines sent to a handler by slog.SetDefault), it gets the ids once where it
// is written. The span is the one in the context the handler is given, else
// the goroutine's current span. A record that already has a trace_id
// attribute (the program adds its own) is left as it is.
//
// Handlers of other libraries that write records themselves get no ids from
// here; those that hand them to zap, logrus or zerolog get them from those
// integrations. The attributes go where the record's own attributes go, so
// under Logger.WithGroup they are in the group.
//
// The names of the fields are settings (read by rules/sdk/logfields): otelgen.yaml's
// trace_id_key, span_id_key and trace_flags_key, or the variables
// OTEL_GO_LOG_TRACE_ID_KEY, OTEL_GO_LOG_SPAN_ID_KEY and
// OTEL_GO_LOG_TRACE_FLAGS_KEY; a record that already has a field of the
// trace id's name in force is left as it is.
package slog

import (
	"context"
	"log/slog"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk/logfields"
	"go.opentelemetry.io/otel/trace"
)

// keys are the field names in force (settings trace_id_key, span_id_key and
// trace_flags_key).
var keys = logfields.InForce

// JSONHandleBefore gives a record the ids before a JSONHandler writes it.
func JSONHandleBefore(_ *hook.Call, _ *slog.JSONHandler, ctx *context.Context, r *slog.Record) {
	addIDs(*ctx, r)
}

// TextHandleBefore gives a record the ids before a TextHandler writes it.
func TextHandleBefore(_ *hook.Call, _ *slog.TextHandler, ctx *context.Context, r *slog.Record) {
	addIDs(*ctx, r)
}

// DefaultHandleBefore gives a record the ids before slog's default handler
// writes it through the standard logger.
func DefaultHandleBefore(_ *hook.Call, _ any, ctx *context.Context, r *slog.Record) {
	addIDs(*ctx, r)
}

// addIDs adds the ids of the current span to the record, unless it has a
// trace_id already.
func addIDs(ctx context.Context, r *slog.Record) {
	sc := current(ctx)
	if !sc.IsValid() {
		return
	}
	has := false
	r.Attrs(func(a slog.Attr) bool {
		has = a.Key == keys.TraceID
		return !has
	})
	if has {
		return
	}
	// The caller's Record shares its storage with this copy: Clone first.
	*r = r.Clone()
	r.AddAttrs(
		slog.String(keys.TraceID, sc.TraceID().String()),
		slog.String(keys.SpanID, sc.SpanID().String()),
		slog.String(keys.TraceFlags, sc.TraceFlags().String()),
	)
}

// current is the span context of ctx's span, else of the goroutine's.
func current(ctx context.Context) trace.SpanContext {
	if ctx != nil {
		if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
			return sc
		}
	}
	if s := gls.Span(); s != nil {
		return s.SpanContext()
	}
	return trace.SpanContext{}
}
