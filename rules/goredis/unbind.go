package goredis

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names goredis, they are cleared before
// main runs: no client gets otelgen's hook, and redisotel, if the program
// uses it, traces as it would.
var (
	//go:linkname boundClientAfter otelgen_goredis_client_after
	boundClientAfter unsafe.Pointer
	//go:linkname boundFailoverAfter otelgen_goredis_failover_client_after
	boundFailoverAfter unsafe.Pointer
	//go:linkname boundSentinelBefore otelgen_goredis_sentinel_client_before
	boundSentinelBefore unsafe.Pointer
	//go:linkname boundSentinelAfter otelgen_goredis_sentinel_client_after
	boundSentinelAfter unsafe.Pointer
	//go:linkname boundInitConnBefore otelgen_goredis_init_conn_before
	boundInitConnBefore unsafe.Pointer
	//go:linkname boundRingHeartbeat otelgen_goredis_ring_heartbeat_before
	boundRingHeartbeat unsafe.Pointer
	//go:linkname boundRingCommands otelgen_goredis_ring_commands_before
	boundRingCommands unsafe.Pointer
	//go:linkname boundClusterState otelgen_goredis_cluster_state_before
	boundClusterState unsafe.Pointer
	//go:linkname boundClusterCommands otelgen_goredis_cluster_commands_before
	boundClusterCommands unsafe.Pointer
	//go:linkname boundRedisotelDial otelgen_goredis_redisotel_dial_before
	boundRedisotelDial unsafe.Pointer
	//go:linkname boundRedisotelProcess otelgen_goredis_redisotel_process_before
	boundRedisotelProcess unsafe.Pointer
	//go:linkname boundRedisotelPipeline otelgen_goredis_redisotel_pipeline_before
	boundRedisotelPipeline unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("goredis") {
		boundClientAfter, boundFailoverAfter = nil, nil
		boundSentinelBefore, boundSentinelAfter = nil, nil
		boundInitConnBefore, boundRingHeartbeat, boundRingCommands = nil, nil, nil
		boundClusterState, boundClusterCommands = nil, nil
		boundRedisotelDial, boundRedisotelProcess, boundRedisotelPipeline = nil, nil, nil
	}
}
