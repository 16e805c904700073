// Package otlp exports spans and metrics over OTLP/HTTP in its binary
// protobuf encoding, written field by field with protowire.
//
// The upstream exporters (otlptracehttp, otlpmetrichttp) build the
// generated OTLP message types and marshal them with the protobuf runtime;
// their configuration package imports gRPC as well. Together that is about
// as much code again as an instrumented net/http program, for a fixed
// message layout that takes a few hundred lines to write directly. This
// package links only protowire, net/http and the SDK's own types, and reads
// the same OTEL_EXPORTER_OTLP_* variables. The gRPC exporters stay upstream
// (package otlpgrpc), linked only on request.
package otlp

import (
	"math"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	"google.golang.org/protobuf/encoding/protowire"
)

// buf is a protobuf message being appended to.
type buf struct{ b []byte }

// open starts the embedded message of field num and returns the mark that
// close takes. One byte is reserved for the length, which is the size of
// most embedded messages; close moves the message when it needs more.
func (e *buf) open(num protowire.Number) int {
	e.b = protowire.AppendTag(e.b, num, protowire.BytesType)
	e.b = append(e.b, 0)
	return len(e.b)
}

// close ends the message that open started at mark, writing its length.
func (e *buf) close(mark int) {
	n := len(e.b) - mark
	size := protowire.SizeVarint(uint64(n))
	if size > 1 {
		e.b = append(e.b, make([]byte, size-1)...)
		copy(e.b[mark+size-1:], e.b[mark:mark+n])
	}
	protowire.AppendVarint(e.b[:mark-1], uint64(n))
}

// empty writes field num as a message with no field set, which unlike an
// absent one says that the message is there.
func (e *buf) empty(num protowire.Number) {
	e.b = protowire.AppendTag(e.b, num, protowire.BytesType)
	e.b = append(e.b, 0)
}

func (e *buf) bytes(num protowire.Number, v []byte) {
	e.b = protowire.AppendTag(e.b, num, protowire.BytesType)
	e.b = protowire.AppendBytes(e.b, v)
}

// str writes a string field unless it is empty (proto3's default).
func (e *buf) str(num protowire.Number, v string) {
	if v != "" {
		e.strAlways(num, v)
	}
}

// strAlways writes a string field even when empty, as a member of a oneof.
func (e *buf) strAlways(num protowire.Number, v string) {
	e.b = protowire.AppendTag(e.b, num, protowire.BytesType)
	e.b = protowire.AppendString(e.b, v)
}

// varint writes an unsigned or enum field unless it is zero.
func (e *buf) varint(num protowire.Number, v uint64) {
	if v != 0 {
		e.b = protowire.AppendTag(e.b, num, protowire.VarintType)
		e.b = protowire.AppendVarint(e.b, v)
	}
}

// sint32 writes a zigzag-encoded field unless it is zero.
func (e *buf) sint32(num protowire.Number, v int32) {
	if v != 0 {
		e.b = protowire.AppendTag(e.b, num, protowire.VarintType)
		e.b = protowire.AppendVarint(e.b, protowire.EncodeZigZag(int64(v)))
	}
}

// fixed64 writes a fixed64 field unless it is zero.
func (e *buf) fixed64(num protowire.Number, v uint64) {
	if v != 0 {
		e.fixed64Always(num, v)
	}
}

func (e *buf) fixed64Always(num protowire.Number, v uint64) {
	e.b = protowire.AppendTag(e.b, num, protowire.Fixed64Type)
	e.b = protowire.AppendFixed64(e.b, v)
}

func (e *buf) fixed32(num protowire.Number, v uint32) {
	if v != 0 {
		e.b = protowire.AppendTag(e.b, num, protowire.Fixed32Type)
		e.b = protowire.AppendFixed32(e.b, v)
	}
}

// double writes a double field unless it is zero.
func (e *buf) double(num protowire.Number, v float64) {
	if v != 0 || math.Signbit(v) {
		e.fixed64Always(num, math.Float64bits(v))
	}
}

// doubleAlways writes a double that has presence (optional or oneof).
func (e *buf) doubleAlways(num protowire.Number, v float64) {
	e.fixed64Always(num, math.Float64bits(v))
}

func (e *buf) boolean(num protowire.Number, v bool) {
	if v {
		e.b = protowire.AppendTag(e.b, num, protowire.VarintType)
		e.b = append(e.b, 1)
	}
}

// count is a dropped count: uint32, clamped.
func (e *buf) count(num protowire.Number, n int) {
	if n > 0 {
		e.varint(num, uint64(min(int64(n), math.MaxUint32)))
	}
}

// timestamp writes a time as Unix nanoseconds; times before 1970 are 0.
func (e *buf) timestamp(num protowire.Number, t time.Time) {
	e.fixed64(num, uint64(max(0, t.UnixNano())))
}

// Field numbers of common.proto and resource.proto.
const (
	anyString = 1
	anyBool   = 2
	anyInt    = 3
	anyDouble = 4
	anyArray  = 5
	anyKVList = 6
	anyBytes  = 7

	kvKey   = 1
	kvValue = 2

	listValues = 1 // ArrayValue.values and KeyValueList.values

	scopeName    = 1
	scopeVersion = 2
	scopeAttrs   = 3

	resourceAttrs = 1
)

// keyValue writes one KeyValue as field num.
func (e *buf) keyValue(num protowire.Number, kv attribute.KeyValue) {
	m := e.open(num)
	e.str(kvKey, string(kv.Key))
	e.value(kvValue, kv.Value)
	e.close(m)
}

func (e *buf) attrs(num protowire.Number, kvs []attribute.KeyValue) {
	for _, kv := range kvs {
		e.keyValue(num, kv)
	}
}

func (e *buf) attrSet(num protowire.Number, s *attribute.Set) {
	for it := s.Iter(); it.Next(); {
		e.keyValue(num, it.Attribute())
	}
}

// value writes an attribute value as the AnyValue of field num. An empty
// value is an AnyValue with nothing set; a kind this encoder does not know
// is the string "INVALID", as upstream writes it.
func (e *buf) value(num protowire.Number, v attribute.Value) {
	m := e.open(num)
	switch v.Type() {
	case attribute.BOOL:
		e.b = protowire.AppendTag(e.b, anyBool, protowire.VarintType)
		e.b = protowire.AppendVarint(e.b, protowire.EncodeBool(v.AsBool()))
	case attribute.INT64:
		e.b = protowire.AppendTag(e.b, anyInt, protowire.VarintType)
		e.b = protowire.AppendVarint(e.b, uint64(v.AsInt64()))
	case attribute.FLOAT64:
		e.doubleAlways(anyDouble, v.AsFloat64())
	case attribute.STRING:
		e.strAlways(anyString, v.AsString())
	case attribute.BYTESLICE:
		e.bytes(anyBytes, v.AsByteSlice())
	case attribute.BOOLSLICE:
		a := e.open(anyArray)
		for _, x := range v.AsBoolSlice() {
			e.value(listValues, attribute.BoolValue(x))
		}
		e.close(a)
	case attribute.INT64SLICE:
		a := e.open(anyArray)
		for _, x := range v.AsInt64Slice() {
			e.value(listValues, attribute.Int64Value(x))
		}
		e.close(a)
	case attribute.FLOAT64SLICE:
		a := e.open(anyArray)
		for _, x := range v.AsFloat64Slice() {
			e.value(listValues, attribute.Float64Value(x))
		}
		e.close(a)
	case attribute.STRINGSLICE:
		a := e.open(anyArray)
		for _, x := range v.AsStringSlice() {
			e.value(listValues, attribute.StringValue(x))
		}
		e.close(a)
	case attribute.SLICE:
		a := e.open(anyArray)
		for _, x := range v.AsSlice() {
			e.value(listValues, x)
		}
		e.close(a)
	case attribute.MAP:
		a := e.open(anyKVList)
		e.attrs(listValues, v.AsMap())
		e.close(a)
	case attribute.EMPTY:
	default:
		e.strAlways(anyString, "INVALID")
	}
	e.close(m)
}

// resource writes r as the Resource of field num; it is written even when it
// has no attribute, as upstream does.
func (e *buf) resource(num protowire.Number, r *resource.Resource) {
	m := e.open(num)
	if r != nil {
		for it := r.Iter(); it.Next(); {
			e.keyValue(resourceAttrs, it.Attribute())
		}
	}
	e.close(m)
}

// scope writes s as the InstrumentationScope of field num.
func (e *buf) scope(num protowire.Number, s instrumentation.Scope) {
	m := e.open(num)
	e.str(scopeName, s.Name)
	e.str(scopeVersion, s.Version)
	e.attrSet(scopeAttrs, &s.Attributes)
	e.close(m)
}
