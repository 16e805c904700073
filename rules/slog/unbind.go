package slog

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names slog, they are cleared before
// main runs, and slog's handlers write records as they would without
// otelgen. The slog-otlp rule's hook is in package slogotlp, which clears
// its own.
var (
	//go:linkname boundJSON otelgen_slog_json_before
	boundJSON unsafe.Pointer
	//go:linkname boundText otelgen_slog_text_before
	boundText unsafe.Pointer
	//go:linkname boundDefault otelgen_slog_default_before
	boundDefault unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("slog") {
		boundJSON, boundText, boundDefault = nil, nil, nil
	}
}
