// Package logrusotlp holds the hooks of the logrus-otlp rules: every entry
// is also exported as an OpenTelemetry log record. It is a package of its
// own, applied only when the logs SDK is linked (the rules' option logs),
// so that a program without the logs SDK, where the records would have
// nowhere to go, links none of it; the ids that rules/logrus adds to the
// entries do not need it.
package logrusotlp

import (
	"context"
	"fmt"
	"time"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk/logexport"
	"github.com/sirupsen/logrus"
	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the log records exported: the
// integration's, rules/logrus.
const ScopeName = "github.com/otelgen/otelgen/rules/logrus"

// emitter gives the logger that records go to; set before any init.
var emitter = logexport.Emitter{Scope: ScopeName}

// Logs over OTLP. When OTEL_LOGS_EXPORTER names otlp or console, every
// entry is also emitted to the global LoggerProvider, which the SDK exports
// as an OpenTelemetry log record: its message as the body, its time, its
// level as the severity, its fields (as the entry has them before the
// program's hooks fire, without the ids) as attributes, and the trace
// context of the span current where it was written. Off by default: the
// SDK sets up a logs pipeline either way, but entries go to it only when
// the variable asks for logs. The rules run before rules/logrus's (order
// -1), so that the ids it adds are not among the attributes.

// FireHooksBefore exports an entry before its hooks fire (v1.10 and later).
func FireHooksBefore(_ *hook.Call, e *logrus.Entry, _ *[]logrus.Hook) { export(e) }

// FireHooksBeforeV19 exports an entry before its hooks fire (v1.9).
func FireHooksBeforeV19(_ *hook.Call, e *logrus.Entry) { export(e) }

// export emits the entry as an OpenTelemetry log record, with the trace
// context of the span current where it was written, when
// OTEL_LOGS_EXPORTER asks for logs.
func export(e *logrus.Entry) {
	if e == nil || !logexport.Requested() {
		return
	}
	ctx := e.Context
	if ctx == nil {
		ctx = context.Background()
	}
	if !trace.SpanContextFromContext(ctx).IsValid() {
		if s := gls.Span(); s != nil {
			ctx = trace.ContextWithSpan(ctx, s)
		}
	}
	var r otellog.Record
	r.SetTimestamp(e.Time)
	r.SetObservedTimestamp(time.Now())
	r.SetBody(attribute.StringValue(e.Message))
	r.SetSeverity(severity(e.Level))
	r.SetSeverityText(e.Level.String())
	for k, v := range e.Data {
		r.AddAttributes(attribute.KeyValue{Key: attribute.Key(k), Value: value(v)})
	}
	emitter.Logger().Emit(ctx, r)
}

func severity(l logrus.Level) otellog.Severity {
	switch l {
	case logrus.TraceLevel:
		return otellog.SeverityTrace
	case logrus.DebugLevel:
		return otellog.SeverityDebug
	case logrus.InfoLevel:
		return otellog.SeverityInfo
	case logrus.WarnLevel:
		return otellog.SeverityWarn
	case logrus.ErrorLevel:
		return otellog.SeverityError
	case logrus.FatalLevel:
		return otellog.SeverityFatal
	case logrus.PanicLevel:
		return otellog.SeverityFatal4
	}
	return otellog.SeverityUndefined
}

// value turns a field's value into a log value: numbers, strings and bools
// as themselves, anything else as its text, as logrus's text formatter
// writes it.
func value(v any) attribute.Value {
	if a, ok := logexport.Scalar(v); ok {
		return a
	}
	switch v := v.(type) {
	case error:
		return attribute.StringValue(v.Error())
	case fmt.Stringer:
		return attribute.StringValue(v.String())
	}
	return attribute.StringValue(fmt.Sprint(v))
}
