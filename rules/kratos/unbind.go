package kratos

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names kratos, they are cleared before
// main runs, so that Kratos costs its nil checks and nothing more, and its
// tracing middleware traces as it does without otelgen.
var (
	//go:linkname boundServerContextBefore otelgen_kratos_server_context_before
	boundServerContextBefore unsafe.Pointer
	//go:linkname boundSetOperationBefore otelgen_kratos_http_operation_before
	boundSetOperationBefore unsafe.Pointer
	//go:linkname boundHandleBefore otelgen_kratos_http_handler_before
	boundHandleBefore unsafe.Pointer
	//go:linkname boundRecoveryAfter otelgen_kratos_recovery_after
	boundRecoveryAfter unsafe.Pointer
	//go:linkname boundTracingServerAfter otelgen_kratos_tracing_server_after
	boundTracingServerAfter unsafe.Pointer
	//go:linkname boundTracingClientAfter otelgen_kratos_tracing_client_after
	boundTracingClientAfter unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("kratos") {
		boundServerContextBefore, boundSetOperationBefore, boundHandleBefore = nil, nil, nil
		boundRecoveryAfter, boundTracingServerAfter, boundTracingClientAfter = nil, nil, nil
	}
}
