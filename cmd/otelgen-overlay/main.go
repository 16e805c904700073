// Command otelgen-overlay writes _otel/overlay.json, the machine-local file
// that go build -overlay reads, from the committed _otel/ tree, after
// checking that every original still has the hash that _otel/otelgen.lock
// records. It does what "otelgen overlay" does, for a CI job that builds
// from the committed tree:
//
//	go tool otelgen-overlay
//	go build -overlay=$PWD/_otel/overlay.json ./...
//
// It imports only the standard library (and otelgen's std-only lockfile
// package), so that compiling it costs a job almost nothing besides the
// standard library packages, where otelgen itself brings golang.org/x/tools
// and its type checker. It loads no packages and never regenerates: when an
// original changed since otelgen generate (an edit to a copied file, another
// Go or dependency version), it removes any overlay.json, names the files
// and exits 2, so that the build that follows fails instead of building
// stale copies.
//
// Usage:
//
//	otelgen-overlay [-C dir]
//
// Exit codes: 0 written, 2 a stale original, no lock, or another error.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/otelgen/otelgen/internal/lockfile"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("otelgen-overlay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("C", ".", "run in `dir`: the module's directory or one below it")
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: otelgen-overlay [-C dir]\n\n"+
			"Otelgen-overlay writes _otel/overlay.json for this machine from the committed\n"+
			"_otel/ tree, after checking that every original still has the hash the lock\n"+
			"records; then build with go build -overlay=$PWD/_otel/overlay.json.\n"+
			"It fails, writing nothing, when an original changed: run otelgen generate.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "otelgen-overlay: takes no arguments")
		fs.Usage()
		return 2
	}
	path, err := write(*dir)
	if err != nil {
		fmt.Fprintf(stderr, "otelgen-overlay: %s\n", strings.TrimRight(err.Error(), "\n"))
		return 2
	}
	fmt.Fprintf(stdout, "otelgen-overlay: wrote %s\n", path)
	return 0
}

// goEnv holds the go command's settings that the overlay's paths depend on.
type goEnv struct {
	GOROOT, GOMODCACHE, GOVERSION, GOMOD string
}

func write(dir string) (string, error) {
	cmd := exec.Command("go", "env", "-json", "GOROOT", "GOMODCACHE", "GOVERSION", "GOMOD")
	cmd.Dir = dir
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env: %v\n%s", err, errb.Bytes())
	}
	var env goEnv
	if err := json.Unmarshal(out, &env); err != nil {
		return "", fmt.Errorf("go env: %w", err)
	}
	if env.GOMOD == "" || env.GOMOD == os.DevNull {
		return "", fmt.Errorf("%s is not inside a Go module (no go.mod found)", dir)
	}
	root := filepath.Dir(env.GOMOD)
	lock, err := lockfile.ReadLock(root)
	if err != nil {
		return "", fmt.Errorf("%v: run otelgen generate", err)
	}
	if lock.Go != env.GOVERSION {
		// The standard library's originals differ from one release to the next.
		os.Remove(filepath.Join(root, lockfile.Dir, lockfile.OverlayFile))
		return "", fmt.Errorf("_otel/ was generated with %s, but the go command is %s: build with %s, or run otelgen generate", lock.Go, env.GOVERSION, lock.Go)
	}
	pl := lockfile.Places{Root: root, GOROOT: env.GOROOT, GOMODCACHE: env.GOMODCACHE}
	return pl.WriteOverlay(lock)
}
