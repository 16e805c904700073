package stdlog

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variable of this package's rule (stdlog-output), as otelgen
// names it. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names stdlog, it is cleared before main
// runs, and log writes its lines as it would without otelgen. The
// stdlog-otlp rule's hook is in package stdlogotlp, which clears its own.
var (
	//go:linkname boundOutputBefore otelgen_stdlog_output_before
	boundOutputBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("stdlog") {
		boundOutputBefore = nil
	}
}
