package hertz

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names hertz, they are cleared before
// main runs, so that Hertz costs its nil checks and nothing more.
var (
	//go:linkname boundServerBefore otelgen_hertz_server_before
	boundServerBefore unsafe.Pointer
	//go:linkname boundServerAfter otelgen_hertz_server_after
	boundServerAfter unsafe.Pointer
	//go:linkname boundRecoveryAfter otelgen_hertz_recovery_after
	boundRecoveryAfter unsafe.Pointer
	//go:linkname boundClientBefore otelgen_hertz_client_before
	boundClientBefore unsafe.Pointer
	//go:linkname boundClientAfter otelgen_hertz_client_after
	boundClientAfter unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("hertz") {
		boundServerBefore, boundServerAfter = nil, nil
		boundRecoveryAfter = nil
		boundClientBefore, boundClientAfter = nil, nil
	}
}
