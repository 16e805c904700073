package otlp

import (
	"encoding/binary"
	"math/bits"
)

// The protobuf wire format, as much of it as the encoder writes and
// PartialSuccess reads. Written here rather than imported from protowire:
// protowire's error package pulls in one that hashes the program's own
// executable file in its package initialisation, which every instrumented
// program would then do at start, with the SDK disabled too.

// Number is a protobuf field number.
type Number int32

// wireType is the type that a field's tag gives.
type wireType int8

const (
	varintType     wireType = 0
	fixed64Type    wireType = 1
	bytesType      wireType = 2
	startGroupType wireType = 3
	endGroupType   wireType = 4
	fixed32Type    wireType = 5
)

// maxNumber is the largest valid field number.
const maxNumber Number = 1<<29 - 1

func appendTag(b []byte, num Number, t wireType) []byte {
	return appendVarint(b, uint64(num)<<3|uint64(t&7))
}

// appendVarint appends v in 1 to 10 bytes. It is not inlined (nor is
// protowire's): a copy of its loop at each of the encoder's calls would
// grow the program by some 10 KB.
//
//go:noinline
func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// sizeVarint is the length of v's varint encoding: 1 to 10 bytes.
func sizeVarint(v uint64) int {
	return max(1, (bits.Len64(v)+6)/7)
}

func appendFixed32(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }

func appendFixed64(b []byte, v uint64) []byte { return binary.LittleEndian.AppendUint64(b, v) }

func appendBytes(b, v []byte) []byte { return append(appendVarint(b, uint64(len(v))), v...) }

func appendString(b []byte, v string) []byte { return append(appendVarint(b, uint64(len(v))), v...) }

// zigzag maps signed integers to unsigned ones of the same magnitude, as
// sint32 and sint64 fields encode them.
func zigzag(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }

// The consume functions read one item at the start of b and return the
// number of bytes it took, or -1 when b does not hold a valid one.

func consumeVarint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < 10 && i < len(b); i++ {
		c := b[i]
		if i == 9 && c > 1 {
			return 0, -1 // more than 64 bits
		}
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			return v, i + 1
		}
	}
	return 0, -1
}

func consumeTag(b []byte) (Number, wireType, int) {
	v, n := consumeVarint(b)
	if n < 0 || v>>3 == 0 || v>>3 > uint64(maxNumber) {
		return 0, 0, -1
	}
	return Number(v >> 3), wireType(v & 7), n
}

func consumeBytes(b []byte) ([]byte, int) {
	m, n := consumeVarint(b)
	if n < 0 || m > uint64(len(b)-n) {
		return nil, -1
	}
	return b[n : n+int(m)], n + int(m)
}

// consumeFieldValue skips the value of a field of number num and type t,
// whose tag has been read; a group is skipped up to its end tag.
func consumeFieldValue(num Number, t wireType, b []byte) int {
	return consumeValue(num, t, b, 0)
}

func consumeValue(num Number, t wireType, b []byte, depth int) int {
	switch t {
	case varintType:
		_, n := consumeVarint(b)
		return n
	case fixed32Type:
		if len(b) < 4 {
			return -1
		}
		return 4
	case fixed64Type:
		if len(b) < 8 {
			return -1
		}
		return 8
	case bytesType:
		_, n := consumeBytes(b)
		return n
	case startGroupType:
		if depth >= 100 {
			return -1
		}
		for used := 0; ; {
			n1, t1, n := consumeTag(b[used:])
			if n < 0 {
				return -1
			}
			used += n
			if t1 == endGroupType {
				if n1 != num {
					return -1
				}
				return used
			}
			n = consumeValue(n1, t1, b[used:], depth+1)
			if n < 0 {
				return -1
			}
			used += n
		}
	}
	return -1
}

func boolVarint(v bool) uint64 {
	if v {
		return 1
	}
	return 0
}
