package rules

import (
	"embed"
	"sync"
)

// files holds the built-in rule files, one folder per integration, plus this
// folder's schema and documentation.
//
//go:embed README.md schema.json */*.yaml */*.txt
var files embed.FS

var builtin = sync.OnceValues(func() ([]*Rule, error) { return ParseFS(files, ".") })

// Builtin returns the rules embedded in the binary.
func Builtin() ([]*Rule, error) { return builtin() }

// Schema returns the JSON schema of a rule file.
func Schema() []byte {
	b, _ := files.ReadFile("schema.json")
	return b
}
