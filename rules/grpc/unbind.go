package grpc

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names grpc, they are cleared before main
// runs: no handler is added to any client or server, and gRPC runs as if
// uninstrumented.
var (
	//go:linkname boundClientBefore otelgen_grpc_client_before
	boundClientBefore unsafe.Pointer
	//go:linkname boundServerBefore otelgen_grpc_server_before
	boundServerBefore unsafe.Pointer
	//go:linkname boundStreamBefore otelgen_grpc_server_stream_before
	boundStreamBefore unsafe.Pointer
	//go:linkname boundStreamAfter otelgen_grpc_server_stream_after
	boundStreamAfter unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("grpc") {
		boundClientBefore, boundServerBefore = nil, nil
		boundStreamBefore, boundStreamAfter = nil, nil
	}
}
