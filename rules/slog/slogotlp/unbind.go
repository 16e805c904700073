package slogotlp

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variable of the slog-otlp rule, named after the rule id as
// otelgen names it. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names slog, it is cleared before main
// runs, and the handlers that slog.New wrapped before then stop exporting.
var (
	//go:linkname boundOTLP otelgen_slog_otlp_before
	boundOTLP unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("slog") {
		boundOTLP = nil
		exportOff.Store(true)
	}
}
