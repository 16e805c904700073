package testkit

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// An Option changes how Build builds a program.
type Option func(*buildKey)

// Race builds with the race detector; the test is skipped where -race is
// not supported.
func Race() Option { return func(k *buildKey) { k.race = true } }

// Package builds the main package at that path in the module ("./cmd/x")
// rather than the one at its root.
func Package(path string) Option { return func(k *buildKey) { k.pkg = path } }

type buildKey struct {
	module string // absolute
	pkg    string
	race   bool
}

// generated is a copy of a test module with its _otel/ written.
type generated struct {
	once sync.Once
	dir  string
	err  error
}

// built is one binary of a generated module.
type built struct {
	once sync.Once
	path string
	err  error
}

var builds struct {
	mu        sync.Mutex
	generated map[string]*generated
	built     map[buildKey]*built
}

// Build returns a test program built as a user of otelgen builds it: module
// (a directory, relative to the test's, such as "testdata/app") is copied,
// its go.mod written from go.mod.in with OTELGEN_ROOT replaced by the otelgen
// checkout, otelgen generate run in it, and the program built with
// go build -overlay. Each module is generated once per test binary, and each
// program built once per set of options, whichever test asks first; the
// others wait and share it. Build skips the test under -short.
//
// The build adds -trimpath to what a user types. Every generated module
// lives in a directory of its own, and the dependencies otelgen rewrites
// (go.opentelemetry.io/otel, for the SDK's global provider, is one in every
// program) are served from its _otel/mod/: without -trimpath that
// directory is part of the build cache's key of every package built from it
// and of every package above them, so each program compiled the whole SDK
// again, and each run left gigabytes of entries no later build could use.
// With it the key holds module paths and versions instead, and programs of
// one run, or of the next, share those packages. Only the file names the
// binary records change; e2e's builds, without the flag, cover those.
func Build(t testing.TB, module string, opts ...Option) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: no build of an instrumented program")
	}
	abs, err := filepath.Abs(module)
	if err != nil {
		t.Fatal(err)
	}
	key := buildKey{module: abs, pkg: "."}
	for _, o := range opts {
		o(&key)
	}
	if key.race && !RaceSupported() {
		t.Skipf("-race is not supported on %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	otelgen := Otelgen(t)
	root := Root(t)

	builds.mu.Lock()
	if builds.generated == nil {
		builds.generated = map[string]*generated{}
		builds.built = map[buildKey]*built{}
	}
	g := builds.generated[abs]
	if g == nil {
		g = &generated{}
		builds.generated[abs] = g
	}
	b := builds.built[key]
	if b == nil {
		b = &built{}
		builds.built[key] = b
	}
	builds.mu.Unlock()

	g.once.Do(func() {
		var tmp string
		if tmp, g.err = tempDir("module-"); g.err != nil {
			return
		}
		g.dir = filepath.Join(tmp, filepath.Base(abs))
		if g.err = CopyModule(abs, g.dir, root); g.err != nil {
			return
		}
		_, g.err = command(g.dir, nil, otelgen, "generate")
	})
	if g.err != nil {
		t.Fatalf("generating %s: %v", module, g.err)
	}
	b.once.Do(func() {
		name := filepath.Base(filepath.Join(abs, key.pkg))
		if key.pkg == "." {
			name = filepath.Base(abs)
		}
		tmp, err := tempDir("bin-")
		if err != nil {
			b.err = err
			return
		}
		b.path = filepath.Join(tmp, exe(name))
		args := []string{"build", "-trimpath", "-overlay=" + filepath.Join(g.dir, "_otel", "overlay.json"), "-o", b.path}
		if key.race {
			args = append(args, "-race")
		}
		_, b.err = command(g.dir, nil, "go", append(args, key.pkg)...)
	})
	if b.err != nil {
		t.Fatalf("building %s of %s: %v", key.pkg, module, b.err)
	}
	return b.path
}

// CopyModule copies the module in src to dst, writing go.mod from go.mod.in
// when there is one, and OTELGEN_ROOT in go.mod replaced by root.
func CopyModule(src, dst, root string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			if rel == "_otel" {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if rel == "go.mod.in" || rel == "go.mod" {
			if err := checkReplaces(p, data); err != nil {
				return err
			}
			target = filepath.Join(dst, "go.mod")
			data = bytes.ReplaceAll(data, []byte("OTELGEN_ROOT"), []byte(root))
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// checkReplaces refuses a test module's go.mod that replaces an otelgen
// module with anything but OTELGEN_ROOT (or a path below it): a path that
// go mod tidy wrote on one machine breaks the build on every other.
func checkReplaces(name string, gomod []byte) error {
	for i, line := range strings.Split(string(gomod), "\n") {
		f := strings.Fields(line)
		if len(f) > 0 && f[0] == "replace" {
			f = f[1:]
		}
		if len(f) < 3 || !strings.HasPrefix(f[0], "github.com/otelgen/otelgen") {
			continue
		}
		at := slices.Index(f, "=>")
		if at < 0 || at+1 >= len(f) {
			continue
		}
		if to := f[at+1]; !strings.HasPrefix(to, "OTELGEN_ROOT") {
			return fmt.Errorf("%s:%d: replaces %s with %s: write OTELGEN_ROOT, which the kit sets to the checkout", name, i+1, f[0], to)
		}
	}
	return nil
}

// RaceSupported reports whether go build -race works on this platform.
func RaceSupported() bool {
	switch runtime.GOOS + "/" + runtime.GOARCH {
	case "linux/amd64", "linux/arm64", "linux/ppc64le", "linux/s390x", "linux/loong64", "linux/riscv64",
		"darwin/amd64", "darwin/arm64", "freebsd/amd64", "netbsd/amd64", "windows/amd64":
		return true
	}
	return false
}

func exe(name string) string {
	if runtime.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}
