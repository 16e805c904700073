// Package runtimemetrics records the Go runtime's metrics in an instrumented
// program, through the OpenTelemetry contrib runtime instrumentation: memory
// used, allocated and its limit, allocations, the GC goal, goroutines, the
// processor limit, GOGC, and the scheduler latency histogram
// (go.schedule.duration). They start with the SDK and are read at each
// export, so they cost nothing between exports.
package runtimemetrics

import (
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
	"go.opentelemetry.io/contrib/instrumentation/runtime"
	"go.opentelemetry.io/otel"
)

// Name is this integration's name in OTEL_GO_DISABLED_INSTRUMENTATIONS.
const Name = "runtimemetrics"

func init() {
	if sdk.Disabled() || hook.Disabled(Name) {
		return
	}
	sdk.AddProducer(runtime.NewProducer())
	sdk.OnStart(func() {
		if err := runtime.Start(); err != nil {
			otel.Handle(err)
		}
	})
}
