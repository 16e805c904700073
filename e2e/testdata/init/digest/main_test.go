package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// cases holds, for each input, its digest. The test alone imports
// go-internal, which otelgen's dependency graph requires at a newer version,
// so only the test's packages need the hash that init must add.
var cases = txtar.Parse([]byte(`
-- hello world --
644bcc7e564373040999aac89e7622f3ca71fba1d972fd94a31c3bfbf24e3938
-- otel --
fad882955ec9e62a691294b731995698932b7a77ec779f2725baee81e5390fbe
`))

func TestDigest(t *testing.T) {
	for _, f := range cases.Files {
		want := strings.TrimSpace(string(f.Data))
		if got := fmt.Sprintf("%x", digest(f.Name)); got != want {
			t.Errorf("digest(%q) = %s, want %s", f.Name, got, want)
		}
	}
}
