package rules

import (
	"embed"
	"sync"

	"github.com/otelgen/otelgen/gls-runtime/patch"
)

// files holds the built-in rule files, one folder per integration, plus this
// folder's schema and documentation.
//
//go:embed README.md schema.json */*.yaml */*.txt
var files embed.FS

var builtin = sync.OnceValues(func() ([]*Rule, error) {
	rs, err := ParseFS(files, ".")
	if err != nil {
		return nil, err
	}
	data, err := patch.Files.ReadFile("gls.yaml")
	if err != nil {
		return nil, err
	}
	gls, err := ParseRules("gls-runtime/patch/gls.yaml", data, func(rel string) ([]byte, error) { return patch.Files.ReadFile(rel) })
	if err != nil {
		return nil, err
	}
	return append(rs, gls...), nil
})

// Builtin returns the rules embedded in the binary.
func Builtin() ([]*Rule, error) { return builtin() }

// Schema returns the JSON schema of a rule file.
func Schema() []byte {
	b, _ := files.ReadFile("schema.json")
	return b
}
