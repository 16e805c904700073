package zapotlp

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variable of the zap-otlp rule, named after the rule id as
// otelgen names it. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names zap, it is cleared before main
// runs, and the cores that zap.New wrapped before then stop exporting.
var (
	//go:linkname boundNewBefore otelgen_zap_otlp_before
	boundNewBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("zap") {
		boundNewBefore = nil
		exportOff.Store(true)
	}
}
