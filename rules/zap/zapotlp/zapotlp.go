// Package zapotlp holds the hook of the zap-otlp rule: the cores of the
// Loggers that zap.New makes also export their entries as OpenTelemetry log
// records. It is a package of its own, applied only when the logs SDK is
// linked (the rule's option logs), so that a program without the logs SDK,
// where the records would have nowhere to go, links none of it.
package zapotlp

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk/logexport"
	otelzap "github.com/otelgen/otelgen/rules/zap"
	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/trace"
	uberzap "go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// ScopeName is the instrumentation scope of the log records exported: the
// integration's, rules/zap.
const ScopeName = "github.com/otelgen/otelgen/rules/zap"

// emitter gives the logger that records go to; set before any init.
var emitter = logexport.Emitter{Scope: ScopeName}

// Logs over OTLP. When OTEL_LOGS_EXPORTER names otlp or console, the core
// of every Logger that zap.New makes also emits each entry it writes to the
// global LoggerProvider, which the SDK exports as an OpenTelemetry log
// record: the message as the body, the time, the level as the severity,
// the fields (the Logger's With fields included, the ids not) as
// attributes, and the trace context of the span current where it was
// written (a context.Context field's, else the goroutine's). Once per entry
// however many cores a tee has. Off by default: the SDK sets up a logs
// pipeline either way, but entries go to it only when the variable asks for
// logs. The bridge is ours, not contrib's otelzap, which requires the
// newest zap.

// exportOff is set when the integration is disabled (unbind.go). A zero
// value, so that loggers made and used in package init
// functions that run before this package's work as well.
var exportOff atomic.Bool

// NewBefore wraps the core of a new Logger in one that also exports its
// entries, when OTEL_LOGS_EXPORTER asks for logs.
func NewBefore(_ *hook.Call, core *zapcore.Core, _ *[]uberzap.Option) {
	switch (*core).(type) {
	case nil, *bridged:
		return
	}
	if logexport.Requested() {
		*core = &bridged{Core: *core}
	}
}

// bridged is the program's core, and an exporter of the entries it takes.
type bridged struct {
	zapcore.Core
	fields []zapcore.Field // the With fields, for the exported records
}

func (b *bridged) With(fs []zapcore.Field) zapcore.Core {
	return &bridged{Core: b.Core.With(fs), fields: append(slices.Clip(b.fields), fs...)}
}

func (b *bridged) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	enabled := b.Core.Enabled(e.Level)
	ce = b.Core.Check(e, ce)
	if enabled && !exportOff.Load() {
		ce = ce.AddCore(e, exporter{b.fields})
	}
	return ce
}

// exporter is the core that emits an entry to the global LoggerProvider.
type exporter struct{ fields []zapcore.Field }

func (exporter) Enabled(zapcore.Level) bool { return true }
func (x exporter) With(fs []zapcore.Field) zapcore.Core {
	return exporter{append(slices.Clip(x.fields), fs...)}
}
func (x exporter) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	return ce.AddCore(e, x)
}
func (exporter) Sync() error { return nil }

func (x exporter) Write(e zapcore.Entry, fields []zapcore.Field) error {
	var ctx context.Context
	enc := zapcore.NewMapObjectEncoder()
	for _, fs := range [][]zapcore.Field{x.fields, fields} {
		for _, f := range fs {
			if _, ok := f.Interface.(otelzap.IDField); ok {
				continue
			}
			if c, ok := f.Interface.(context.Context); ok {
				ctx = c
				continue
			}
			f.AddTo(enc)
		}
	}
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
	for k, v := range enc.Fields {
		r.AddAttributes(attribute.KeyValue{Key: attribute.Key(k), Value: value(v)})
	}
	emitter.Logger().Emit(ctx, r)
	return nil
}

func severity(l zapcore.Level) otellog.Severity {
	switch l {
	case zapcore.DebugLevel:
		return otellog.SeverityDebug
	case zapcore.InfoLevel:
		return otellog.SeverityInfo
	case zapcore.WarnLevel:
		return otellog.SeverityWarn
	case zapcore.ErrorLevel:
		return otellog.SeverityError
	case zapcore.DPanicLevel:
		return otellog.SeverityFatal1
	case zapcore.PanicLevel:
		return otellog.SeverityFatal2
	case zapcore.FatalLevel:
		return otellog.SeverityFatal3
	}
	return otellog.SeverityUndefined
}

// value turns what zap's map encoder made of a field into an attribute
// value: numbers, strings and bools as themselves, anything else as text.
func value(v any) attribute.Value {
	if a, ok := logexport.Scalar(v); ok {
		return a
	}
	switch v := v.(type) {
	case time.Duration:
		return attribute.StringValue(v.String())
	case time.Time:
		return attribute.StringValue(v.Format(time.RFC3339Nano))
	case fmt.Stringer:
		return attribute.StringValue(v.String())
	}
	return attribute.StringValue(fmt.Sprint(v))
}
