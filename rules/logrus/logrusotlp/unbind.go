package logrusotlp

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of the logrus-otlp rules, named after the rule ids as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names logrus, they are cleared before
// main runs, and no entry is exported.
var (
	//go:linkname boundOTLPV19 otelgen_logrus_otlp_v1_9_before
	boundOTLPV19 unsafe.Pointer
	//go:linkname boundOTLP otelgen_logrus_otlp_before
	boundOTLP unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("logrus") {
		boundOTLPV19, boundOTLP = nil, nil
	}
}
