package load

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExplain checks each pattern of goProblems against what the go command
// really prints, and that the original text is kept in full.
func TestExplain(t *testing.T) {
	root := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("app/go.mod", "module example.com/app\n\ngo 1.25\n\nrequire (\n\texample.com/dep v1.0.0\n\texample.com/old v1.2.3\n\tgolang.org/x/sync v0.24.0\n)\n\nreplace example.com/dep => ../dep\n")
	write("dep/go.mod", "module example.com/dep\n\ngo 1.26.0\n")
	write("cache/cache/download/example.com/old/@v/v1.2.3.mod", "module example.com/old\n\ngo 1.25.1\n")
	write("tidy/go.mod", "module example.com/tidy\n\ngo 1.26.0\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep => ../dep\n")
	app, cache := filepath.Join(root, "app"), filepath.Join(root, "cache")
	for _, tc := range []struct {
		name, root, stderr string
		want               []string // in Why and Fix; "" when not recognised
	}{{
		name:   "older go line",
		root:   app,
		stderr: "loading packages: err: exit status 1: stderr: go: updates to go.mod needed, disabled by -mod=readonly; to update it:\n\tgo mod tidy\n",
		want:   []string{"go.mod says go 1.25, but example.com/dep v1.0.0 (replaced by ../dep), which it requires, needs go 1.26.0", "go get go@1.26.0"},
	}, {
		name:   "go.mod to tidy",
		root:   filepath.Join(root, "tidy"),
		stderr: "go: updates to go.mod needed, disabled by -mod=readonly; to update it:\n\tgo mod tidy",
		want:   []string{"go.mod is not consistent with its requirements", "go mod tidy"},
	}, {
		name:   "missing go.sum line",
		root:   app,
		stderr: "import \"golang.org/x/sync/errgroup\" could not be resolved: missing go.sum entry for module providing package golang.org/x/sync/errgroup (imported by example.com/app/greet); to add:\n\tgo get example.com/app/greet",
		want:   []string{"go.sum has no checksum for module golang.org/x/sync, which provides package golang.org/x/sync/errgroup", "go mod download golang.org/x/sync (or go get example.com/app/greet)"},
	}, {
		name:   "missing go.sum line of a go.mod",
		root:   app,
		stderr: "go: example.com/old@v1.2.3: missing go.sum entry for go.mod file; to add it:\n\tgo mod download example.com/old",
		want:   []string{"the go.mod file of example.com/old@v1.2.3", "go mod download example.com/old"},
	}, {
		name:   "replace to a missing directory",
		root:   app,
		stderr: "example.com/lib@v0.0.0 (replaced by ../nolib): reading ../nolib/go.mod: open /tmp/x/nolib/go.mod: no such file or directory",
		want:   []string{"go.mod replaces example.com/lib with the directory ../nolib, which does not exist", "go mod edit -dropreplace=example.com/lib"},
	}, {
		name:   "replace to a missing directory, with go.sum",
		root:   app,
		stderr: "could not be resolved: example.com/lib@v0.0.0: replacement directory ../nolib does not exist",
		want:   []string{"go.mod replaces example.com/lib with the directory ../nolib, which does not exist", "restore ../nolib"},
	}, {
		name:   "stale vendor",
		root:   app,
		stderr: "go: inconsistent vendoring in /tmp/x:\n\tgolang.org/x/sync@v0.23.0: is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt\n\n\tTo sync the vendor directory, run:\n\t\tgo mod vendor",
		want:   []string{"vendor/modules.txt does not match go.mod", "go mod vendor"},
	}, {
		name:   "toolchain too old",
		root:   app,
		stderr: "go env: exit status 1\ngo: go.mod requires go >= 1.27 (running go 1.26.8; GOTOOLCHAIN=local)",
		want:   []string{"go.mod needs Go 1.27, but the go command in use is Go 1.26.8 and GOTOOLCHAIN=local", "install Go 1.27"},
	}, {
		name:   "no module provides",
		root:   app,
		stderr: "main.go:4:2: no required module provides package example.com/nope; to add it:\n\tgo get example.com/nope",
		want:   []string{"provides package example.com/nope", "go get example.com/nope"},
	}, {
		name:   "no such package in the main module",
		root:   app,
		stderr: "hook package example.com/app/nohooks does not load: cannot find module providing package example.com/app/nohooks: module lookup disabled by GOPROXY=off",
		want:   []string{"package example.com/app/nohooks is in this module's path, but no directory of the module holds it", "correct the import path"},
	}, {
		name:   "offline",
		root:   app,
		stderr: "go: example.com/x@v1.0.0: module lookup disabled by GOPROXY=off",
		want:   []string{"needed to download a module", "GOPROXY"},
	}, {
		name:   "not the go command's",
		root:   app,
		stderr: "otelgen.yaml:3:5: rule \"x\": no such function",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			orig := errors.New(tc.stderr)
			err := Explain(orig, tc.root, cache)
			var ge *GoError
			if !errors.As(err, &ge) {
				if tc.want != nil {
					t.Fatalf("not recognised: %v", err)
				}
				if err != orig {
					t.Fatalf("an unrecognised error changed: %v", err)
				}
				return
			}
			if tc.want == nil {
				t.Fatalf("recognised, want not: %v", err)
			}
			if !strings.Contains(ge.Why, tc.want[0]) {
				t.Errorf("why = %q, want it to contain %q", ge.Why, tc.want[0])
			}
			if !strings.Contains(ge.Fix, tc.want[1]) {
				t.Errorf("fix = %q, want it to contain %q", ge.Fix, tc.want[1])
			}
			if !errors.Is(err, orig) {
				t.Errorf("the original error is not wrapped")
			}
			// Every line of the original is kept, after the explanation.
			msg := err.Error()
			for _, line := range strings.Split(tc.stderr, "\n") {
				if !strings.Contains(msg, line) {
					t.Errorf("the message lost %q:\n%s", line, msg)
				}
			}
			if strings.Index(msg, ge.Why) > strings.Index(msg, "the go command said:") {
				t.Errorf("the explanation does not come first:\n%s", msg)
			}
		})
	}
}
