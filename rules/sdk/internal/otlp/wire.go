// Package otlp exports spans and metrics over OTLP/HTTP in its binary
// protobuf encoding, written field by field (pb.go).
//
// The upstream exporters (otlptracehttp, otlpmetrichttp) build the
// generated OTLP message types and marshal them with the protobuf runtime;
// their configuration package imports gRPC as well. Together that is about
// as much code again as an instrumented net/http program, for a fixed
// message layout that takes a few hundred lines to write directly. This
// package links only net/http and the SDK's own types, and reads
// the same OTEL_EXPORTER_OTLP_* variables. The gRPC exporters stay upstream
// (package otlpgrpc), linked only on request.
package otlp

import (
	"math"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
)

// Buf is a protobuf message being appended to: B holds its bytes.
type Buf struct{ B []byte }

// Open starts the embedded message of field num and returns the mark that
// Close takes. One byte is reserved for the length, which is the size of
// most embedded messages; Close moves the message when it needs more.
func (e *Buf) Open(num Number) int {
	e.B = appendTag(e.B, num, bytesType)
	e.B = append(e.B, 0)
	return len(e.B)
}

// Close ends the message that Open started at mark, writing its length.
func (e *Buf) Close(mark int) {
	n := len(e.B) - mark
	size := sizeVarint(uint64(n))
	if size > 1 {
		e.B = append(e.B, make([]byte, size-1)...)
		copy(e.B[mark+size-1:], e.B[mark:mark+n])
	}
	appendVarint(e.B[:mark-1], uint64(n))
}

// Empty writes field num as a message with no field set, which unlike an
// absent one says that the message is there.
func (e *Buf) Empty(num Number) {
	e.B = appendTag(e.B, num, bytesType)
	e.B = append(e.B, 0)
}

// Bytes writes a bytes field, even when empty.
func (e *Buf) Bytes(num Number, v []byte) {
	e.B = appendTag(e.B, num, bytesType)
	e.B = appendBytes(e.B, v)
}

// Str writes a string field unless it is empty (proto3's default).
func (e *Buf) Str(num Number, v string) {
	if v != "" {
		e.StrAlways(num, v)
	}
}

// StrAlways writes a string field even when empty, as a member of a oneof.
func (e *Buf) StrAlways(num Number, v string) {
	e.B = appendTag(e.B, num, bytesType)
	e.B = appendString(e.B, v)
}

// Varint writes an unsigned or enum field unless it is zero.
func (e *Buf) Varint(num Number, v uint64) {
	if v != 0 {
		e.B = appendTag(e.B, num, varintType)
		e.B = appendVarint(e.B, v)
	}
}

// Sint32 writes a zigzag-encoded field unless it is zero.
func (e *Buf) Sint32(num Number, v int32) {
	if v != 0 {
		e.B = appendTag(e.B, num, varintType)
		e.B = appendVarint(e.B, zigzag(int64(v)))
	}
}

// Fixed64 writes a fixed64 field unless it is zero.
func (e *Buf) Fixed64(num Number, v uint64) {
	if v != 0 {
		e.Fixed64Always(num, v)
	}
}

// Fixed64Always writes a fixed64 field, even when zero.
func (e *Buf) Fixed64Always(num Number, v uint64) {
	e.B = appendTag(e.B, num, fixed64Type)
	e.B = appendFixed64(e.B, v)
}

// Fixed32 writes a fixed32 field unless it is zero.
func (e *Buf) Fixed32(num Number, v uint32) {
	if v != 0 {
		e.B = appendTag(e.B, num, fixed32Type)
		e.B = appendFixed32(e.B, v)
	}
}

// Double writes a double field unless it is zero.
func (e *Buf) Double(num Number, v float64) {
	if v != 0 || math.Signbit(v) {
		e.Fixed64Always(num, math.Float64bits(v))
	}
}

// DoubleAlways writes a double that has presence (optional or oneof).
func (e *Buf) DoubleAlways(num Number, v float64) {
	e.Fixed64Always(num, math.Float64bits(v))
}

// Boolean writes a bool field unless it is false.
func (e *Buf) Boolean(num Number, v bool) {
	if v {
		e.B = appendTag(e.B, num, varintType)
		e.B = append(e.B, 1)
	}
}

// Count is a dropped count: uint32, clamped.
func (e *Buf) Count(num Number, n int) {
	if n > 0 {
		e.Varint(num, uint64(min(int64(n), math.MaxUint32)))
	}
}

// Timestamp writes a time as Unix nanoseconds; times before 1970 are 0.
func (e *Buf) Timestamp(num Number, t time.Time) {
	e.Fixed64(num, uint64(max(0, t.UnixNano())))
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

// KeyValue writes one KeyValue as field num.
func (e *Buf) KeyValue(num Number, kv attribute.KeyValue) {
	m := e.Open(num)
	e.Str(kvKey, string(kv.Key))
	e.Value(kvValue, kv.Value)
	e.Close(m)
}

// Attrs writes each attribute as a KeyValue of field num.
func (e *Buf) Attrs(num Number, kvs []attribute.KeyValue) {
	for _, kv := range kvs {
		e.KeyValue(num, kv)
	}
}

// AttrSet writes each attribute of s as a KeyValue of field num.
func (e *Buf) AttrSet(num Number, s *attribute.Set) {
	for it := s.Iter(); it.Next(); {
		e.KeyValue(num, it.Attribute())
	}
}

// Value writes an attribute value as the AnyValue of field num. An empty
// value is an AnyValue with nothing set; a kind this encoder does not know
// is the string "INVALID", as upstream writes it.
func (e *Buf) Value(num Number, v attribute.Value) {
	m := e.Open(num)
	switch v.Type() {
	case attribute.BOOL:
		e.B = appendTag(e.B, anyBool, varintType)
		e.B = appendVarint(e.B, boolVarint(v.AsBool()))
	case attribute.INT64:
		e.B = appendTag(e.B, anyInt, varintType)
		e.B = appendVarint(e.B, uint64(v.AsInt64()))
	case attribute.FLOAT64:
		e.DoubleAlways(anyDouble, v.AsFloat64())
	case attribute.STRING:
		e.StrAlways(anyString, v.AsString())
	case attribute.BYTESLICE:
		e.Bytes(anyBytes, v.AsByteSlice())
	case attribute.BOOLSLICE:
		a := e.Open(anyArray)
		for _, x := range v.AsBoolSlice() {
			e.Value(listValues, attribute.BoolValue(x))
		}
		e.Close(a)
	case attribute.INT64SLICE:
		a := e.Open(anyArray)
		for _, x := range v.AsInt64Slice() {
			e.Value(listValues, attribute.Int64Value(x))
		}
		e.Close(a)
	case attribute.FLOAT64SLICE:
		a := e.Open(anyArray)
		for _, x := range v.AsFloat64Slice() {
			e.Value(listValues, attribute.Float64Value(x))
		}
		e.Close(a)
	case attribute.STRINGSLICE:
		a := e.Open(anyArray)
		for _, x := range v.AsStringSlice() {
			e.Value(listValues, attribute.StringValue(x))
		}
		e.Close(a)
	case attribute.SLICE:
		a := e.Open(anyArray)
		for _, x := range v.AsSlice() {
			e.Value(listValues, x)
		}
		e.Close(a)
	case attribute.MAP:
		a := e.Open(anyKVList)
		e.Attrs(listValues, v.AsMap())
		e.Close(a)
	case attribute.EMPTY:
	default:
		e.StrAlways(anyString, "INVALID")
	}
	e.Close(m)
}

// Resource writes r as the Resource of field num; it is written even when it
// has no attribute, as upstream does.
func (e *Buf) Resource(num Number, r *resource.Resource) {
	m := e.Open(num)
	if r != nil {
		for it := r.Iter(); it.Next(); {
			e.KeyValue(resourceAttrs, it.Attribute())
		}
	}
	e.Close(m)
}

// Scope writes s as the InstrumentationScope of field num.
func (e *Buf) Scope(num Number, s instrumentation.Scope) {
	m := e.Open(num)
	e.Str(scopeName, s.Name)
	e.Str(scopeVersion, s.Version)
	e.AttrSet(scopeAttrs, &s.Attributes)
	e.Close(m)
}
