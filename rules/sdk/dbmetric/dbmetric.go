// Package dbmetric makes db.client.operation.duration, the histogram of the
// database and cache integrations, with the bucket boundaries the semantic
// conventions advise, and the attribute sets of its points, once per
// combination of values: the attributes of one client's commands are the
// same command after command, and attribute.NewSet copies, sorts and hashes
// them, which costs more than finding the set already made.
package dbmetric

import (
	"github.com/otelgen/otelgen/rules/sdk"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
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

// maxSets bounds the kept sets, which every database integration of the
// program shares: a program names its databases, collections and servers,
// and its Redis pipelines are named after their commands, which could be
// many. Past it, a point's set is made at each call.
const maxSets = 2048

// Key is what the attributes of one db.client.operation.duration point are
// made of. db.system.name and db.operation.name are always there; an empty
// string or a zero number leaves any other attribute out.
type Key struct {
	System, Operation     string // db.system.name, db.operation.name
	Namespace, Collection string // db.namespace, db.collection.name
	Host                  string // server.address
	Port, BatchSize       int    // server.port, db.operation.batch.size
	StatusCode, ErrorType string // db.response.status_code, error.type
}

var sets = sdk.NewAttrSets[Key](maxSets)

// Set returns the attribute set of k, made once and kept.
func (k Key) Set() attribute.Set {
	if s, ok := sets.Lookup(k); ok {
		return s
	}
	return sets.Add(k, k.Attrs(0))
}

// Attrs returns the attributes of k, which a span of the operation has too,
// in a new slice with room for extra more (db.query.text, say).
func (k Key) Attrs(extra int) []attribute.KeyValue {
	kvs := make([]attribute.KeyValue, 0, 9+extra)
	kvs = append(kvs, semconv.DBSystemNameKey.String(k.System), semconv.DBOperationName(k.Operation))
	if k.Namespace != "" {
		kvs = append(kvs, semconv.DBNamespace(k.Namespace))
	}
	if k.Collection != "" {
		kvs = append(kvs, semconv.DBCollectionName(k.Collection))
	}
	if k.Host != "" {
		kvs = append(kvs, semconv.ServerAddress(k.Host))
	}
	if k.Port > 0 {
		kvs = append(kvs, semconv.ServerPort(k.Port))
	}
	if k.BatchSize > 0 {
		kvs = append(kvs, semconv.DBOperationBatchSize(k.BatchSize))
	}
	if k.StatusCode != "" {
		kvs = append(kvs, semconv.DBResponseStatusCode(k.StatusCode))
	}
	if k.ErrorType != "" {
		kvs = append(kvs, semconv.ErrorTypeKey.String(k.ErrorType))
	}
	return kvs
}

// Result returns the attributes of an operation's outcome that a span has
// too: error.type and db.response.status_code, each when set.
func (k Key) Result() []attribute.KeyValue {
	kvs := make([]attribute.KeyValue, 0, 2)
	if k.ErrorType != "" {
		kvs = append(kvs, semconv.ErrorTypeKey.String(k.ErrorType))
	}
	if k.StatusCode != "" {
		kvs = append(kvs, semconv.DBResponseStatusCode(k.StatusCode))
	}
	return kvs
}
