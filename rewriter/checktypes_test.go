package rewriter

import "testing"

func TestComparableType(t *testing.T) {
	for typ, want := range map[string]bool{
		"int": true, "any": true, "string": true, "error": true, "unsafe.Pointer": true,
		"*Conn": true, "chan int": true, "interface{ M() }": true,
		"[]byte": false, "map[string]int": false, "func()": false, "time.Time": false,
		"Local": false, "[2]int": false, "struct{}": false, "nil": false, "(": false,
	} {
		if got := comparableType(typ); got != want {
			t.Errorf("comparableType(%q) = %t, want %t", typ, got, want)
		}
	}
}
