package amqp091

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names amqp091, they are cleared before
// main runs, so that amqp091-go costs its nil checks and nothing more.
var (
	//go:linkname boundPublishBefore otelgen_amqp091_publish_before
	boundPublishBefore unsafe.Pointer
	//go:linkname boundPublishAfter otelgen_amqp091_publish_after
	boundPublishAfter unsafe.Pointer
	//go:linkname boundPublishContextBefore otelgen_amqp091_publish_context_before
	boundPublishContextBefore unsafe.Pointer
	//go:linkname boundPublishContextAfter otelgen_amqp091_publish_context_after
	boundPublishContextAfter unsafe.Pointer
	//go:linkname boundPublishDeferredContextBefore otelgen_amqp091_publish_deferred_context_before
	boundPublishDeferredContextBefore unsafe.Pointer
	//go:linkname boundPublishDeferredContextAfter otelgen_amqp091_publish_deferred_context_after
	boundPublishDeferredContextAfter unsafe.Pointer
	//go:linkname boundConsumeBefore otelgen_amqp091_consume_before
	boundConsumeBefore unsafe.Pointer
	//go:linkname boundConsumeContextBefore otelgen_amqp091_consume_context_before
	boundConsumeContextBefore unsafe.Pointer
	//go:linkname boundDeliverBefore otelgen_amqp091_deliver_before
	boundDeliverBefore unsafe.Pointer
	//go:linkname boundGetBefore otelgen_amqp091_get_before
	boundGetBefore unsafe.Pointer
	//go:linkname boundGetAfter otelgen_amqp091_get_after
	boundGetAfter unsafe.Pointer
	//go:linkname boundAckBefore otelgen_amqp091_ack_before
	boundAckBefore unsafe.Pointer
	//go:linkname boundNackBefore otelgen_amqp091_nack_before
	boundNackBefore unsafe.Pointer
	//go:linkname boundRejectBefore otelgen_amqp091_reject_before
	boundRejectBefore unsafe.Pointer
	//go:linkname boundCloseBefore otelgen_amqp091_close_before
	boundCloseBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("amqp091") {
		boundPublishBefore, boundPublishAfter = nil, nil
		boundPublishContextBefore, boundPublishContextAfter = nil, nil
		boundPublishDeferredContextBefore, boundPublishDeferredContextAfter = nil, nil
		boundConsumeBefore = nil
		boundConsumeContextBefore = nil
		boundDeliverBefore = nil
		boundGetBefore, boundGetAfter = nil, nil
		boundAckBefore = nil
		boundNackBefore = nil
		boundRejectBefore = nil
		boundCloseBefore = nil
	}
}
