package kafkago

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names kafkago, they are cleared before
// main runs, so that kafka-go costs its nil checks and nothing more.
var (
	//go:linkname boundWriteBefore otelgen_kafkago_write_before
	boundWriteBefore unsafe.Pointer
	//go:linkname boundWriteAfter otelgen_kafkago_write_after
	boundWriteAfter unsafe.Pointer
	//go:linkname boundFetchBefore otelgen_kafkago_fetch_before
	boundFetchBefore unsafe.Pointer
	//go:linkname boundFetchAfter otelgen_kafkago_fetch_after
	boundFetchAfter unsafe.Pointer
	//go:linkname boundReadAfter otelgen_kafkago_read_after
	boundReadAfter unsafe.Pointer
	//go:linkname boundCloseBefore otelgen_kafkago_close_before
	boundCloseBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("kafkago") {
		boundWriteBefore, boundWriteAfter = nil, nil
		boundFetchBefore, boundFetchAfter = nil, nil
		boundReadAfter = nil
		boundCloseBefore = nil
	}
}
