// Package patch holds the rules of the goroutine-local storage patch to the
// Go runtime, which otelgen embeds with its built-in rules.
package patch

import "embed"

// Files holds gls.yaml and the file it adds to the runtime.
//
//go:embed gls.yaml accessors.go.txt
var Files embed.FS
