// Package msgmetric makes the instruments of the stable messaging metrics
// for the messaging integrations (rules/kafkago, rules/franzgo,
// rules/sarama), with the bucket boundaries the conventions advise.
package msgmetric

import (
	"errors"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/semconv/v1.43.0/messagingconv"
)

// durationBuckets are the bucket boundaries the conventions advise for the
// messaging duration histograms, in seconds.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// Instruments are a messaging client's metric instruments.
type Instruments struct {
	Duration messagingconv.ClientOperationDuration // messaging.client.operation.duration
	Process  messagingconv.ProcessDuration         // messaging.process.duration
	Sent     messagingconv.ClientSentMessages      // messaging.client.sent.messages
	Consumed messagingconv.ClientConsumedMessages  // messaging.client.consumed.messages
}

// New makes the instruments with meter m; a hook package passes it to
// sdk.NewInstruments.
func New(m metric.Meter) (in Instruments, err error) {
	var errs [4]error
	buckets := metric.WithExplicitBucketBoundaries(durationBuckets...)
	in.Duration, errs[0] = messagingconv.NewClientOperationDuration(m, buckets)
	in.Process, errs[1] = messagingconv.NewProcessDuration(m, buckets)
	in.Sent, errs[2] = messagingconv.NewClientSentMessages(m)
	in.Consumed, errs[3] = messagingconv.NewClientConsumedMessages(m)
	return in, errors.Join(errs[:]...)
}
