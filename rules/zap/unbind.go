package zap

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variable of the zap-write rule, as otelgen names it. When
// OTEL_SDK_DISABLED is set, or OTEL_GO_DISABLED_INSTRUMENTATIONS names zap,
// it is cleared before main runs, and zap writes its entries as it would
// without otelgen. The zap-otlp rule's hook is in package zapotlp, which
// clears its own.
var (
	//go:linkname boundWriteBefore otelgen_zap_write_before
	boundWriteBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("zap") {
		boundWriteBefore = nil
	}
}
