package gorillamux

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names gorillamux, they are cleared
// before main runs, so that mux costs its nil checks and nothing more.
var (
	//go:linkname boundMatchBefore otelgen_gorillamux_route_before
	boundMatchBefore unsafe.Pointer
	//go:linkname boundMatchAfter otelgen_gorillamux_route_after
	boundMatchAfter unsafe.Pointer
	//go:linkname boundServeBefore otelgen_gorillamux_serve_before
	boundServeBefore unsafe.Pointer
	//go:linkname boundServeAfter otelgen_gorillamux_serve_after
	boundServeAfter unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("gorillamux") {
		boundMatchBefore, boundMatchAfter = nil, nil
		boundServeBefore, boundServeAfter = nil, nil
	}
}
