package redigo

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names redigo, they are cleared before
// main runs, so that redigo costs its nil checks and nothing more.
var (
	//go:linkname boundNewConnAfter otelgen_redigo_new_conn_after
	boundNewConnAfter unsafe.Pointer
	//go:linkname boundDoBefore otelgen_redigo_do_before
	boundDoBefore unsafe.Pointer
	//go:linkname boundDoAfter otelgen_redigo_do_after
	boundDoAfter unsafe.Pointer
	//go:linkname boundDoContextBefore otelgen_redigo_do_context_before
	boundDoContextBefore unsafe.Pointer
	//go:linkname boundDoContextAfter otelgen_redigo_do_context_after
	boundDoContextAfter unsafe.Pointer
	//go:linkname boundSendBefore otelgen_redigo_send_before
	boundSendBefore unsafe.Pointer
	//go:linkname boundSendAfter otelgen_redigo_send_after
	boundSendAfter unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("redigo") {
		boundNewConnAfter = nil
		boundDoBefore, boundDoAfter = nil, nil
		boundDoContextBefore, boundDoContextAfter = nil, nil
		boundSendBefore, boundSendAfter = nil, nil
	}
}
