// Package slogotlp holds the hook of the slog-otlp rule: the Loggers that
// slog.New makes also hand their records to contrib's otelslog bridge. It
// is a package of its own, applied only when the logs SDK is linked (the
// rule's option logs), so that a program without the logs SDK, where the
// bridge would have nowhere to send records, links neither it nor the
// bridge.
package slogotlp

import (
	"context"
	"log/slog"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"go.opentelemetry.io/contrib/bridges/otelslog"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the log records exported: the
// integration's, rules/slog.
const ScopeName = "github.com/otelgen/otelgen/rules/slog"

// Logs over OTLP. When OTEL_LOGS_EXPORTER names otlp or console, every
// Logger that slog.New makes writes each record through the program's
// handler as before, and also hands it to contrib's otelslog bridge, which
// the SDK exports as an OpenTelemetry log record with its severity, its
// attributes (the Logger's With and WithGroup included) and the trace
// context of the span current where it was written. Off by default: the SDK
// sets up a logs pipeline either way, but records go to it only when the
// variable asks for logs. slog's default handler (slog.Info before any
// slog.SetDefault) stays what it is: its records are exported by the stdlog
// integration, as the lines of the standard logger they become. A Logger's
// Handler() is then the otelgen handler that wraps the program's, not the
// program's itself.

// exportOff is set when the integration is disabled (unbind.go): a zero
// value, so that Loggers made and used in package init functions that run
// before this package's work as well.
var exportOff atomic.Bool

// exportRequested reports whether OTEL_LOGS_EXPORTER asks for logs. It
// reads the environment each time, since slog.New may run before any
// package state of this package is initialized.
func exportRequested() bool {
	for v := range strings.SplitSeq(os.Getenv("OTEL_LOGS_EXPORTER"), ",") {
		if v = strings.TrimSpace(v); v == "otlp" || v == "console" {
			return true
		}
	}
	return false
}

// NewBefore wraps the handler of a new Logger in one that also exports its
// records, when OTEL_LOGS_EXPORTER asks for logs.
func NewBefore(_ *hook.Call, h *slog.Handler) {
	switch (*h).(type) {
	case nil, *bridged:
		return
	}
	// slog's default handler stays as it is: slog.SetDefault tells it
	// apart by its type, and a Logger that wraps it would send the
	// standard logger's lines back to itself.
	if reflect.TypeOf(*h).String() == "*slog.defaultHandler" || !exportRequested() {
		return
	}
	*h = &bridged{h: *h}
}

// bridged writes records through the program's handler, then hands those
// the program's handler takes to the otelslog bridge. The bridge is made on
// the first record, once main has started the SDK; the WithAttrs and
// WithGroup calls made before then are replayed on it.
type bridged struct {
	h   slog.Handler
	ops []func(slog.Handler) slog.Handler

	once   sync.Once
	bridge slog.Handler
}

func (b *bridged) Enabled(ctx context.Context, l slog.Level) bool { return b.h.Enabled(ctx, l) }

func (b *bridged) Handle(ctx context.Context, r slog.Record) error {
	err := b.h.Handle(ctx, r)
	if exportOff.Load() {
		return err
	}
	b.once.Do(func() {
		var h slog.Handler = otelslog.NewHandler(ScopeName)
		for _, op := range b.ops {
			h = op(h)
		}
		b.bridge = h
	})
	if ctx == nil {
		ctx = context.Background()
	}
	if !trace.SpanContextFromContext(ctx).IsValid() {
		if s := gls.Span(); s != nil {
			ctx = trace.ContextWithSpan(ctx, s)
		}
	}
	b.bridge.Handle(ctx, r)
	return err
}

func (b *bridged) WithAttrs(as []slog.Attr) slog.Handler {
	return &bridged{h: b.h.WithAttrs(as), ops: append(slices.Clip(b.ops), func(h slog.Handler) slog.Handler { return h.WithAttrs(as) })}
}

func (b *bridged) WithGroup(name string) slog.Handler {
	return &bridged{h: b.h.WithGroup(name), ops: append(slices.Clip(b.ops), func(h slog.Handler) slog.Handler { return h.WithGroup(name) })}
}
