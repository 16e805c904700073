package goredisv8

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names goredisv8, they are cleared
// before main runs: no client gets otelgen's hook.
var (
	//go:linkname boundClientAfter otelgen_goredisv8_client_after
	boundClientAfter unsafe.Pointer
	//go:linkname boundFailoverAfter otelgen_goredisv8_failover_client_after
	boundFailoverAfter unsafe.Pointer
	//go:linkname boundSentinelBefore otelgen_goredisv8_sentinel_client_before
	boundSentinelBefore unsafe.Pointer
	//go:linkname boundSentinelAfter otelgen_goredisv8_sentinel_client_after
	boundSentinelAfter unsafe.Pointer
	//go:linkname boundRingHeartbeat otelgen_goredisv8_ring_heartbeat_before
	boundRingHeartbeat unsafe.Pointer
	//go:linkname boundRingCommands otelgen_goredisv8_ring_commands_before
	boundRingCommands unsafe.Pointer
	//go:linkname boundClusterState otelgen_goredisv8_cluster_state_before
	boundClusterState unsafe.Pointer
	//go:linkname boundClusterCommands otelgen_goredisv8_cluster_commands_before
	boundClusterCommands unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("goredisv8") {
		boundClientAfter, boundFailoverAfter = nil, nil
		boundSentinelBefore, boundSentinelAfter = nil, nil
		boundRingHeartbeat, boundRingCommands, boundClusterState, boundClusterCommands = nil, nil, nil, nil
	}
}
