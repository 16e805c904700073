package bound

import (
	"strings"
	"testing"
)

func TestCut(t *testing.T) {
	long := strings.Repeat("a", 1<<20)
	if got := Cut(long, MaxText); len(got) != MaxText || !strings.HasSuffix(got, "...") {
		t.Errorf("Cut of 1 MiB: %d bytes, suffix %q", len(got), got[len(got)-3:])
	}
	// Not inside a UTF-8 sequence.
	s := strings.Repeat("a", 10-4) + "é" + "bbb"
	if got := Cut(s, 10); got != "aaaaaa..." {
		t.Errorf("Cut(%q, 10) = %q", s, got)
	}
	if Cut("short", 10) != "short" {
		t.Errorf("Cut changes a short string")
	}
}
