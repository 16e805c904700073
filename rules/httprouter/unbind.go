package httprouter

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variable of this package's rule, named after the rule id as
// otelgen names it. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names httprouter, it is cleared before
// main runs, so that handles are registered unwrapped.
var (
	//go:linkname boundHandleBefore otelgen_httprouter_handle_before
	boundHandleBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("httprouter") {
		boundHandleBefore = nil
	}
}
