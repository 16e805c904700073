package franzgo

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names franzgo, they are cleared before
// main runs: clients get no hooks, and franz-go costs its nil checks and
// nothing more.
var (
	//go:linkname boundNewClientBefore otelgen_franzgo_new_client_before
	boundNewClientBefore unsafe.Pointer
	//go:linkname boundNewClientAfter otelgen_franzgo_new_client_after
	boundNewClientAfter unsafe.Pointer
	//go:linkname boundPollBefore otelgen_franzgo_poll_before
	boundPollBefore unsafe.Pointer
	//go:linkname boundCloseBefore otelgen_franzgo_close_before
	boundCloseBefore unsafe.Pointer
	//go:linkname boundNextAfter otelgen_franzgo_next_after
	boundNextAfter unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("franzgo") {
		boundNewClientBefore, boundNewClientAfter = nil, nil
		boundPollBefore, boundCloseBefore, boundNextAfter = nil, nil, nil
	}
}
