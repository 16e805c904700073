// Package logexport is what the logger integrations' OTLP hooks share:
// whether OTEL_LOGS_EXPORTER asks for log records, and the logger of the
// global LoggerProvider to emit them to.
package logexport

import (
	"os"
	"strings"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/log/global"
)

var mode atomic.Int32 // 0 not read yet, 1 export, 2 do not

// Requested reports whether OTEL_LOGS_EXPORTER names otlp or console, as
// read the first time it is asked. The SDK sets up a logs pipeline either
// way; records go to it only when the variable asks for logs.
func Requested() bool {
	switch mode.Load() {
	case 1:
		return true
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
		mode.Store(1)
	} else {
		mode.Store(2)
	}
	return on
}

// Emitter gives the logger of the global LoggerProvider for one
// instrumentation scope, made again when the program installs a provider
// of its own. Declare it as a package variable, Emitter{Scope: "..."}: the
// compiler sets such a variable before any package is initialized, so that
// loggers made and used in init functions that run before the hook
// package's own can export as well.
type Emitter struct {
	Scope string // the integration's import path
	now   atomic.Pointer[emitter]
}

type emitter struct {
	lp     otellog.LoggerProvider
	logger otellog.Logger
}

// Logger returns the logger of the current global LoggerProvider.
func (e *Emitter) Logger() otellog.Logger {
	lp := global.GetLoggerProvider()
	if cur := e.now.Load(); cur != nil && cur.lp == lp {
		return cur.logger
	}
	cur := &emitter{lp: lp, logger: lp.Logger(e.Scope)}
	e.now.Store(cur)
	return cur.logger
}

// Scalar returns a field's value as an attribute value when it is a
// string, a bool, a number or bytes, as itself; loggers differ on the
// rest.
func Scalar(v any) (attribute.Value, bool) {
	switch v := v.(type) {
	case string:
		return attribute.StringValue(v), true
	case bool:
		return attribute.BoolValue(v), true
	case int:
		return attribute.IntValue(v), true
	case int8:
		return attribute.Int64Value(int64(v)), true
	case int16:
		return attribute.Int64Value(int64(v)), true
	case int32:
		return attribute.Int64Value(int64(v)), true
	case int64:
		return attribute.Int64Value(v), true
	case uint8:
		return attribute.Int64Value(int64(v)), true
	case uint16:
		return attribute.Int64Value(int64(v)), true
	case uint32:
		return attribute.Int64Value(int64(v)), true
	case float32:
		return attribute.Float64Value(float64(v)), true
	case float64:
		return attribute.Float64Value(v), true
	case []byte:
		return attribute.ByteSliceValue(v), true
	}
	return attribute.Value{}, false
}
