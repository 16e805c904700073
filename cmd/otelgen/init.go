package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/otelgen/otelgen/internal/modsetup"
	"github.com/otelgen/otelgen/rewriter/load"
)

func init() {
	commands = append(commands, &command{
		name:    "init",
		summary: "prepare the module: go tool, otelgen.yaml, go:generate line",
		help: `
Init prepares the module for its first generate, in three steps. Each step
checks first and says "unchanged" when there is nothing to do, so running
init again changes nothing.

go.mod: adds otelgen as a tool (the tool directive of Go 1.24) with
	go get -tool ` + modsetup.ToolPath + `@<version>
where <version> is the one go.mod requires already, else this otelgen's.
The tool requirement brings what otelgen itself imports into go.mod and
go.sum, nothing of the OpenTelemetry SDK or of the libraries otelgen
instruments (generate adds those to the build's own go.mod, _otel/go.mod,
when their rules apply), and raises the go line to the one
otelgen needs. When go.mod replaces ` + modsetup.Module + ` (with a local
checkout, say), <version> is the one the replace applies to (v0.0.0 when it
applies to all), and go get works offline, from the module cache
(GOPROXY=off). So it does for a development build of otelgen, which needs
such a replace, or a requirement, in go.mod. A vendor directory is brought
up to date with go mod vendor.

go.sum: init then checks that the module's packages and their tests load
(go list -deps -test ./...), which go build and go test need. go get -tool
can upgrade a module that the program imports, when otelgen needs a newer
version, and record only the go.mod hash of the new version; init adds the
missing hashes with go mod download of those modules, at the versions
go.mod requires, which changes go.sum only and may download them. When the
packages still do not load, init names them, says why and what to run, and
exits 2. Run again, init repeats the check.

otelgen.yaml: written at the module root when there is none: every key
commented out, with an example rule. See 'otelgen rules' and
'otelgen rules -schema'.

otelgen_generate.go: a file at the module root with the line
	` + modsetup.Directive + `
in the root's package. Only go generate reads it (build constraint
"generate"), so it never changes a build. When the root has no Go package
the file starts one, named after the module path, that only go generate
sees. Nothing is written when a //go:generate line of the module already
runs otelgen generate.

Then, at the module root:
	go generate ./...
	go build -overlay=$PWD/_otel/overlay.json ./...`,
		run: runInit,
	})
}

func runInit(c *cli, fs *flag.FlagSet, args []string) int {
	if len(args) > 0 {
		return c.usageError("init takes no arguments")
	}
	env, err := load.ReadEnv(c.absDir())
	if err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	root := env.Root()
	if err := modsetup.Run(root, c.stdout); err != nil {
		c.errorf("init: %v", err)
		return exitUsage
	}
	fmt.Fprintln(c.stdout, "next steps:")
	if wd, err := os.Getwd(); err != nil || !initSameDir(wd, root) {
		dir := root
		if err == nil {
			if rel, err := filepath.Rel(wd, root); err == nil {
				dir = rel
			}
		}
		fmt.Fprintf(c.stdout, "\tcd %s\n", dir)
	}
	fmt.Fprintln(c.stdout, "\tgo generate ./...")
	fmt.Fprintln(c.stdout, "\tgo build -overlay=$PWD/_otel/overlay.json ./...")
	return exitOK
}

func initSameDir(a, b string) bool {
	if a == b {
		return true
	}
	ia, err1 := os.Stat(a)
	ib, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(ia, ib)
}
