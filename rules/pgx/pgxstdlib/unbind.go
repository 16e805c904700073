package pgxstdlib

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of the pgx rules on pgx's stdlib, named after the rule
// ids as otelgen names them. When the pgx integration is off (see package
// pgx), no connection has otelgen's tracer and the marks are not needed:
// they are cleared before main runs.
var (
	//go:linkname boundDriverConnect otelgen_pgx_stdlib_driver_connect_before
	boundDriverConnect unsafe.Pointer
	//go:linkname boundConnectorConnect otelgen_pgx_stdlib_connector_connect_before
	boundConnectorConnect unsafe.Pointer
	//go:linkname boundQuery otelgen_pgx_stdlib_query_before
	boundQuery unsafe.Pointer
	//go:linkname boundExec otelgen_pgx_stdlib_exec_before
	boundExec unsafe.Pointer
	//go:linkname boundPrepare otelgen_pgx_stdlib_prepare_before
	boundPrepare unsafe.Pointer
	//go:linkname boundBegin otelgen_pgx_stdlib_begin_before
	boundBegin unsafe.Pointer
	//go:linkname boundReset otelgen_pgx_stdlib_reset_before
	boundReset unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("pgx") {
		boundDriverConnect, boundConnectorConnect = nil, nil
		boundQuery, boundExec, boundPrepare, boundBegin, boundReset = nil, nil, nil, nil, nil
	}
}
