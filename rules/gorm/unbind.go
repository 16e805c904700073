package gorm

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variable of rule gorm-open, named as otelgen names it. When
// OTEL_SDK_DISABLED is set, or OTEL_GO_DISABLED_INSTRUMENTATIONS names
// gorm, it is cleared before main runs: no DB gets otelgen's callbacks.
var (
	//go:linkname boundOpenAfter otelgen_gorm_open_after
	boundOpenAfter unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("gorm") {
		boundOpenAfter = nil
	}
}
