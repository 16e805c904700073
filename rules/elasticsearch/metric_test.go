package elasticsearch

import (
	"errors"
	"testing"

	"github.com/otelgen/otelgen/rules/sdk/sdktest"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// TestMetricPoints drives calls as esapi does and checks the attribute sets
// of the db.client.operation.duration points they record: each call's
// operation, index, node, status and error.type, made once and kept, the
// same on the second round of calls as on the first.
func TestMetricPoints(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	otel.SetMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)))
	t.Cleanup(func() { otel.SetMeterProvider(noop.NewMeterProvider()) })
	in := instrumentation{}
	for range 2 {
		call(in, "search", map[string]string{"index": "books"}, "http://u:secret@es.local:9200/books/_search", 200, nil)
		call(in, "indices.exists", map[string]string{"index": "gone"}, "http://es.local:9200/gone", 404, nil)
		call(in, "get", map[string]string{"index": "books", "id": "9"}, "http://es.local:9200/books/_doc/9", 404, nil)
		call(in, "info", nil, "https://es.local/", 0, errors.New("refused"))
	}
	es := semconv.DBSystemNameElasticsearch
	want := []attribute.Set{
		attribute.NewSet(es, semconv.DBOperationName("search"), semconv.DBCollectionName("books"),
			semconv.ServerAddress("es.local"), semconv.ServerPort(9200), semconv.DBResponseStatusCode("200")),
		attribute.NewSet(es, semconv.DBOperationName("indices.exists"), semconv.DBCollectionName("gone"),
			semconv.ServerAddress("es.local"), semconv.ServerPort(9200), semconv.DBResponseStatusCode("404")),
		attribute.NewSet(es, semconv.DBOperationName("get"), semconv.DBCollectionName("books"),
			semconv.ServerAddress("es.local"), semconv.ServerPort(9200), semconv.DBResponseStatusCode("404"),
			semconv.ErrorTypeKey.String("404")),
		attribute.NewSet(es, semconv.DBOperationName("info"), semconv.ServerAddress("es.local"), semconv.ServerPort(443),
			semconv.ErrorTypeKey.String("*errors.errorString")),
	}

	sdktest.WantHistogramPoints(t, reader, 2, map[string][]attribute.Set{"db.client.operation.duration": want})
}
