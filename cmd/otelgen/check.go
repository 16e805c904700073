package main

import (
	"bytes"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/otelgen/otelgen/rewriter"
	"github.com/otelgen/otelgen/rewriter/emit"
)

func init() {
	commands = append(commands, &command{
		name:    "check",
		summary: "exit 1 when _otel/ is not what generate would write now",
		help: `
Check runs generate in memory and compares the result with _otel/ on disk. It
exits 0 when they are byte-identical and 1 otherwise, saying why (a file
edited by hand, a rule changed, an original that changed under the tree after
a Go or dependency upgrade) and showing the difference. It writes nothing.

Use it in a pre-commit hook and in CI. The packages checked are those the
lock records from the last generate.`,
		run: runCheck,
	})
}

func runCheck(c *cli, fs *flag.FlagSet, args []string) int {
	lock, _ := emit.ReadLock(c.root())
	patterns := args
	var platforms []string
	if lock != nil {
		if len(patterns) == 0 {
			patterns = lock.Patterns
		}
		platforms = lock.Platforms
	}
	fresh, env, _, err := rewriter.Fresh(c.absDir(), version(), patterns, platforms)
	if err == nil && fresh {
		fmt.Fprintf(c.stdout, "otelgen check: %s/ is up to date\n", emit.Dir)
		return exitOK
	}
	if err != nil {
		env = nil // generate says what went wrong
	}
	res, code := c.generate(patterns, platforms, env)
	if res == nil {
		return code
	}
	root := res.Env.Root()
	have, err := emit.ReadTree(root)
	if err != nil {
		c.errorf("reading %s: %v", emit.Dir, err)
		return exitUsage
	}
	if have == nil {
		fmt.Fprintf(c.stdout, "otelgen check: %s/ does not exist: run otelgen generate\n", emit.Dir)
		return exitDrift
	}
	diffs := emit.Compare(have, res.Tree)
	if len(diffs) == 0 {
		// Up to date: record the inputs, so that the next check (the
		// pre-commit hook's) takes the quick path.
		if err := emit.WriteState(root, emit.State{InputsDigest: res.Inputs, TreeDigest: have.Digest()}); err != nil {
			c.errorf("%v", err)
		}
		fmt.Fprintf(c.stdout, "otelgen check: %s/ is up to date (compared in full: the inputs changed since the last generate on this machine, or it has no record of them)\n", emit.Dir)
		return exitOK
	}
	fmt.Fprintf(c.stdout, "otelgen check: %s/ is stale; run: otelgen generate\n", emit.Dir)
	for _, why := range reasons(lock, have, res.Lock, res.Tree) {
		fmt.Fprintf(c.stdout, "  %s\n", why)
	}
	var paths []string
	for p := range res.Tree {
		paths = append(paths, p)
	}
	for p := range have {
		if _, ok := res.Tree[p]; !ok {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	for _, p := range paths {
		if p == emit.DiffFile || p == emit.LockFile {
			continue // they follow from the files shown
		}
		h, w := have[p], res.Tree[p]
		if bytes.Equal(h, w) {
			continue
		}
		name := filepath.ToSlash(filepath.Join(emit.Dir, p))
		fmt.Fprint(c.stdout, udiff.Unified("have/"+name, "want/"+name, string(h), string(w)))
	}
	return exitDrift
}

// reasons says in a line each why the tree on disk differs.
func reasons(lock *emit.Lock, have emit.Tree, want emit.Lock, wantTree emit.Tree) (out []string) {
	if lock == nil {
		return []string{"there is no " + emit.LockFile}
	}
	inLock := map[string]bool{}
	for _, e := range lock.Files {
		inLock[e.Path] = true
	}
	meta := []string{emit.LockFile, emit.DiffFile, emit.IgnoreFile, emit.GoModFile, emit.GoSumFile}
	for _, p := range slices.Sorted(maps.Keys(have)) {
		isMeta := false
		for _, m := range meta {
			isMeta = isMeta || p == m
		}
		switch {
		case !isMeta && !inLock[p]:
			out = append(out, fmt.Sprintf("%s was added by hand (or by a generate whose lock was lost)", p))
		case p == emit.DiffFile && emit.Hash(have[p]) != lock.DiffSHA256:
			out = append(out, fmt.Sprintf("%s was edited by hand", p))
		}
	}
	defer func() {
		// Only when nothing else explains it: a lock or .gitignore that
		// differs was edited.
		if len(out) == 1 && strings.HasPrefix(out[0], "the set of instrumented files") && sameSources(have, wantTree) {
			for _, p := range []string{emit.LockFile, emit.IgnoreFile} {
				if !bytes.Equal(have[p], wantTree[p]) {
					out = []string{fmt.Sprintf("%s differs from what generate writes (edited by hand?)", p)}
				}
			}
		}
	}()
	for _, e := range lock.Files {
		if data, ok := have[e.Path]; !ok {
			out = append(out, fmt.Sprintf("%s was deleted from %s/", e.Path, emit.Dir))
		} else if emit.Hash(data) != e.OutputSHA256 {
			out = append(out, fmt.Sprintf("%s was edited by hand", e.Path))
		}
	}
	if lock.TargetsDigest != want.TargetsDigest && lock.TargetsDigest != "" {
		out = append(out, "the packages that rules name changed: one entered or left the build, or a main package, a file or a module version changed")
	}
	if lock.RulesDigest != want.RulesDigest {
		out = append(out, "the rules changed (otelgen.yaml or otelgen's built-in rules)")
	}
	if lock.Go != want.Go {
		out = append(out, fmt.Sprintf("the Go version changed: %s, now %s", lock.Go, want.Go))
	}
	if lock.Otelgen != want.Otelgen {
		out = append(out, fmt.Sprintf("the otelgen version changed: %s, now %s", lock.Otelgen, want.Otelgen))
	}
	wantOrig := map[string]string{}
	for _, e := range want.Files {
		wantOrig[e.Path] = e.OriginalSHA256
	}
	for _, e := range lock.Files {
		if w, ok := wantOrig[e.Path]; ok && w != e.OriginalSHA256 {
			switch from, rest := emit.Origin(e.Path); from {
			case emit.FromMain:
				out = append(out, fmt.Sprintf("%s changed since the last generate", rest))
			case emit.FromStd:
				out = append(out, fmt.Sprintf("the original of %s changed (a Go upgrade?)", e.Path))
			default:
				out = append(out, fmt.Sprintf("the original of %s changed (a dependency upgrade or re-vendor?)", e.Path))
			}
		}
	}
	if len(out) == 0 {
		out = append(out, "the set of instrumented files changed (new code or dependencies matched the rules)")
	}
	return out
}

// sameSources reports whether two trees hold the same files besides the
// lock and the .gitignore.
func sameSources(a, b emit.Tree) bool {
	other := func(p string) bool { return p != emit.LockFile && p != emit.IgnoreFile }
	for p, data := range a {
		if other(p) && !bytes.Equal(data, b[p]) {
			return false
		}
	}
	for p := range b {
		if _, ok := a[p]; other(p) && !ok {
			return false
		}
	}
	return true
}

// lockPatterns are the package patterns of the last generate, or nil.
func (c *cli) lockPatterns() []string {
	if lock, err := emit.ReadLock(c.root()); err == nil {
		return lock.Patterns
	}
	return nil
}

func (c *cli) root() string {
	dir := c.absDir()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}
