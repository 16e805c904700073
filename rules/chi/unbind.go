package chi

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names chi, they are cleared before main
// runs, so that chi costs its nil checks and nothing more.
var (
	//go:linkname boundRouteBefore otelgen_chi_route_before
	boundRouteBefore unsafe.Pointer
	//go:linkname boundRouteAfter otelgen_chi_route_after
	boundRouteAfter unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("chi") {
		boundRouteBefore, boundRouteAfter = nil, nil
	}
}
