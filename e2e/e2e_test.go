// Package e2e holds otelgen's end-to-end tests: each generates for a real
// module, builds it with the overlay as a user would, runs it and checks what
// the instrumentation did.
package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// otelgen is the CLI binary built once for the package's tests.
var otelgen string

// repoRoot is the otelgen checkout, which test modules replace
// github.com/otelgen/otelgen with.
var repoRoot string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "otelgen-e2e-")
	if err != nil {
		panic(err)
	}
	repoRoot, _ = filepath.Abs("..")
	otelgen = filepath.Join(dir, "otelgen")
	cmd := exec.Command("go", "build", "-o", otelgen, "./cmd/otelgen")
	cmd.Dir = repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building otelgen: %v\n%s", err, out)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// copyModule copies testdata/<name> to a temporary directory and writes its
// go.mod from go.mod.in, pointing the otelgen requirement at this checkout.
func copyModule(t *testing.T, name string) string {
	t.Helper()
	dst := t.TempDir()
	if err := copyModuleTo(name, dst); err != nil {
		t.Fatal(err)
	}
	return dst
}

// run runs a command in dir and returns its combined output; it fails the
// test when the exit status differs from want.
func run(t *testing.T, dir string, want int, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=")
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
		}
		code = ee.ExitCode()
	}
	if code != want {
		t.Fatalf("%s %s: exit %d, want %d\n%s", name, strings.Join(args, " "), code, want, out)
	}
	return string(out)
}

// overlayFlag is the flag the README tells users to build with.
func overlayFlag(dir string) string {
	return "-overlay=" + filepath.Join(dir, "_otel", "overlay.json")
}

// trimpath goes before overlayFlag in the builds of programs that many
// tests, or many runs, build alike. otelgen serves the dependencies it
// rewrites (go.opentelemetry.io/otel in every program) from the module's
// _otel/mod/, and without -trimpath that directory, a new temporary one
// each time, is part of the build cache's key of every package built from
// it and of every package above them: each build compiled the whole SDK
// and the libraries over it again, and left cache entries that no later
// build could use. With it, the keys hold module paths and versions, and
// those packages are compiled once for all the builds of a Go release
// (testkit's builds too). Only the file names the binary records change;
// TestEngine (which checks them in a panic) and TestDemoRace build as the
// README says, without it.
const trimpath = "-trimpath"

func exe(name string) string {
	if runtime.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}

// touchOnce makes copyModuleTo tell go test's cache, once per run, that
// these tests depend on otelgen's sources (see testkit.TouchSources).
var touchOnce sync.Once
