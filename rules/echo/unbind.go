package echo

import (
	"unsafe"

	"github.com/labstack/echo/v4"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them, and echo's error variable of rule echo-error-var. When
// OTEL_SDK_DISABLED is set, or OTEL_GO_DISABLED_INSTRUMENTATIONS names echo,
// they are cleared (or left unset) before main runs, so that echo costs its
// nil checks and nothing more.
var (
	//go:linkname boundFindBefore otelgen_echo_route_before
	boundFindBefore unsafe.Pointer
	//go:linkname boundFindAfter otelgen_echo_route_after
	boundFindAfter unsafe.Pointer
	//go:linkname boundContextErrorBefore otelgen_echo_context_error_before
	boundContextErrorBefore unsafe.Pointer
	//go:linkname onError otelgen_echo_on_error
	onError func(echo.Context, error)
)

func init() {
	if sdk.Disabled() || hook.Disabled("echo") {
		boundFindBefore, boundFindAfter, boundContextErrorBefore = nil, nil, nil
		return
	}
	onError = handlerError
}
