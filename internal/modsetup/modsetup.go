// Package modsetup prepares a module for otelgen, as "otelgen init" does:
// it adds otelgen as a tool in go.mod (choosing the version to require and
// whether the go command may use the network), makes sure go.sum holds what
// go build then needs, adds otelgen-overlay (for CI jobs that build from
// the committed tree) as a second tool, writes a commented otelgen.yaml, and
// adds the go:generate line that runs otelgen generate. Each step says what
// it changed, or "unchanged", on a writer, so that running it again changes
// nothing.
package modsetup

import "io"

const (
	// Module is otelgen's module path.
	Module = "github.com/otelgen/otelgen"
	// ToolPath is the package that go.mod's tool directive names.
	ToolPath = Module + "/cmd/otelgen"
	// OverlayToolPath is the second tool: the small command that writes
	// _otel/overlay.json in a CI job that builds from the committed tree.
	OverlayToolPath = Module + "/cmd/otelgen-overlay"
	// ConfigFile is the configuration WriteConfig writes.
	ConfigFile = "otelgen.yaml"
	// GenerateFile is the file AddGenerate writes when no go:generate line
	// runs otelgen generate.
	GenerateFile = "otelgen_generate.go"
	// Directive is the line of GenerateFile.
	Directive = "//go:generate go tool otelgen generate"
)

// Run runs the steps on the module at root: AddTool, AddOverlayTool,
// WriteConfig and AddGenerate, and reports on w.
func Run(root string, w io.Writer) error {
	for _, step := range []func(string, io.Writer) error{AddTool, AddOverlayTool, WriteConfig, AddGenerate} {
		if err := step(root, w); err != nil {
			return err
		}
	}
	return nil
}
