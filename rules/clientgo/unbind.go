package clientgo

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variable of the clientgo-transport rule, as otelgen names it.
// When OTEL_SDK_DISABLED is set, or OTEL_GO_DISABLED_INSTRUMENTATIONS names
// clientgo, it is cleared before main runs: client-go's round trippers stay
// as they are.
var (
	//go:linkname boundTransportAfter otelgen_clientgo_transport_after
	boundTransportAfter unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("clientgo") {
		boundTransportAfter = nil
	}
}
