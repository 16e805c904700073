// Command bridge is logs instrumented by hand the way OpenTelemetry's
// contrib documents it: the SDK set up as rules/sdk sets it up (exporters
// from the OTEL_* environment, batch processors), and each logger teed to
// the program's own output and to the contrib bridge, otelslog's handler
// (slog.NewMultiHandler) and otelzap's core (zapcore.NewTee), which export
// every record as an OpenTelemetry log record with the span's context. The
// program's own lines are unchanged: the bridges add no ids to them.
package main

import (
	"context"
	"io"
	"log/slog"
	"os"

	"go.opentelemetry.io/contrib/bridges/otelslog"
	"go.opentelemetry.io/contrib/bridges/otelzap"
	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/otel"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"example.com/logload/loggers"
	"example.com/logload/measure"
)

func main() {
	ctx := context.Background()
	se, err := autoexport.NewSpanExporter(ctx)
	if err != nil {
		panic(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(se))
	defer tp.Shutdown(ctx)
	otel.SetTracerProvider(tp)
	le, err := autoexport.NewLogExporter(ctx)
	if err != nil {
		panic(err)
	}
	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(sdklog.NewBatchProcessor(le)))
	defer lp.Shutdown(ctx)

	ctx, span := otel.Tracer("example.com/logload").Start(ctx, "request")
	defer span.End()

	newSlog := func(w io.Writer) *slog.Logger {
		return slog.New(slog.NewMultiHandler(loggers.Slog(w), otelslog.NewHandler("example.com/logload", otelslog.WithLoggerProvider(lp))))
	}
	newZap := func(w io.Writer) *zap.Logger {
		return zap.New(zapcore.NewTee(loggers.ZapCore(w), otelzap.NewCore("example.com/logload", otelzap.WithLoggerProvider(lp))))
	}
	os.Stdout.WriteString("sample ")
	loggers.LogSlog(ctx, newSlog(os.Stdout))
	os.Stdout.WriteString("sample ")
	loggers.LogZap(ctx, newZap(os.Stdout))

	sl, zl := newSlog(io.Discard), newZap(io.Discard)
	measure.Run("slog", func() { loggers.LogSlog(ctx, sl) })
	measure.Run("zap", func() { loggers.LogZap(ctx, zl) })
}
