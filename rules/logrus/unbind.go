package logrus

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names logrus, they are cleared before
// main runs, and logrus writes its entries as it would without otelgen.
var (
	//go:linkname boundHooksV19 otelgen_logrus_hooks_v1_9_before
	boundHooksV19 unsafe.Pointer
	//go:linkname boundHooks otelgen_logrus_hooks_before
	boundHooks unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("logrus") {
		boundHooksV19, boundHooks = nil, nil
	}
}
