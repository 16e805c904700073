package informer

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of the informer rules, as otelgen names them. When
// OTEL_SDK_DISABLED is set, or OTEL_GO_DISABLED_INSTRUMENTATIONS names
// clientgo, they are cleared before main runs: informers call the
// program's handlers as they are.
var (
	//go:linkname boundListenerAfter otelgen_clientgo_informer_listener_after
	boundListenerAfter unsafe.Pointer
	//go:linkname boundDeltasBefore otelgen_clientgo_informer_deltas_before
	boundDeltasBefore unsafe.Pointer
	//go:linkname boundDeltasBatchBefore otelgen_clientgo_informer_deltas_batch_before
	boundDeltasBatchBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("clientgo") {
		boundListenerAfter, boundDeltasBefore, boundDeltasBatchBefore = nil, nil, nil
	}
}
