package stdlog

import (
	"context"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/log/global"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the log records exported.
const ScopeName = "github.com/otelgen/otelgen/rules/stdlog"

// Logs over OTLP. When OTEL_LOGS_EXPORTER names otlp or console, every
// line is also emitted to the global LoggerProvider, which the SDK exports
// as an OpenTelemetry log record: the message (without the Logger's prefix,
// date and file) as the body, with no severity (log has no levels), and
// the trace context of the goroutine's current span. The standard logger's
// lines that slog.SetDefault sends to a slog.Handler are exported by the
// slog integration instead. Off by default.

var exportMode atomic.Int32 // 0 not read yet, 1 export, 2 do not

// exportOff is set when the integration is disabled.
var exportOff atomic.Bool

func exportRequested() bool {
	switch exportMode.Load() {
	case 1:
		return !exportOff.Load()
	case 2:
		return false
	}
	on := false
	for v := range strings.SplitSeq(os.Getenv("OTEL_LOGS_EXPORTER"), ",") {
		if v = strings.TrimSpace(v); v == "otlp" || v == "console" {
			on = true
		}
	}
	if on {
		exportMode.Store(1)
	} else {
		exportMode.Store(2)
	}
	return on && !exportOff.Load()
}

type emitter struct {
	lp     otellog.LoggerProvider
	logger otellog.Logger
}

var emitterNow atomic.Pointer[emitter]

// otelLogger is the logger of the global LoggerProvider, made again when
// the program installs its own provider.
func otelLogger() otellog.Logger {
	lp := global.GetLoggerProvider()
	if e := emitterNow.Load(); e != nil && e.lp == lp {
		return e.logger
	}
	e := &emitter{lp: lp, logger: lp.Logger(ScopeName)}
	emitterNow.Store(e)
	return e.logger
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
	otelLogger().Emit(ctx, r)
}
