package fasthttp

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of rule fasthttp-client, named after the rule id as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names fasthttp, they are cleared, and
// the server's handler hook is left unset, before main runs, so that
// fasthttp costs its nil checks and nothing more.
var (
	//go:linkname boundClientBefore otelgen_fasthttp_client_before
	boundClientBefore unsafe.Pointer
	//go:linkname boundClientAfter otelgen_fasthttp_client_after
	boundClientAfter unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("fasthttp") {
		boundClientBefore, boundClientAfter = nil, nil
		return
	}
	serveHook = serve
}
