// Package sdktest holds what the integrations' unit tests share about the
// telemetry their hooks record.
package sdktest

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// WantHistogramPoints collects reader and checks that each histogram that
// want names has exactly one point for each of its attribute sets and no
// other, each point counting count values.
func WantHistogramPoints(t testing.TB, reader sdkmetric.Reader, count uint64, want map[string][]attribute.Set) {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	points := map[string][]metricdata.HistogramDataPoint[float64]{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if h, ok := m.Data.(metricdata.Histogram[float64]); ok {
				points[m.Name] = append(points[m.Name], h.DataPoints...)
			}
		}
	}
	for name, sets := range want {
		if len(points[name]) != len(sets) {
			t.Errorf("%s: %d points, want %d", name, len(points[name]), len(sets))
		}
		for _, w := range sets {
			found := false
			for _, p := range points[name] {
				if p.Attributes.Equals(&w) {
					found = true
					if p.Count != count {
						t.Errorf("%s %s: %d records, want %d", name, w.Encoded(attribute.DefaultEncoder()), p.Count, count)
					}
				}
			}
			if !found {
				t.Errorf("%s: no point with %s", name, w.Encoded(attribute.DefaultEncoder()))
			}
		}
	}
}
