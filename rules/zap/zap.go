// Package zap holds the hook of the go.uber.org/zap rule: an entry written
// while a span is current gets the span's trace_id, span_id and trace_flags
// as string fields, which the cores encode in their own format.
//
// The hook is on (*zapcore.CheckedEntry).Write, which every entry of a
// Logger and of a SugaredLogger goes through once, whatever the cores (a
// tee writes the same fields to each). zap takes no context, so the span is
// that of a context passed as a field's value (zap.Any("ctx", ctx)), else
// the goroutine's current span. An entry with a trace_id field of its own
// is left as it is; fields the program gave a Logger with With are not
// visible here, so a trace_id given that way appears twice. With the logs
// SDK linked and OTEL_LOGS_EXPORTER=otlp (or console), entries are also
// exported as OpenTelemetry log records (package zapotlp, rule zap-otlp).
//
// The names of the fields are settings (read by rules/sdk/logfields): otelgen.yaml's
// trace_id_key, span_id_key and trace_flags_key, or the variables
// OTEL_GO_LOG_TRACE_ID_KEY, OTEL_GO_LOG_SPAN_ID_KEY and
// OTEL_GO_LOG_TRACE_FLAGS_KEY; a record that already has a field of the
// trace id's name in force is left as it is.
package zap

import (
	"context"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk/logfields"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/zap/zapcore"
)

// keys are the field names in force (settings trace_id_key, span_id_key and
// trace_flags_key).
var keys = logfields.InForce

// WriteBefore adds the ids of the current span to the entry's fields. It
// makes a new slice: the caller's may be reused.
func WriteBefore(_ *hook.Call, ce *zapcore.CheckedEntry, fields *[]zapcore.Field) {
	if ce == nil {
		return // the level is off
	}
	var ctx context.Context
	for _, f := range *fields {
		if f.Key == keys.TraceID {
			return
		}
		if c, ok := f.Interface.(context.Context); ok && ctx == nil {
			ctx = c
		}
	}
	sc := current(ctx)
	if !sc.IsValid() {
		return
	}
	fs := make([]zapcore.Field, len(*fields), len(*fields)+3)
	copy(fs, *fields)
	*fields = append(fs,
		zapcore.Field{Key: keys.TraceID, Type: zapcore.StringType, String: sc.TraceID().String(), Interface: IDField{}},
		zapcore.Field{Key: keys.SpanID, Type: zapcore.StringType, String: sc.SpanID().String(), Interface: IDField{}},
		zapcore.Field{Key: keys.TraceFlags, Type: zapcore.StringType, String: sc.TraceFlags().String(), Interface: IDField{}},
	)
}

// IDField marks the fields WriteBefore adds (encoders of a string field
// read only its String), so that the records that package zapotlp exports
// leave them out.
type IDField struct{}

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
