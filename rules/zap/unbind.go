package zap

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules (zap-write, zap-otlp), as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names zap, they are cleared before main
// runs, and zap writes its entries as it would without otelgen; the cores
// that zap.New wrapped before then stop exporting.
var (
	//go:linkname boundWriteBefore otelgen_zap_write_before
	boundWriteBefore unsafe.Pointer
	//go:linkname boundNewBefore otelgen_zap_otlp_before
	boundNewBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("zap") {
		boundWriteBefore, boundNewBefore = nil, nil
		exportOff.Store(true)
	}
}
