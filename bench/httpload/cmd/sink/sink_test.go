package main

import "testing"

// TestCountMsgpackSpans counts the spans of a v0.4 payload with two traces:
// [[{"a":1,"s":"xy"},{"m":{"k":-1.5}}],[{"b":[true,nil,300]}]].
func TestCountMsgpackSpans(t *testing.T) {
	p := []byte{
		0x92,
		0x92,
		0x82, 0xa1, 'a', 0x01, 0xa1, 's', 0xa2, 'x', 'y',
		0x81, 0xa1, 'm', 0x81, 0xa1, 'k', 0xcb, 0xbf, 0xf8, 0, 0, 0, 0, 0, 0,
		0x91,
		0x81, 0xa1, 'b', 0x93, 0xc3, 0xc0, 0xcd, 0x01, 0x2c,
	}
	if n := countMsgpackSpans(p); n != 3 {
		t.Errorf("countMsgpackSpans = %d, want 3", n)
	}
	if n := countMsgpackSpans([]byte{0x91, 0x92, 0x80}); n != 2 {
		// A truncated payload counts what its headers say so far.
		t.Errorf("truncated: %d, want 2", n)
	}
}
