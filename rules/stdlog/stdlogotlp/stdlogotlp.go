// Package stdlogotlp holds the hook of the stdlog-otlp rule: every line
// of the standard log package is also exported as an OpenTelemetry log
// record. It is a package of its own, applied only when the logs SDK is
// linked (the rule's option logs), so that a program without the logs SDK,
// where the records would have nowhere to go, links none of it; the ids
// that rules/stdlog appends to the lines do not need it.
package stdlogotlp

import (
	"context"
	"log"
	"time"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk/logexport"
	"github.com/otelgen/otelgen/rules/stdlog"
	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the log records exported: the
// integration's, rules/stdlog.
const ScopeName = "github.com/otelgen/otelgen/rules/stdlog"

// emitter gives the logger that records go to; set before any init.
var emitter = logexport.Emitter{Scope: ScopeName}

// Logs over OTLP. When OTEL_LOGS_EXPORTER names otlp or console, every
// line is also emitted to the global LoggerProvider, which the SDK exports
// as an OpenTelemetry log record: the message (without the Logger's prefix,
// date and file) as the body, with no severity (log has no levels), and
// the trace context of the goroutine's current span. The standard logger's
// lines that slog.SetDefault sends to a slog.Handler are exported by the
// slog integration instead. Off by default. The rule runs before
// rules/stdlog's (order -1), so that its function is the one that the ids
// are appended after: the body is the line without them.

// OutputBefore wraps the function that appends the message of one line, so
// that the message is also exported, when OTEL_LOGS_EXPORTER asks for logs.
func OutputBefore(_ *hook.Call, l *log.Logger, _ *uintptr, _ *int, appendOutput *func([]byte) []byte) {
	inner := *appendOutput
	if l == nil || inner == nil || !logexport.Requested() || stdlog.ToSlog(l) {
		return
	}
	var sc trace.SpanContext
	if s := gls.Span(); s != nil {
		sc = s.SpanContext()
	}
	*appendOutput = func(b []byte) []byte {
		start := len(b)
		b = inner(b)
		msg := b[start:]
		if len(msg) > 0 && msg[len(msg)-1] == '\n' {
			msg = msg[:len(msg)-1]
		}
		export(string(msg), sc)
		return b
	}
}

// export emits one line's message with the trace context of sc.
func export(msg string, sc trace.SpanContext) {
	ctx := context.Background()
	if sc.IsValid() {
		ctx = trace.ContextWithSpanContext(ctx, sc)
	}
	var r otellog.Record
	now := time.Now()
	r.SetTimestamp(now)
	r.SetObservedTimestamp(now)
	r.SetBody(attribute.StringValue(msg))
	emitter.Logger().Emit(ctx, r)
}
