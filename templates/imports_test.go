package templates

import (
	"slices"
	"testing"
)

// TestImports checks the import paths found in the templates: those of the
// hooks file and of the register file, and no other.
func TestImports(t *testing.T) {
	got := Imports()
	for _, want := range []string{"sync", "unsafe"} {
		if !slices.Contains(got, want) {
			t.Errorf("Imports() = %v, lacks %q", got, want)
		}
	}
	for _, p := range got {
		if p == "" || p[0] == '{' {
			t.Errorf("Imports() = %v: %q is no import path", got, p)
		}
	}
}
