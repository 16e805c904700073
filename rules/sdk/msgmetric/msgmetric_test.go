package msgmetric

import (
	"context"
	"slices"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// TestNew makes the instruments, records once with each, and checks the
// names and the duration histograms' buckets.
func TestNew(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer mp.Shutdown(context.Background())
	in, err := New(mp.Meter("test"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	in.Duration.Float64Histogram.Record(ctx, 0.02)
	in.Process.Float64Histogram.Record(ctx, 0.02)
	in.Sent.Int64Counter.Add(ctx, 1)
	in.Consumed.Int64Counter.Add(ctx, 1)
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		t.Fatal(err)
	}
	got := map[string]metricdata.Aggregation{}
	for _, m := range rm.ScopeMetrics[0].Metrics {
		got[m.Name] = m.Data
	}
	for _, name := range []string{"messaging.client.operation.duration", "messaging.process.duration"} {
		h, ok := got[name].(metricdata.Histogram[float64])
		if !ok {
			t.Errorf("%s: %T, want a float64 histogram", name, got[name])
			continue
		}
		if b := h.DataPoints[0].Bounds; !slices.Equal(b, durationBuckets) {
			t.Errorf("%s buckets %v, want %v", name, b, durationBuckets)
		}
	}
	for _, name := range []string{"messaging.client.sent.messages", "messaging.client.consumed.messages"} {
		if _, ok := got[name].(metricdata.Sum[int64]); !ok {
			t.Errorf("%s: %T, want an int64 sum", name, got[name])
		}
	}
}
