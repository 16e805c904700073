package otelsdk

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them. When OTEL_GO_DISABLED_INSTRUMENTATIONS names otelsdk
// they are cleared before main runs, and so is the SpanFromContext
// fallback: the program's own spans then follow their contexts alone.
var (
	//go:linkname boundStartBefore otelgen_otelsdk_tracer_start_before
	boundStartBefore unsafe.Pointer
	//go:linkname boundStartAfter otelgen_otelsdk_tracer_start_after
	boundStartAfter unsafe.Pointer
	//go:linkname boundBaggageAfter otelgen_otelsdk_baggage_after
	boundBaggageAfter unsafe.Pointer
)

func init() {
	if hook.Disabled("otelsdk") {
		boundStartBefore, boundStartAfter, boundBaggageAfter = nil, nil, nil
		spanFallback = nil
	}
}
