package zerologotlp

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variable of the zerolog-otlp rule, named after the rule id as
// otelgen names it. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names zerolog, it is cleared before
// main runs, and no event is exported.
var (
	//go:linkname boundWriteBefore otelgen_zerolog_otlp_before
	boundWriteBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("zerolog") {
		boundWriteBefore = nil
	}
}
