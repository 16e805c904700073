package mongo

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variable of the mongo-client rule, named as otelgen names it.
// When OTEL_SDK_DISABLED is set, or OTEL_GO_DISABLED_INSTRUMENTATIONS names
// mongo, it is cleared before main runs: clients get the program's monitor
// alone, as without otelgen.
var (
	//go:linkname boundClientBefore otelgen_mongo_client_before
	boundClientBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("mongo") {
		boundClientBefore = nil
	}
}
