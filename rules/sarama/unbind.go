package sarama

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names sarama, they are cleared before
// main runs, so that sarama costs its nil checks and nothing more: Messages
// returns sarama's own channel.
var (
	//go:linkname boundNewClientBefore otelgen_sarama_new_client_before
	boundNewClientBefore unsafe.Pointer
	//go:linkname boundNewClientAfter otelgen_sarama_new_client_after
	boundNewClientAfter unsafe.Pointer
	//go:linkname boundNewProducerBefore otelgen_sarama_new_producer_before
	boundNewProducerBefore unsafe.Pointer
	//go:linkname boundNewProducerAfter otelgen_sarama_new_producer_after
	boundNewProducerAfter unsafe.Pointer
	//go:linkname boundSendMessageBefore otelgen_sarama_send_message_before
	boundSendMessageBefore unsafe.Pointer
	//go:linkname boundSendMessageAfter otelgen_sarama_send_message_after
	boundSendMessageAfter unsafe.Pointer
	//go:linkname boundSendMessagesBefore otelgen_sarama_send_messages_before
	boundSendMessagesBefore unsafe.Pointer
	//go:linkname boundSendMessagesAfter otelgen_sarama_send_messages_after
	boundSendMessagesAfter unsafe.Pointer
	//go:linkname boundPartitionBefore otelgen_sarama_partition_before
	boundPartitionBefore unsafe.Pointer
	//go:linkname boundReturnSuccessesBefore otelgen_sarama_return_successes_before
	boundReturnSuccessesBefore unsafe.Pointer
	//go:linkname boundReturnErrorBefore otelgen_sarama_return_error_before
	boundReturnErrorBefore unsafe.Pointer
	//go:linkname boundReturnErrorsBefore otelgen_sarama_return_errors_before
	boundReturnErrorsBefore unsafe.Pointer
	//go:linkname boundNewConsumerBefore otelgen_sarama_new_consumer_before
	boundNewConsumerBefore unsafe.Pointer
	//go:linkname boundNewConsumerAfter otelgen_sarama_new_consumer_after
	boundNewConsumerAfter unsafe.Pointer
	//go:linkname boundNewConsumerGroupBefore otelgen_sarama_new_consumer_group_before
	boundNewConsumerGroupBefore unsafe.Pointer
	//go:linkname boundNewConsumerGroupAfter otelgen_sarama_new_consumer_group_after
	boundNewConsumerGroupAfter unsafe.Pointer
	//go:linkname boundMessagesBefore otelgen_sarama_messages_before
	boundMessagesBefore unsafe.Pointer
	//go:linkname boundMessagesAfter otelgen_sarama_messages_after
	boundMessagesAfter unsafe.Pointer
	//go:linkname boundAsyncCloseBefore otelgen_sarama_async_close_before
	boundAsyncCloseBefore unsafe.Pointer
	//go:linkname boundMarkMessageBefore otelgen_sarama_mark_message_before
	boundMarkMessageBefore unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("sarama") {
		boundNewClientBefore, boundNewClientAfter = nil, nil
		boundNewProducerBefore, boundNewProducerAfter = nil, nil
		boundSendMessageBefore, boundSendMessageAfter = nil, nil
		boundSendMessagesBefore, boundSendMessagesAfter = nil, nil
		boundPartitionBefore = nil
		boundReturnSuccessesBefore = nil
		boundReturnErrorBefore, boundReturnErrorsBefore = nil, nil
		boundNewConsumerBefore, boundNewConsumerAfter = nil, nil
		boundNewConsumerGroupBefore, boundNewConsumerGroupAfter = nil, nil
		boundMessagesBefore, boundMessagesAfter = nil, nil
		boundAsyncCloseBefore = nil
		boundMarkMessageBefore = nil
	}
}
