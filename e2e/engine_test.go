package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEngine generates for a program with rules on a standard library
// function, a dependency's function and two of its own, in module mode and in
// vendor mode, then builds, vets, tests and runs it with the overlay.
func TestEngine(t *testing.T) {
	for _, mode := range []string{"module", "vendor"} {
		t.Run(mode, func(t *testing.T) {
			dir := copyModule(t, "engine")
			if mode == "vendor" {
				run(t, dir, 0, "go", "mod", "vendor")
			}
			out := run(t, dir, 0, otelgen, "generate")
			if !strings.Contains(out, "rules: banner, crash, semver-compare, sum, upper") {
				t.Errorf("generate output does not list the rules:\n%s", out)
			}
			for _, f := range []string{
				"_otel/std/strings/strings.go",
				"_otel/std/strings/otelgen_hooks.go",
				"_otel/mod/golang.org/x/mod@v0.42.0/semver/semver.go",
				"_otel/main/work/work.go",
				"_otel/main/otelgen_register.go",
				"_otel/otelgen.lock",
				"_otel/instrumentation.diff",
			} {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("generate did not write %s", f)
				}
			}
			// In module mode the dependency is served from _otel/mod/
			// through an overlaid go.mod; vendor mode overlays vendor/.
			_, err := os.Stat(filepath.Join(dir, "_otel", "go.mod"))
			if (mode == "module") != (err == nil) {
				t.Errorf("_otel/go.mod exists: %v, want %v", err == nil, mode == "module")
			}

			flag := overlayFlag(dir)
			run(t, dir, 0, "go", "build", flag, "-o", exe("app"), ".")
			run(t, dir, 0, "go", "vet", flag, "./...")
			run(t, dir, 0, "go", "test", flag, "./...")

			got := run(t, dir, 0, filepath.Join(dir, exe("app")))
			want := "banner: [engine]\n" +
				"upper: ABC-DEF (len 7, via strings.ToUpper)\n" +
				"compare: 1\n" + // reversed by the after hook
				"sum: 106\n" // the panicking before hook is skipped, the after hook adds 100
			if got != want {
				t.Errorf("instrumented program printed:\n%s\nwant:\n%s", got, want)
			}

			// Without the overlay the program is as it was.
			run(t, dir, 0, "go", "build", "-o", exe("plain"), ".")
			plain := run(t, dir, 0, filepath.Join(dir, exe("plain")))
			if want := "banner: engine\nupper: ABC\ncompare: -1\nsum: 6\n"; plain != want {
				t.Errorf("plain program printed:\n%s\nwant:\n%s", plain, want)
			}

			// A panic in an instrumented function points at its
			// original line: the jump sits on the line of the brace.
			src, err := os.ReadFile(filepath.Join(dir, "work", "work.go"))
			if err != nil {
				t.Fatal(err)
			}
			line := 1 + strings.Count(string(src[:strings.Index(string(src), "// CRASH LINE")]), "\n")
			crash := run(t, dir, 2, filepath.Join(dir, exe("app")), "panic")
			re := regexp.MustCompile(`(?m)^\s+(\S+/work\.go):(\d+)`)
			m := re.FindStringSubmatch(crash)
			if m == nil {
				t.Fatalf("no work.go frame in the panic:\n%s", crash)
			}
			if m[2] != fmt.Sprint(line) || m[1] != filepath.Join(dir, "work", "work.go") {
				t.Errorf("panic points at %s:%s, want %s:%d\n%s", m[1], m[2], filepath.Join(dir, "work", "work.go"), line, crash)
			}

			// Same inputs, byte-identical tree.
			first := readTree(t, dir)
			out = run(t, dir, 0, otelgen, "generate")
			if !strings.Contains(out, "unchanged") {
				t.Errorf("second generate changed the tree:\n%s", out)
			}
			os.RemoveAll(filepath.Join(dir, "_otel"))
			run(t, dir, 0, otelgen, "generate")
			if second := readTree(t, dir); !equalTrees(first, second) {
				t.Errorf("regenerating from scratch gave a different tree")
			}
			for p, data := range first {
				// go.mod copies the user's own, which replaces otelgen
				// with this checkout.
				if strings.Contains(string(data), dir) || (p != "go.mod" && strings.Contains(string(data), repoRoot)) {
					t.Errorf("%s holds a machine path", p)
				}
			}
			run(t, dir, 0, otelgen, "check")

			if mode == "vendor" {
				// A re-vendor that changes a rewritten dependency file
				// makes the tree stale, and check says why.
				f := filepath.Join(dir, "vendor", "golang.org", "x", "mod", "semver", "semver.go")
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				os.WriteFile(f, append(data, []byte("\n// re-vendored\n")...), 0o644)
				out := run(t, dir, 1, otelgen, "check")
				if !strings.Contains(out, "the original of mod/golang.org/x/mod@v0.42.0/semver/semver.go changed (a dependency upgrade or re-vendor?)") {
					t.Errorf("check after a re-vendor says:\n%s", out)
				}
			}
		})
	}
}

// readTree reads the committed part of _otel/: not overlay.json, nor the
// links to the module cache made with it.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	tree := map[string][]byte{}
	root := filepath.Join(dir, "_otel")
	err := filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || info.Mode()&os.ModeSymlink != 0 {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if rel == "overlay.json" {
			return nil
		}
		data, err := os.ReadFile(p)
		tree[rel] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func equalTrees(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if string(b[k]) != string(v) {
			return false
		}
	}
	return true
}
