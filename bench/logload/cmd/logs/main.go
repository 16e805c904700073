// Command logs times a log call inside a span, through slog and zap, in a
// program that knows nothing of OpenTelemetry but the API's span. Built
// plain, the span is the API's no-op and the records are as written; built
// with otelgen, the SDK records the span and the records get its ids (and,
// with OTEL_LOGS_EXPORTER, are exported too). It first prints one record of
// each logger to stdout (lines "sample ..."), then one line of figures per
// logger (see package measure).
package main

import (
	"context"
	"io"
	"log/slog"
	"os"

	"go.opentelemetry.io/otel"
	"go.uber.org/zap"

	"example.com/logload/loggers"
	"example.com/logload/measure"
)

func main() {
	ctx, span := otel.Tracer("example.com/logload").Start(context.Background(), "request")
	defer span.End()

	os.Stdout.WriteString("sample ")
	loggers.LogSlog(ctx, slog.New(loggers.Slog(os.Stdout)))
	os.Stdout.WriteString("sample ")
	loggers.LogZap(ctx, zap.New(loggers.ZapCore(os.Stdout)))

	sl := slog.New(loggers.Slog(io.Discard))
	zl := zap.New(loggers.ZapCore(io.Discard))
	measure.Run("slog", func() { loggers.LogSlog(ctx, sl) })
	measure.Run("zap", func() { loggers.LogZap(ctx, zl) })
}
