// Package golden holds otelgen's golden cases: what otelgen injects, case by
// case, as a reader would want it documented. See README.md.
//
// Each folder beside this file that has a go.mod is a case: a small module
// (its rules in otelgen.yaml, the code they target, a hooks package and a main
// package), the _otel/ tree that otelgen generate must write for it, and
// want.stdout, what the program built with that tree prints. The test copies a
// case to a temporary directory, runs the real pipeline (rewriter.Generate),
// compares the tree with _otel/ byte for byte, checks that
// instrumentation.diff is exact, then writes the tree and overlay.json as
// otelgen generate does, builds the program with -overlay, runs it and
// compares its output with want.stdout.
//
//	go test ./golden                 run every case
//	go test ./golden -run TestGolden/skip
//	go test ./golden -update         rewrite each case's _otel/ from what
//	                                 otelgen generates now (on purpose only:
//	                                 review the change as you would code)
//
// -update writes want.stdout only for a case that has none: that file says
// what the hooks must do, and is kept by hand.
package golden

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	udiff "github.com/aymanbagabas/go-udiff"
	_ "github.com/otelgen/otelgen/hook" // built into every case: go test's cache must know
	"github.com/otelgen/otelgen/rewriter"
	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rules"
)

var update = flag.Bool("update", false, "rewrite each case's _otel/ from what otelgen generates now")

// replaceLine is how a case's go.mod points at this checkout; the test
// writes the checkout's absolute path in its place.
const replaceLine = "github.com/otelgen/otelgen => ../.."

// wantStdout names the expected output of a case's instrumented program.
const wantStdout = "want.stdout"

// notCopied are the files of a case folder that are not part of its module.
var notCopied = map[string]bool{emit.Dir: true, "README.md": true, wantStdout: true}

func TestGolden(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var cases []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(e.Name(), "go.mod")); e.IsDir() && err == nil {
			cases = append(cases, e.Name())
		}
	}
	if len(cases) == 0 {
		t.Fatal("no golden cases found")
	}
	for _, name := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runCase(t, root, name)
		})
	}
}

func runCase(t *testing.T, root, name string) {
	if _, err := os.Stat(filepath.Join(name, "README.md")); err != nil {
		t.Errorf("%s has no README.md saying what the case shows", name)
	}
	dir := copyCase(t, root, name)

	res, err := rewriter.Generate(rewriter.Options{Dir: dir, Version: "golden"})
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	got := res.Tree
	if os.Getenv("OTELGEN_CACHE") != "off" {
		// Again: the rewrites now come from the cache, the same.
		again, err := rewriter.Generate(rewriter.Options{Dir: dir, Version: "golden"})
		if err != nil {
			t.Fatalf("generate again: %v", err)
		}
		compareTrees(t, name+" (again)", kept(got), kept(again.Tree))
		for _, h := range again.Hooks {
			if h.Func != nil {
				t.Errorf("generate again: the rewrite for hook rule %s on %s did not come from the cache", h.Rule.ID, h.Pkg.PkgPath)
			}
		}
	}
	if *update {
		if _, err := emit.Write(name, kept(got)); err != nil {
			t.Fatal(err)
		}
	} else {
		want, err := emit.ReadTree(name)
		if err != nil {
			t.Fatal(err)
		}
		if want == nil {
			t.Errorf("%s/%s does not exist: run go test ./golden -update -run TestGolden/%s, and review it", name, emit.Dir, name)
		} else {
			compareTrees(t, name, kept(want), kept(got))
		}
	}
	for _, msg := range checkDiff(got[emit.DiffFile], res.Files) {
		t.Errorf("%s is not an exact diff of the originals to the tree: %s", emit.DiffFile, msg)
	}

	// Build and run the program as a user would.
	if _, err := emit.Write(dir, got); err != nil {
		t.Fatal(err)
	}
	overlay, err := res.Places.WriteOverlay(&res.Lock)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "golden.bin")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	var out, stderr bytes.Buffer
	if err := run(dir, &out, &out, "go", "build", "-overlay="+overlay, "-o", bin, "."); err != nil {
		t.Fatalf("go build -overlay: %v\n%s", err, out.Bytes())
	}
	var stdout bytes.Buffer
	if err := run(dir, &stdout, &stderr, bin); err != nil {
		t.Fatalf("the instrumented program failed: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.Bytes(), stderr.Bytes())
	}
	wantOut, err := os.ReadFile(filepath.Join(name, wantStdout))
	if os.IsNotExist(err) && *update {
		if err := os.WriteFile(filepath.Join(name, wantStdout), stdout.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s/%s: check that it says what the hooks should do", name, wantStdout)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stdout.Bytes(), wantOut) {
		t.Errorf("the instrumented program printed:\n%s\nwant (%s):\n%s", stdout.Bytes(), wantStdout, wantOut)
	}
}

// copyCase copies a case's module to a temporary directory, pointing its
// otelgen requirement at this checkout.
func copyCase(t *testing.T, root, name string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(name, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(name, p)
		if notCopied[rel] {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if rel == rewriter.ConfigFile {
			data = disableBuiltins(t, data)
		}
		if rel == "go.mod" {
			if !bytes.Contains(data, []byte(replaceLine)) {
				return fmt.Errorf("%s/go.mod must say: replace %s", name, replaceLine)
			}
			data = bytes.Replace(data, []byte(replaceLine), []byte("github.com/otelgen/otelgen => "+strconv.Quote(root)), 1)
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// disableBuiltins turns every built-in rule off, so that a case shows its own
// rules only, whatever rules otelgen ships, and builds fast (no rewritten
// standard library). A case whose otelgen.yaml has a disable list of its own
// chooses for itself.
func disableBuiltins(t *testing.T, config []byte) []byte {
	t.Helper()
	if regexp.MustCompile(`(?m)^disable:`).Match(config) {
		return config
	}
	builtin, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if len(builtin) == 0 {
		return config
	}
	var b bytes.Buffer
	b.Write(config)
	b.WriteString("\n# Added by the golden test.\ndisable:\n")
	for _, r := range builtin {
		fmt.Fprintf(&b, "  - %s\n", r.ID)
	}
	return b.Bytes()
}

// run runs the go command or the built program in dir, outside any
// workspace, and stops it if it hangs.
func run(dir string, stdout, stderr io.Writer, name string, args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	cmd.Stdout, cmd.Stderr = stdout, stderr
	return cmd.Run()
}

// notCompared are the files of _otel/ that a case does not keep: the lock
// holds the Go version, digests of machine-local inputs and hashes of every
// file, which change with the machine or follow from the files compared; the
// go.mod and go.sum of a case that uses an integration replace it with the
// checkout's absolute path and list the integration's requirements, which
// follow from the integration's own go.mod.
var notCompared = map[string]bool{emit.LockFile: true, "go.mod": true, "go.sum": true}

// kept returns the part of a tree that a case keeps.
func kept(t emit.Tree) emit.Tree {
	out := emit.Tree{}
	for p, data := range t {
		if !notCompared[p] {
			out[p] = data
		}
	}
	return out
}

// compareTrees reports every file of want and got that differs.
func compareTrees(t *testing.T, name string, want, got emit.Tree) {
	t.Helper()
	var paths []string
	for p := range want {
		paths = append(paths, p)
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		w, inWant := want[p]
		g, inGot := got[p]
		file := name + "/" + emit.Dir + "/" + p
		switch {
		case !inGot:
			t.Errorf("%s: otelgen no longer writes this file", file)
		case !inWant:
			t.Errorf("%s: otelgen writes this file, the case does not have it:\n%s", file, g)
		default:
			if !bytes.Equal(w, g) {
				t.Errorf("%s differs from what otelgen writes (- want, + got):\n%s", file,
					udiff.Unified("want/"+p, "got/"+p, string(w), string(g)))
			}
		}
	}
	if t.Failed() {
		t.Logf("if the change is intended: go test ./golden -update -run TestGolden/%s", name)
	}
}

// checkDiff checks that the instrumentation diff turns every original into
// its output exactly, hunk headers included: each hunk's old lines are where
// its "-" range says in the original, its new lines where its "+" range says
// in the output. git apply is more lenient: it finds a hunk whose header is
// off by a few lines, and says nothing.
func checkDiff(diff []byte, files []*emit.File) []string {
	byPath := map[string]*emit.File{}
	for _, f := range files {
		byPath[f.Logical] = f
	}
	var problems []string
	sections := parseDiff(string(diff))
	seen := map[string]bool{}
	for _, s := range sections {
		f, ok := byPath[s.path]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: no such file in the tree", s.path))
			continue
		}
		seen[s.path] = true
		problems = append(problems, s.check(f)...)
	}
	for _, f := range files {
		if !seen[f.Logical] {
			problems = append(problems, fmt.Sprintf("%s: missing from the diff", f.Logical))
		}
	}
	return problems
}

type diffSection struct {
	path  string
	hunks []*diffHunk
}

type diffHunk struct {
	header           string
	oldStart, oldLen int
	newStart, newLen int
	old, new         []string // lines with their newlines
	lastOld, lastNew bool     // the last line read went to old, to new

}

var hunkHeader = regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@`)

func parseDiff(diff string) []*diffSection {
	var out []*diffSection
	var s *diffSection
	var h *diffHunk
	lines := strings.SplitAfter(diff, "\n")
	for _, l := range lines {
		switch {
		case l == "":
		case strings.HasPrefix(l, "diff --git "):
			rest := strings.TrimSuffix(strings.TrimPrefix(l, "diff --git a/"), "\n")
			_, b, _ := strings.Cut(rest, " b/")
			s = &diffSection{path: b}
			out = append(out, s)
			h = nil
		case s == nil:
		case h == nil && (strings.HasPrefix(l, "--- ") || strings.HasPrefix(l, "+++ ") || strings.HasPrefix(l, "new file mode ")):
		case strings.HasPrefix(l, "@@ "):
			m := hunkHeader.FindStringSubmatch(l)
			if m == nil {
				h = &diffHunk{header: strings.TrimSpace(l), oldLen: -1}
			} else {
				num := func(s string, def int) int {
					if s == "" {
						return def
					}
					n, _ := strconv.Atoi(s)
					return n
				}
				h = &diffHunk{header: strings.TrimSpace(l), oldStart: num(m[1], 0), oldLen: num(m[2], 1), newStart: num(m[3], 0), newLen: num(m[4], 1)}
			}
			s.hunks = append(s.hunks, h)
		case h == nil:
		case strings.HasPrefix(l, "\\"):
			// "\ No newline at end of file" ends the line before.
			if h.lastOld {
				h.old[len(h.old)-1] = strings.TrimSuffix(h.old[len(h.old)-1], "\n")
			}
			if h.lastNew {
				h.new[len(h.new)-1] = strings.TrimSuffix(h.new[len(h.new)-1], "\n")
			}
		default:
			text := l[1:]
			h.lastOld, h.lastNew = false, false
			switch l[0] {
			case ' ':
				h.old, h.new = append(h.old, text), append(h.new, text)
				h.lastOld, h.lastNew = true, true
			case '-':
				h.old = append(h.old, text)
				h.lastOld = true
			case '+':
				h.new = append(h.new, text)
				h.lastNew = true
			}
		}
	}
	return out
}

// check applies the section's hunks to the file's original, strictly.
func (s *diffSection) check(f *emit.File) []string {
	var problems []string
	orig := strings.SplitAfter(string(f.Original), "\n")
	if orig[len(orig)-1] == "" {
		orig = orig[:len(orig)-1]
	}
	outLines := strings.SplitAfter(string(f.Output), "\n")
	if outLines[len(outLines)-1] == "" {
		outLines = outLines[:len(outLines)-1]
	}
	var applied []string
	pos := 0
	for i, h := range s.hunks {
		where := fmt.Sprintf("%s: hunk %d (%s)", s.path, i+1, h.header)
		if h.oldLen < 0 {
			problems = append(problems, where+": malformed header")
			return problems
		}
		if len(h.old) != h.oldLen || len(h.new) != h.newLen {
			problems = append(problems, fmt.Sprintf("%s: header counts %d old and %d new lines, the hunk has %d and %d", where, h.oldLen, h.newLen, len(h.old), len(h.new)))
		}
		// A range of length 0 names the line before it.
		oldAt := h.oldStart - 1
		if h.oldLen == 0 {
			oldAt = h.oldStart
		}
		if oldAt < pos || oldAt+len(h.old) > len(orig) || !equalLines(orig[oldAt:oldAt+len(h.old)], h.old) {
			problems = append(problems, fmt.Sprintf("%s: its old lines are not at line %d of the original", where, h.oldStart))
			return problems
		}
		applied = append(applied, orig[pos:oldAt]...)
		newStart := len(applied) + 1
		if h.newLen == 0 {
			newStart--
		}
		if h.newStart != newStart {
			problems = append(problems, fmt.Sprintf("%s: the new range starts at line %d, but its lines are at line %d of the output", where, h.newStart, newStart))
		}
		applied = append(applied, h.new...)
		pos = oldAt + len(h.old)
	}
	applied = append(applied, orig[pos:]...)
	if !equalLines(applied, outLines) {
		problems = append(problems, fmt.Sprintf("%s: applying the hunks to the original does not give the output", s.path))
	}
	return problems
}

func equalLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestMain gives the cases one cache of type information, shared by them and
// by nobody else: a fresh temporary directory unless OTELGEN_CACHE says
// otherwise (set it to a directory to run the cases over a warm cache, as a
// second otelgen generate on a machine does; the trees must not change).
func TestMain(m *testing.M) {
	os.Exit(withCache(m))
}

func withCache(m *testing.M) int {
	if os.Getenv("OTELGEN_CACHE") == "" {
		dir, err := os.MkdirTemp("", "otelgen-golden-cache-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		defer os.RemoveAll(dir)
		os.Setenv("OTELGEN_CACHE", dir)
	}
	return m.Run()
}
