package mongov2

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variable of the mongov2-client rule, named as otelgen names it.
// When OTEL_SDK_DISABLED is set, or OTEL_GO_DISABLED_INSTRUMENTATIONS names
// mongov2, it is cleared before main runs: clients get the program's monitor
// alone, as without otelgen.
var (
	//go:linkname boundClientBefore otelgen_mongov2_client_before
	boundClientBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("mongov2") {
		boundClientBefore = nil
	}
}
