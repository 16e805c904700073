// Package testkit is what an integration's end-to-end test is made of: it
// builds a test program with otelgen as a user would, runs it against a real
// OTLP receiver on loopback, and checks the spans and metrics that arrive.
//
// An integration's tests live in rules/<name>/test, a module of their own:
// a small program in testdata/app, a module whose go.mod.in replaces
// github.com/otelgen/otelgen with OTELGEN_ROOT, and a test of about a page
// (rules/nethttp/test/nethttp_test.go is one):
//
//	func TestMain(m *testing.M) { testkit.Main(m) }
//
//	func TestServer(t *testing.T) {
//		bin := testkit.Build(t, "testdata/app") // once per test binary; skipped with -short
//		r := testkit.StartReceiver(t)
//		p := testkit.Start(t, bin, testkit.Env(r))
//		url := p.WaitPrefix(t, "listening ")
//		... // request url, then close p.Stdin and p.Wait(t) for the program to end
//		spans := r.WaitSpans(t, 2)
//		srv := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Name("GET /x"))
//		cli := testkit.One(t, spans, testkit.Kind(testkit.Client))
//		testkit.WantChildOf(t, cli, srv)
//		testkit.WantAttrs(t, cli, map[string]any{"http.response.status_code": int64(200)})
//	}
//
// A test of a client library gets a real server of the test binary the same
// way: testkit.Redis(t) returns the address of a redis-server on loopback.
//
// The kit is a module of its own so that otelgen's module does not require
// the OTLP protobufs and gRPC, and only the integrations' test modules
// require it, so that programs built with an integration never see it.
package testkit

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// otelgenModule is the module path of otelgen, whose checkout the kit
// builds from.
const otelgenModule = "github.com/otelgen/otelgen"

// state is what the kit keeps for the whole test binary.
var state struct {
	mu      sync.Mutex
	inMain  bool     // Main is running the tests
	tmp     string   // removed when Main returns
	cleanup []func() // run, last first, when Main returns
}

// Main runs the tests of the package, then stops the servers the kit started
// and removes what it built. Call it from TestMain:
//
//	func TestMain(m *testing.M) { testkit.Main(m) }
func Main(m *testing.M) {
	state.mu.Lock()
	state.inMain = true
	state.mu.Unlock()
	code := m.Run()
	state.mu.Lock()
	fns, tmp := state.cleanup, state.tmp
	state.mu.Unlock()
	for i := len(fns) - 1; i >= 0; i-- {
		fns[i]()
	}
	if tmp != "" {
		os.RemoveAll(tmp)
	}
	os.Exit(code)
}

// requireMain fails the test unless Main runs the tests, since only Main
// can remove what the kit builds for the whole test binary.
func requireMain(t testing.TB) {
	t.Helper()
	state.mu.Lock()
	defer state.mu.Unlock()
	if !state.inMain {
		t.Fatal("testkit: the package's TestMain must call testkit.Main(m), which removes what the kit builds")
	}
}

// tempDir returns a new directory that outlives the test that asks for it
// and is removed when Main returns.
func tempDir(pattern string) (string, error) {
	state.mu.Lock()
	defer state.mu.Unlock()
	if state.tmp == "" {
		dir, err := os.MkdirTemp("", "otelgen-testkit-")
		if err != nil {
			return "", err
		}
		state.tmp = dir
	}
	return os.MkdirTemp(state.tmp, pattern)
}

// atExit registers f to run when Main returns.
func atExit(f func()) {
	state.mu.Lock()
	defer state.mu.Unlock()
	state.cleanup = append(state.cleanup, f)
}

var root struct {
	once sync.Once
	dir  string
	err  error
}

// Root returns the otelgen checkout: the nearest directory, from the test's
// working directory up, whose go.mod is the module github.com/otelgen/otelgen.
func Root(t testing.TB) string {
	t.Helper()
	root.once.Do(func() { root.dir, root.err = findRoot() })
	if root.err != nil {
		t.Fatal(root.err)
	}
	return root.dir
}

func findRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && modulePath(data) == otelgenModule {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("testkit: no go.mod of module %s in %s or above it", otelgenModule, wd)
		}
		dir = parent
	}
}

// modulePath is the path on the module line of a go.mod.
func modulePath(gomod []byte) string {
	for line := range strings.Lines(string(gomod)) {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

var cli struct {
	once sync.Once
	path string
	err  error
}

// Otelgen returns the otelgen CLI, built from the checkout once per test
// binary.
func Otelgen(t testing.TB) string {
	t.Helper()
	requireMain(t)
	dir := Root(t)
	cli.once.Do(func() {
		// go test's cache cannot see the inputs of the binary the tests
		// run: reading them during a test makes them inputs of the test.
		TouchSources(dir)
		tmp, err := tempDir("otelgen-")
		if err != nil {
			cli.err = err
			return
		}
		cli.path = filepath.Join(tmp, exe("otelgen"))
		_, cli.err = command(dir, nil, "go", "build", "-o", cli.path, "./cmd/otelgen")
	})
	if cli.err != nil {
		t.Fatalf("building otelgen: %v", cli.err)
	}
	return cli.path
}

// TouchSources reads every source file of otelgen and of its integrations,
// so that go test's cache records them as inputs of the running test: a test
// that runs the otelgen binary depends on them in a way the cache cannot see.
// It must run during a test, since the cache records only what tests open.
func TouchSources(root string) {
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "golden" || name == "bench" || name == "examples" || name == "e2e") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(name) {
		case ".go", ".tmpl", ".yaml", ".json", ".mod", ".sum", ".txt", ".txtar":
			os.ReadFile(p)
		}
		return nil
	})
}

// command runs a command in dir with the test's environment, GOFLAGS
// cleared, then env; the error holds the command's output.
func command(dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GOFLAGS="), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out.Bytes())
	}
	return out.String(), nil
}
