package stdlogotlp

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variable of the stdlog-otlp rule, named after the rule id as
// otelgen names it. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names stdlog, it is cleared before main
// runs, and no line is exported.
var (
	//go:linkname boundOutputBefore otelgen_stdlog_otlp_before
	boundOutputBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("stdlog") {
		boundOutputBefore = nil
	}
}
