package nats

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names nats, they are cleared before
// main runs, so that nats.go costs its nil checks and nothing more.
var (
	//go:linkname boundPublishBefore otelgen_nats_publish_before
	boundPublishBefore unsafe.Pointer
	//go:linkname boundPublishAfter otelgen_nats_publish_after
	boundPublishAfter unsafe.Pointer
	//go:linkname boundSubscribeBefore otelgen_nats_subscribe_before
	boundSubscribeBefore unsafe.Pointer
	//go:linkname boundNextMsgBefore otelgen_nats_next_msg_before
	boundNextMsgBefore unsafe.Pointer
	//go:linkname boundNextMsgAfter otelgen_nats_next_msg_after
	boundNextMsgAfter unsafe.Pointer
	//go:linkname boundNextMsgContextBefore otelgen_nats_next_msg_context_before
	boundNextMsgContextBefore unsafe.Pointer
	//go:linkname boundNextMsgContextAfter otelgen_nats_next_msg_context_after
	boundNextMsgContextAfter unsafe.Pointer
	//go:linkname boundUnsubscribeBefore otelgen_nats_unsubscribe_before
	boundUnsubscribeBefore unsafe.Pointer
	//go:linkname boundRequestContextBefore otelgen_nats_request_context_before
	boundRequestContextBefore unsafe.Pointer
	//go:linkname boundRequestContextAfter otelgen_nats_request_context_after
	boundRequestContextAfter unsafe.Pointer
	//go:linkname boundRequestMsgContextBefore otelgen_nats_request_msg_context_before
	boundRequestMsgContextBefore unsafe.Pointer
	//go:linkname boundRequestMsgContextAfter otelgen_nats_request_msg_context_after
	boundRequestMsgContextAfter unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("nats") {
		boundPublishBefore, boundPublishAfter = nil, nil
		boundSubscribeBefore = nil
		boundNextMsgBefore, boundNextMsgAfter = nil, nil
		boundNextMsgContextBefore, boundNextMsgContextAfter = nil, nil
		boundUnsubscribeBefore = nil
		boundRequestContextBefore, boundRequestContextAfter = nil, nil
		boundRequestMsgContextBefore, boundRequestMsgContextAfter = nil, nil
	}
}
