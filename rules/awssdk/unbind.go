package awssdk

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variable of this package's rule, named after the rule id
// (awssdk-stack) as otelgen names it. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names awssdk, it is cleared before main
// runs: no middleware is added to any stack, and the SDK runs as if
// uninstrumented.
var (
	//go:linkname boundStackBefore otelgen_awssdk_stack_before
	boundStackBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("awssdk") {
		boundStackBefore = nil
	}
}
