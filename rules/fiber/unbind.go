package fiber

import (
	"unsafe"

	gofiber "github.com/gofiber/fiber/v2"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them, and fiber's hook variables of rule fiber-hooks. When
// OTEL_SDK_DISABLED is set, or OTEL_GO_DISABLED_INSTRUMENTATIONS names
// fiber, they are cleared (or left unset) before main runs, so that fiber
// costs its nil checks and nothing more.
var (
	//go:linkname boundRecoverNewBefore otelgen_fiber_recover_before
	boundRecoverNewBefore unsafe.Pointer
	//go:linkname fiberOnRoute otelgen_fiber_on_route
	fiberOnRoute func(*gofiber.Ctx, string)
	//go:linkname fiberOnError otelgen_fiber_on_error
	fiberOnError func(*gofiber.Ctx, error)
)

func init() {
	if sdk.Disabled() || hook.Disabled("fiber") {
		boundRecoverNewBefore = nil
		return
	}
	fiberOnRoute, fiberOnError = onRoute, onError
}
