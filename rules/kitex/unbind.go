package kitex

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names kitex, they are cleared before
// main runs: no middleware is added to any client or server, and Kitex runs
// as if uninstrumented.
var (
	//go:linkname boundClientBefore otelgen_kitex_client_before
	boundClientBefore unsafe.Pointer
	//go:linkname boundServerBefore otelgen_kitex_server_before
	boundServerBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("kitex") {
		boundClientBefore, boundServerBefore = nil, nil
	}
}
