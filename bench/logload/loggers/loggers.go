// Package loggers holds the log calls that bench/logs.sh times, the same
// in every build: one record with a message and one attribute, written in
// a span, through a JSON slog.Handler and a zap JSON core.
package loggers

import (
	"context"
	"io"
	"log/slog"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Slog is a logger that writes JSON to w.
func Slog(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) }

// ZapCore is a core that writes JSON to w, with zap's production encoding.
func ZapCore(w io.Writer) zapcore.Core {
	return zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(w), zap.InfoLevel)
}

// LogSlog writes the timed slog record: its context holds the span.
func LogSlog(ctx context.Context, l *slog.Logger) { l.InfoContext(ctx, "hello", "k", 1) }

// LogZap writes the timed zap entry. zap takes no context: Ctx carries it
// in a field that the encoders skip and that both otelgen's hook and the
// otelzap bridge read.
func LogZap(ctx context.Context, l *zap.Logger) { l.Info("hello", zap.Int("k", 1), Ctx(ctx)) }

// Ctx is a field of type skip whose value is ctx.
func Ctx(ctx context.Context) zap.Field {
	return zap.Field{Key: "ctx", Type: zapcore.SkipType, Interface: ctx}
}
