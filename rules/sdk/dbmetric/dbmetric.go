// Package dbmetric makes db.client.operation.duration, the histogram of the
// database and cache integrations, with the bucket boundaries the semantic
// conventions advise.
package dbmetric

import (
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/semconv/v1.43.0/dbconv"
)

// Buckets are the bucket boundaries the conventions advise for
// db.client.operation.duration, in seconds.
var Buckets = []float64{0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10}

// NewDuration makes the histogram with meter m; a hook package passes it to
// sdk.NewInstruments.
func NewDuration(m metric.Meter) (dbconv.ClientOperationDuration, error) {
	return dbconv.NewClientOperationDuration(m, metric.WithExplicitBucketBoundaries(Buckets...))
}
