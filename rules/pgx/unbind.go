package pgx

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variable of rule pgx-connect, named as otelgen names it. When
// OTEL_SDK_DISABLED is set, or OTEL_GO_DISABLED_INSTRUMENTATIONS names pgx,
// it is cleared before main runs: no connection gets otelgen's tracer, and
// the program's own tracer is the connections' tracer as it set it.
var (
	//go:linkname boundConnectBefore otelgen_pgx_connect_before
	boundConnectBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("pgx") {
		boundConnectBefore = nil
	}
}
