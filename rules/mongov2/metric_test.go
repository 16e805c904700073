package mongov2

import (
	"context"
	"testing"

	"github.com/otelgen/otelgen/rules/sdk/dbmetric"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/dbconv"
)

// TestMetricKeySet checks that a kept set holds the attributes the hook
// recorded before it kept sets: those of the span's metric part, with
// error.type and db.response.status_code on a failure.
func TestMetricKeySet(t *testing.T) {
	for _, tc := range []struct {
		k    metricKey
		want []attribute.KeyValue
	}{
		{metricKey{op: "find", ns: "db", coll: "c", host: "127.0.0.1", port: 27017, server: true},
			[]attribute.KeyValue{semconv.DBOperationName("find"), semconv.DBNamespace("db"), semconv.DBCollectionName("c"),
				semconv.ServerAddress("127.0.0.1"), semconv.ServerPort(27017)}},
		{metricKey{op: "ping", ns: "admin", host: "h", server: true, etype: "CommandNotFound"},
			[]attribute.KeyValue{semconv.DBOperationName("ping"), semconv.DBNamespace("admin"),
				semconv.ServerAddress("h"), semconv.ErrorTypeKey.String("CommandNotFound")}},
		{metricKey{op: "insert", ns: "db", coll: "c", host: "h", port: 1, server: true, etype: "11000", code: "11000"},
			[]attribute.KeyValue{semconv.DBOperationName("insert"), semconv.DBNamespace("db"), semconv.DBCollectionName("c"),
				semconv.ServerAddress("h"), semconv.ServerPort(1), semconv.ErrorTypeKey.String("11000"), semconv.DBResponseStatusCode("11000")}},
		{metricKey{op: "hello"},
			[]attribute.KeyValue{semconv.DBOperationName("hello")}},
	} {
		want := attribute.NewSet(append(tc.want, semconv.DBSystemNameMongoDB)...)
		for range 2 { // made, then kept
			if got := tc.k.set(); !got.Equals(&want) {
				t.Errorf("%+v: set %v, want %v", tc.k, got.Encoded(attribute.DefaultEncoder()), want.Encoded(attribute.DefaultEncoder()))
			}
		}
	}
}

// BenchmarkRecord records a FindOne's duration as the hook did before it
// kept sets (Record with the attributes, a new set per call) and as it does
// now (RecordSet with the kept set); run with -benchmem.
func BenchmarkRecord(b *testing.B) {
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	defer mp.Shutdown(context.Background())
	h, err := dbmetric.NewDuration(mp.Meter(ScopeName))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	k := metricKey{op: "find", ns: "bench", coll: "docs", host: "127.0.0.1", port: 27017, server: true}
	b.Run("attrs", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			attrs := []attribute.KeyValue{semconv.DBSystemNameMongoDB, semconv.DBOperationName(k.op),
				semconv.DBNamespace(k.ns), semconv.DBCollectionName(k.coll),
				semconv.ServerAddress(k.host), semconv.ServerPort(k.port)}
			h.Record(ctx, 0.001, dbconv.SystemNameMongoDB, attrs[1:]...)
		}
	})
	b.Run("set", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			h.RecordSet(ctx, 0.001, k.set())
		}
	})
}
