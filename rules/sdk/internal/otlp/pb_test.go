package otlp

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// TestWireAsProtowire checks the wire functions against protowire's, which
// the tests may link: the same bytes for each encoding, and the same
// lengths (or failure) for each read, over edge values and random ones,
// and over truncated and malformed input.
func TestWireAsProtowire(t *testing.T) {
	vals := []uint64{0, 1, 127, 128, 255, 300, 16383, 16384, 1<<32 - 1, 1 << 32, 1<<63 - 1, 1 << 63, math.MaxUint64}
	for range 1000 {
		vals = append(vals, rand.Uint64()>>rand.IntN(64))
	}
	for _, v := range vals {
		if got, want := appendVarint(nil, v), protowire.AppendVarint(nil, v); !bytes.Equal(got, want) {
			t.Fatalf("appendVarint(%d) = %x, want %x", v, got, want)
		}
		if got, want := sizeVarint(v), protowire.SizeVarint(v); got != want {
			t.Fatalf("sizeVarint(%d) = %d, want %d", v, got, want)
		}
		if got, want := zigzag(int64(v)), protowire.EncodeZigZag(int64(v)); got != want {
			t.Fatalf("zigzag(%d) = %d, want %d", int64(v), got, want)
		}
		if got, want := appendFixed64(nil, v), protowire.AppendFixed64(nil, v); !bytes.Equal(got, want) {
			t.Fatalf("appendFixed64(%d) = %x, want %x", v, got, want)
		}
		if got, want := appendFixed32(nil, uint32(v)), protowire.AppendFixed32(nil, uint32(v)); !bytes.Equal(got, want) {
			t.Fatalf("appendFixed32(%d) = %x, want %x", uint32(v), got, want)
		}
		num := Number(v%uint64(maxNumber) + 1)
		for _, typ := range []wireType{varintType, fixed64Type, bytesType, fixed32Type} {
			if got, want := appendTag(nil, num, typ), protowire.AppendTag(nil, protowire.Number(num), protowire.Type(typ)); !bytes.Equal(got, want) {
				t.Fatalf("appendTag(%d, %d) = %x, want %x", num, typ, got, want)
			}
		}
	}
	s := "héllo, world"
	if got, want := appendString(nil, s), protowire.AppendString(nil, s); !bytes.Equal(got, want) {
		t.Errorf("appendString = %x, want %x", got, want)
	}
	if got, want := appendBytes(nil, []byte(s)), protowire.AppendBytes(nil, []byte(s)); !bytes.Equal(got, want) {
		t.Errorf("appendBytes = %x, want %x", got, want)
	}

	// Reads: a message of every wire type (a group holding a nested
	// group), then every prefix of it and a few malformed inputs.
	var msg []byte
	msg = protowire.AppendTag(msg, 1, protowire.VarintType)
	msg = protowire.AppendVarint(msg, 1<<40)
	msg = protowire.AppendTag(msg, 2, protowire.BytesType)
	msg = protowire.AppendString(msg, s)
	msg = protowire.AppendTag(msg, 3, protowire.Fixed32Type)
	msg = protowire.AppendFixed32(msg, 7)
	msg = protowire.AppendTag(msg, 4, protowire.Fixed64Type)
	msg = protowire.AppendFixed64(msg, 8)
	msg = protowire.AppendTag(msg, 5, protowire.StartGroupType)
	msg = protowire.AppendTag(msg, 6, protowire.VarintType)
	msg = protowire.AppendVarint(msg, 9)
	msg = protowire.AppendTag(msg, 7, protowire.StartGroupType)
	msg = protowire.AppendTag(msg, 7, protowire.EndGroupType)
	msg = protowire.AppendTag(msg, 5, protowire.EndGroupType)
	msg = protowire.AppendTag(msg, 536870911, protowire.BytesType)
	msg = protowire.AppendBytes(msg, nil)
	inputs := [][]byte{
		{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02}, // varint over 64 bits
		{0x08},       // field 1, no value
		{0x00, 0x01}, // field 0
		{0x2b, 0x34}, // group 5 closed as 6
		{0x0e},       // type 6
		{0x12, 0x7f}, // bytes longer than the input
	}
	for i := range len(msg) + 1 {
		inputs = append(inputs, msg[:i])
	}
	for _, in := range inputs {
		v, n := consumeVarint(in)
		wv, wn := protowire.ConsumeVarint(in)
		if (n < 0) != (wn < 0) || n >= 0 && (v != wv || n != wn) {
			t.Errorf("consumeVarint(%x) = %d, %d; protowire: %d, %d", in, v, n, wv, wn)
		}
		b, n := consumeBytes(in)
		wb, wn := protowire.ConsumeBytes(in)
		if (n < 0) != (wn < 0) || n >= 0 && (!bytes.Equal(b, wb) || n != wn) {
			t.Errorf("consumeBytes(%x) = %x, %d; protowire: %x, %d", in, b, n, wb, wn)
		}
		// Every field in turn, as PartialSuccess and field read them.
		for rest := in; len(rest) > 0; {
			num, typ, n := consumeTag(rest)
			wnum, wtyp, wn := protowire.ConsumeTag(rest)
			if (n < 0) != (wn < 0) || n >= 0 && (num != Number(wnum) || typ != wireType(wtyp) || n != wn) {
				t.Errorf("consumeTag(%x) = %d, %d, %d; protowire: %d, %d, %d", rest, num, typ, n, wnum, wtyp, wn)
			}
			if n < 0 || wn < 0 {
				break
			}
			rest = rest[n:]
			m := consumeFieldValue(num, typ, rest)
			wm := protowire.ConsumeFieldValue(wnum, wtyp, rest)
			if (m < 0) != (wm < 0) || m >= 0 && m != wm {
				t.Errorf("consumeFieldValue(%d, %d, %x) = %d; protowire: %d", num, typ, rest, m, wm)
			}
			if m < 0 || wm < 0 {
				break
			}
			rest = rest[m:]
		}
	}
}
