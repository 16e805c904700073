// Package logrus holds the hooks of the github.com/sirupsen/logrus rules:
// an entry written while a span is current gets the span's trace_id,
// span_id and trace_flags as fields, which the formatter writes in its own
// format.
//
// The hook is on (*Entry).fireHooks, which every entry goes through once,
// on the copy that logrus makes of it for this one write: the fields go in
// there, so that the entry the program holds (a WithField chain it reuses)
// is untouched, and the program's own hooks see them. The span is the one in
// the entry's context (WithContext), else the goroutine's current span. An
// entry that already has a trace_id field is left as it is; a hook of the
// program that sets one replaces ours, since fields are a map. With the
// logs SDK linked and OTEL_LOGS_EXPORTER=otlp (or console), entries are
// also exported as OpenTelemetry log records (package logrusotlp, rules
// logrus-otlp and logrus-otlp-v1-9).
//
// The names of the fields are settings (read by rules/sdk/logfields): otelgen.yaml's
// trace_id_key, span_id_key and trace_flags_key, or the variables
// OTEL_GO_LOG_TRACE_ID_KEY, OTEL_GO_LOG_SPAN_ID_KEY and
// OTEL_GO_LOG_TRACE_FLAGS_KEY; a record that already has a field of the
// trace id's name in force is left as it is.
package logrus

import (
	"context"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk/logfields"
	"github.com/sirupsen/logrus"
	"go.opentelemetry.io/otel/trace"
)

// keys are the field names in force (settings trace_id_key, span_id_key and
// trace_flags_key).
var keys = logfields.InForce

// FireHooksBefore adds the ids to an entry before its hooks fire (v1.10 and
// later).
func FireHooksBefore(_ *hook.Call, e *logrus.Entry, _ *[]logrus.Hook) { addIDs(e) }

// FireHooksBeforeV19 adds the ids to an entry before its hooks fire (v1.9).
func FireHooksBeforeV19(_ *hook.Call, e *logrus.Entry) { addIDs(e) }

func addIDs(e *logrus.Entry) {
	if e == nil {
		return
	}
	sc := current(e.Context)
	if _, ok := e.Data[keys.TraceID]; ok || !sc.IsValid() {
		return
	}
	if e.Data == nil {
		e.Data = logrus.Fields{}
	}
	e.Data[keys.TraceID] = sc.TraceID().String()
	e.Data[keys.SpanID] = sc.SpanID().String()
	e.Data[keys.TraceFlags] = sc.TraceFlags().String()
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
