package gin

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names gin, they are cleared before main
// runs, so that gin costs its nil checks and nothing more.
var (
	//go:linkname boundRouteBefore otelgen_gin_route_before
	boundRouteBefore unsafe.Pointer
	//go:linkname boundRouteAfter otelgen_gin_route_after
	boundRouteAfter unsafe.Pointer
	//go:linkname boundRecoveryBefore otelgen_gin_recovery_before
	boundRecoveryBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("gin") {
		boundRouteBefore, boundRouteAfter, boundRecoveryBefore = nil, nil, nil
	}
}
