package zerolog

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variable of this package's rule (zerolog-write), as otelgen
// names it. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names zerolog, it is cleared before
// main runs, and zerolog writes its events as it would without otelgen.
var (
	//go:linkname boundWriteBefore otelgen_zerolog_write_before
	boundWriteBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("zerolog") {
		boundWriteBefore = nil
	}
}
