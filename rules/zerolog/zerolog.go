// Package zerolog holds the hook of the github.com/rs/zerolog rules: an
// event written while a span is current gets the span's trace_id, span_id
// and trace_flags as string fields, added with zerolog's own Event.Str, so
// in its encoding.
//
// The hook is on (*Event).write, which every event goes through once, after
// its message and the program's hooks. The span is the one in the event's
// context (Event.Ctx, or a Logger's With().Ctx; zerolog has kept one since
// v1.30), else the goroutine's current span. An event that already has a
// trace_id field (the program's own, from its fields, its Logger's context
// or its hooks) is left as it is. With the logs SDK linked and
// OTEL_LOGS_EXPORTER=otlp (or console), events are also exported as
// OpenTelemetry log records (package zerologotlp, rule zerolog-otlp).
//
// The names of the fields are settings (read by rules/sdk/logfields): otelgen.yaml's
// trace_id_key, span_id_key and trace_flags_key, or the variables
// OTEL_GO_LOG_TRACE_ID_KEY, OTEL_GO_LOG_SPAN_ID_KEY and
// OTEL_GO_LOG_TRACE_FLAGS_KEY; a record that already has a field of the
// trace id's name in force is left as it is.
package zerolog

import (
	"bytes"
	"context"
	_ "unsafe" // for go:linkname

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk/logfields"
	"github.com/rs/zerolog"
	"go.opentelemetry.io/otel/trace"
)

// keys are the field names in force (settings trace_id_key, span_id_key and
// trace_flags_key).
var keys = logfields.InForce

// bufferOf is defined in zerolog by the zerolog-buffer rule's file; it is
// nil in a build without it.
//
//go:linkname bufferOf otelgen_zerolog_buffer
var bufferOf func(*zerolog.Event) []byte

// Buffer returns what the event has encoded so far (JSON without its
// closing brace, unless zerolog encodes CBOR), or nil in a build without
// the zerolog-buffer rule.
func Buffer(e *zerolog.Event) []byte {
	if bufferOf == nil {
		return nil
	}
	return bufferOf(e)
}

var jsonKey = []byte(`"` + keys.TraceID + `":`)

// ctxEvent is an Event that keeps a context (zerolog v1.30 and later).
type ctxEvent interface{ GetCtx() context.Context }

// WriteBefore adds the ids of the current span to an event about to be
// written.
func WriteBefore(_ *hook.Call, e *zerolog.Event) {
	if !e.Enabled() {
		return
	}
	var ctx context.Context
	if ce, ok := any(e).(ctxEvent); ok {
		ctx = ce.GetCtx()
	}
	sc := current(ctx)
	if !sc.IsValid() || bytes.Contains(Buffer(e), jsonKey) {
		return
	}
	e.Str(keys.TraceID, sc.TraceID().String()).
		Str(keys.SpanID, sc.SpanID().String()).
		Str(keys.TraceFlags, sc.TraceFlags().String())
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
