package modsetup

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteConfig writes a commented otelgen.yaml at root when there is none.
func WriteConfig(root string, w io.Writer) error {
	f, err := os.OpenFile(filepath.Join(root, ConfigFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(w, "%s: unchanged (exists)\n", ConfigFile)
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := f.WriteString(configText); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: created\n", ConfigFile)
	return nil
}

const configText = `# otelgen.yaml: this module's otelgen configuration, read by
# "go tool otelgen generate" (which "go generate ./..." runs). Every key is
# optional: as it is, with everything commented out, otelgen applies all of
# its built-in rules. After a change here, run "go generate ./..." again and
# commit _otel/.
#
# "go tool otelgen rules" lists the rules in force, with their ids;
# "go tool otelgen rules -schema" prints the JSON schema of a rule.

# disable: turns built-in rules off, by id, or a whole integration by its
# name (the folder under rules/ in otelgen: nethttp, databasesql, ...).
#
# disable: [some-builtin-id, databasesql]

# gls: false turns off goroutine-local storage, otelgen's patch to the Go
# runtime that carries the current span from a goroutine to the goroutines it
# starts (applied only when a rule needs it). Without it, only an explicit
# context.Context carries the current span.
#
# gls: false

# link: optional parts of the OpenTelemetry SDK, left out of the binary
# unless listed here or the program already links what they need:
# otlp-grpc (for OTEL_EXPORTER_OTLP_PROTOCOL=grpc), prometheus (for
# OTEL_METRICS_EXPORTER=prometheus), logs (for OTEL_LOGS_EXPORTER).
#
# link: [otlp-grpc]

# rules: your own rules, in the format of the built-in ones (see rules/README.md
# in github.com/otelgen/otelgen). Kinds: hook (call functions before and after
# a function), field (add a field to a struct type), file (add a Go file to a
# package) and insert (add a statement before another). For example, to call
# hooks around (*Service).Place of package example.com/shop/orders:
#
# rules:
#   - id: orders-place                 # unique; lower-case letters, digits, dashes
#     kind: hook
#     package: example.com/shop/orders # the target package's import path
#     function: (*Service).Place       # "F", "T.M" or "(*T).M"
#     before: example.com/shop/otelhooks.PlaceBefore
#     after: example.com/shop/otelhooks.PlaceAfter
#     order: 10                        # optional; lower runs first
#     version: ">=v1.2.0 <v2.0.0"      # optional; the target module's version
#     go: ">=1.26"                     # optional; the toolchain's version
#
# with the hooks, in any package of the program (hook is
# github.com/otelgen/otelgen/hook):
#
#   // before: the receiver by value, then each parameter by pointer.
#   func PlaceBefore(c *hook.Call, s *orders.Service, ctx *context.Context, o **orders.Order)
#   // after: each result by pointer.
#   func PlaceAfter(c *hook.Call, id *string, err *error)
`
