package elasticsearch

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variable of the elasticsearch-transport rule, as otelgen names
// it. When OTEL_SDK_DISABLED is set, or OTEL_GO_DISABLED_INSTRUMENTATIONS
// names elasticsearch, it is cleared before main runs: transports keep the
// Instrumentation the program gave them, or none.
var (
	//go:linkname boundTransportBefore otelgen_elasticsearch_transport_before
	boundTransportBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("elasticsearch") {
		boundTransportBefore = nil
	}
}
