package nethttp

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids
// (nethttp-client, nethttp-server, nethttp-servemux) as otelgen names them. When
// OTEL_SDK_DISABLED is set, or OTEL_GO_DISABLED_INSTRUMENTATIONS names
// nethttp, they are cleared before main runs, so that an instrumented
// net/http costs its nil checks and nothing more: no call record, no
// deferred trampolines.
var (
	//go:linkname boundClientBefore otelgen_nethttp_client_before
	boundClientBefore unsafe.Pointer
	//go:linkname boundClientAfter otelgen_nethttp_client_after
	boundClientAfter unsafe.Pointer
	//go:linkname boundServerBefore otelgen_nethttp_server_before
	boundServerBefore unsafe.Pointer
	//go:linkname boundServerAfter otelgen_nethttp_server_after
	boundServerAfter unsafe.Pointer
	//go:linkname boundServeMuxBefore otelgen_nethttp_servemux_before
	boundServeMuxBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("nethttp") {
		boundClientBefore, boundClientAfter = nil, nil
		boundServerBefore, boundServerAfter = nil, nil
		boundServeMuxBefore = nil
	}
}
