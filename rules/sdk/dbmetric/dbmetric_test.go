package dbmetric

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/dbconv"
)

func TestKeySet(t *testing.T) {
	for _, tt := range []struct {
		name string
		k    Key
		want []attribute.KeyValue
	}{
		{"full", Key{"mongodb", "find", "shop", "orders", "db.example.com", 27017, 0, "59", "59"}, []attribute.KeyValue{
			attribute.String("db.system.name", "mongodb"),
			attribute.String("db.operation.name", "find"),
			attribute.String("db.namespace", "shop"),
			attribute.String("db.collection.name", "orders"),
			attribute.String("server.address", "db.example.com"),
			attribute.Int("server.port", 27017),
			attribute.String("db.response.status_code", "59"),
			attribute.String("error.type", "59"),
		}},
		{"batch on a socket", Key{System: "redis", Operation: "PIPELINE GET SET", Namespace: "0", Host: "/run/redis.sock", BatchSize: 2}, []attribute.KeyValue{
			attribute.String("db.system.name", "redis"),
			attribute.String("db.operation.name", "PIPELINE GET SET"),
			attribute.String("db.namespace", "0"),
			attribute.String("server.address", "/run/redis.sock"),
			attribute.Int("db.operation.batch.size", 2),
		}},
		{"bare", Key{System: "elasticsearch", Operation: "search"}, []attribute.KeyValue{
			attribute.String("db.system.name", "elasticsearch"),
			attribute.String("db.operation.name", "search"),
		}},
		{"error without status", Key{System: "redis", Operation: "GET", ErrorType: "timeout"}, []attribute.KeyValue{
			attribute.String("db.system.name", "redis"),
			attribute.String("db.operation.name", "GET"),
			attribute.String("error.type", "timeout"),
		}},
	} {
		want := attribute.NewSet(tt.want...)
		for range 2 { // made, then kept
			if got := tt.k.Set(); !got.Equals(&want) {
				t.Errorf("%s: %v, want %v", tt.name, got.Encoded(attribute.DefaultEncoder()), want.Encoded(attribute.DefaultEncoder()))
			}
		}
	}
}

// BenchmarkRecord records a MongoDB FindOne's duration as the database
// integrations did before they kept sets (Record with the attributes, a new
// set per call) and as they do now (RecordSet with the kept set); run with
// -benchmem.
func BenchmarkRecord(b *testing.B) {
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	defer mp.Shutdown(context.Background())
	h, err := NewDuration(mp.Meter("bench"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	k := Key{System: "mongodb", Operation: "find", Namespace: "bench", Collection: "docs", Host: "127.0.0.1", Port: 27017}
	b.Run("attrs", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			attrs := []attribute.KeyValue{semconv.DBOperationName(k.Operation),
				semconv.DBNamespace(k.Namespace), semconv.DBCollectionName(k.Collection),
				semconv.ServerAddress(k.Host), semconv.ServerPort(k.Port)}
			h.Record(ctx, 0.001, dbconv.SystemNameMongoDB, attrs...)
		}
	})
	b.Run("set", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			h.RecordSet(ctx, 0.001, k.Set())
		}
	})
}
