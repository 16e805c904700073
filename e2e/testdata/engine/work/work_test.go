package work

import (
	"testing"

	"golang.org/x/mod/module"
)

// TestModulePath imports, in a test only, a package of the module that
// otelgen serves from _otel/mod/ whose directory holds no rewritten file:
// go vet and go test work in that directory, which the overlay links to
// the module cache.
func TestModulePath(t *testing.T) {
	if err := module.CheckPath("example.com/engine"); err != nil {
		t.Fatal(err)
	}
}
