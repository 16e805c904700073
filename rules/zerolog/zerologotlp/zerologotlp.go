// Package zerologotlp holds the hook of the zerolog-otlp rule: every event
// is also exported as an OpenTelemetry log record. It is a package of its
// own, applied only when the logs SDK is linked (the rule's option logs),
// so that a program without the logs SDK, where the records would have
// nowhere to go, links none of it; the ids that rules/zerolog adds to the
// events do not need it.
package zerologotlp

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk/logexport"
	otelzerolog "github.com/otelgen/otelgen/rules/zerolog"
	"github.com/rs/zerolog"
	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the log records exported: the
// integration's, rules/zerolog.
const ScopeName = "github.com/otelgen/otelgen/rules/zerolog"

// emitter gives the logger that records go to; set before any init.
var emitter = logexport.Emitter{Scope: ScopeName}

// Logs over OTLP. When OTEL_LOGS_EXPORTER names otlp or console, every
// event is also emitted to the global LoggerProvider, which the SDK exports
// as an OpenTelemetry log record: the message as the body, the level as
// the severity, the other fields (without the ids) as attributes, and the
// trace context of the span current where it was written. The fields are
// read back from the event's JSON; an event zerolog encodes as CBOR (the
// binary_log build tag) is exported with no attributes. Off by default. The
// rule runs before rules/zerolog's (order -1), so that the ids it adds are
// not among the attributes.

// ctxEvent is an Event that keeps a context (zerolog v1.30 and later).
type ctxEvent interface{ GetCtx() context.Context }

// WriteBefore exports an event about to be written, when
// OTEL_LOGS_EXPORTER asks for logs, with the trace context of the span
// current where it was written: the event's context's, else the
// goroutine's.
func WriteBefore(_ *hook.Call, e *zerolog.Event) {
	if !e.Enabled() || !logexport.Requested() {
		return
	}
	var ctx context.Context
	if ce, ok := any(e).(ctxEvent); ok {
		ctx = ce.GetCtx()
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if !trace.SpanContextFromContext(ctx).IsValid() {
		if s := gls.Span(); s != nil {
			ctx = trace.ContextWithSpan(ctx, s)
		}
	}
	export(ctx, otelzerolog.Buffer(e))
}

// export emits the event encoded in buf (JSON without its closing brace)
// with the trace context of ctx.
func export(ctx context.Context, buf []byte) {
	var r otellog.Record
	now := time.Now()
	r.SetTimestamp(now)
	r.SetObservedTimestamp(now)
	fields := map[string]any{}
	if len(buf) > 0 && buf[0] == '{' {
		d := json.NewDecoder(strings.NewReader(string(buf) + "}"))
		d.UseNumber()
		d.Decode(&fields)
	}
	if msg, ok := fields[zerolog.MessageFieldName].(string); ok {
		r.SetBody(attribute.StringValue(msg))
		delete(fields, zerolog.MessageFieldName)
	}
	if lvl, ok := fields[zerolog.LevelFieldName].(string); ok {
		if l, err := zerolog.ParseLevel(lvl); err == nil {
			r.SetSeverity(severity(l))
			r.SetSeverityText(lvl)
			delete(fields, zerolog.LevelFieldName)
		}
	}
	for k, v := range fields {
		r.AddAttributes(attribute.KeyValue{Key: attribute.Key(k), Value: value(v)})
	}
	emitter.Logger().Emit(ctx, r)
}

func severity(l zerolog.Level) otellog.Severity {
	switch l {
	case zerolog.TraceLevel:
		return otellog.SeverityTrace
	case zerolog.DebugLevel:
		return otellog.SeverityDebug
	case zerolog.InfoLevel:
		return otellog.SeverityInfo
	case zerolog.WarnLevel:
		return otellog.SeverityWarn
	case zerolog.ErrorLevel:
		return otellog.SeverityError
	case zerolog.FatalLevel:
		return otellog.SeverityFatal
	case zerolog.PanicLevel:
		return otellog.SeverityFatal4
	}
	return otellog.SeverityUndefined
}

// value turns a decoded JSON value into an attribute value: integers as
// integers, other numbers as floats, strings and bools as themselves,
// arrays and objects as their JSON text.
func value(v any) attribute.Value {
	switch v := v.(type) {
	case string:
		return attribute.StringValue(v)
	case bool:
		return attribute.BoolValue(v)
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return attribute.Int64Value(i)
		}
		if f, err := v.Float64(); err == nil {
			return attribute.Float64Value(f)
		}
		return attribute.StringValue(v.String())
	case nil:
		return attribute.StringValue("null")
	}
	if b, err := json.Marshal(v); err == nil {
		return attribute.StringValue(string(b))
	}
	return attribute.StringValue(fmt.Sprint(v))
}
