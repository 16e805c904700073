package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/otelgen/otelgen/rewriter"
	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rewriter/load"
)

func init() {
	commands = append(commands, &command{
		name:    "generate",
		args:    " [packages]",
		summary: "rewrite the module into _otel/",
		help: `
Generate loads the named packages (default ./...) and everything they depend
on, applies the built-in rules and those of otelgen.yaml, type-checks every
rewritten package, and writes the result to _otel/ at the module root:

	_otel/std/...              rewritten files of the standard library
	_otel/mod/<module>@<v>/... rewritten files of dependencies
	_otel/main/...             rewritten and added files of this module
	_otel/otelgen.lock         what was generated from what
	_otel/instrumentation.diff every change, original to instrumented
	_otel/overlay.json         for go build -overlay (machine-local, git-ignored)

Commit _otel/ (overlay.json excepted). The new tree replaces the old one in a
single step: a failed or interrupted run leaves the old _otel/ as it was.
Nothing outside _otel/ is written, but for otelgen's cache of type
information (the otelgen directory under the user's cache directory, such
as ~/.cache/otelgen; OTELGEN_CACHE=dir moves it, OTELGEN_CACHE=off turns it
off), which only makes the next generate faster: deleting it is always safe.`,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&platformsFlag, "platforms", "", "cover these `GOOS/GOARCH` pairs, comma-separated (default: the host's), so that\ncross-compiled builds stay instrumented: e.g. linux/amd64,darwin/arm64")
		},
		run: runGenerate,
	})
}

var platformsFlag string

func splitPlatforms(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func runGenerate(c *cli, fs *flag.FlagSet, args []string) int {
	if len(args) == 0 {
		args = []string{"./..."}
	}
	overlay, code := c.regenerate(args, splitPlatforms(platformsFlag), c.stdout, true)
	if code != exitOK {
		return code
	}
	fmt.Fprintf(c.stdout, "build with: go build -overlay=%s ./...\n", overlay)
	return exitOK
}

// regenerate brings _otel/ up to date for patterns and platforms and writes
// the machine-local overlay.json, whose path it returns. It says what it did
// on w: always when verbose, else only when it wrote a changed tree.
func (c *cli) regenerate(patterns, platforms []string, w io.Writer, verbose bool) (overlay string, code int) {
	// Nothing changed since the last generate: keep the tree, refresh the
	// machine-local overlay.
	fresh, env, lock, err := rewriter.Fresh(c.absDir(), version(), patterns, platforms)
	if err == nil && fresh {
		pl := emit.Places{Root: env.Root(), GOROOT: env.GOROOT, GOMODCACHE: env.GOMODCACHE}
		if overlay, err := pl.WriteOverlay(lock); err == nil {
			if verbose {
				var files []summaryFile
				for _, f := range lock.Files {
					files = append(files, summaryFile{f.OriginalSHA256 == "", f.Rules})
				}
				fmt.Fprintf(w, "otelgen: unchanged: %s\n", summary(files))
			}
			return overlay, exitOK
		}
	}
	if err != nil {
		env = nil // generate says what went wrong
	}
	res, code := c.generate(patterns, platforms, env)
	if res == nil {
		return "", code
	}
	root := res.Env.Root()
	changed, err := emit.WriteContext(c.ctx, root, res.Tree)
	if code, ok := c.interrupted(); ok && !changed {
		return "", code
	}
	if err != nil {
		c.errorf("writing %s: %v", emit.Dir, err)
		return "", exitUsage
	}
	if err := emit.WriteState(root, emit.State{InputsDigest: res.Inputs, TreeDigest: res.Tree.Digest()}); err != nil {
		c.errorf("%v", err)
		return "", exitUsage
	}
	overlay, err = res.Places.WriteOverlay(&res.Lock)
	if err != nil {
		c.errorf("%v", err)
		return "", exitUsage
	}
	if !verbose && !changed {
		return overlay, exitOK
	}
	var files []summaryFile
	for _, f := range res.Files {
		files = append(files, summaryFile{f.Original == nil, f.Rules})
	}
	state := "wrote"
	if !changed {
		state = "unchanged:"
	}
	fmt.Fprintf(w, "otelgen: %s %s\n", state, summary(files))
	if _, ok := res.Tree[emit.GoModFile]; ok && verbose {
		fmt.Fprintf(w, "otelgen: the build uses %s/go.mod and go.sum in place of yours (requirements of the injected code, replaced dependencies); yours are unchanged\n", emit.Dir)
	}
	return overlay, exitOK
}

// generate runs the pipeline in memory and reports errors.
// env is what the go command said in the module, when the caller knows.
func (c *cli) generate(patterns, platforms []string, env *load.Env) (*rewriter.Result, int) {
	p := newProgress(c.stderr)
	res, err := rewriter.Generate(rewriter.Options{Dir: c.absDir(), Patterns: patterns, Platforms: platforms, Version: version(), Context: c.ctx, Progress: p.fn(), Env: env})
	p.stop()
	if code, ok := c.interrupted(); ok {
		return nil, code
	}
	if err != nil {
		c.errorf("%v", err)
		var ie *rewriter.InputError
		if errors.As(err, &ie) {
			return nil, exitUsage
		}
		return nil, exitUsage
	}
	return res, exitOK
}

func (c *cli) absDir() string {
	d, err := filepath.Abs(c.dir)
	if err != nil {
		return c.dir
	}
	return d
}

type summaryFile struct {
	added bool
	rules []string
}

// summary describes a tree in one line: "_otel/ (2 files rewritten, 3 added;
// rules: a, b)".
func summary(files []summaryFile) string {
	rewritten, added := 0, 0
	seen := map[string]bool{}
	var ids []string
	for _, f := range files {
		if f.added {
			added++
		} else {
			rewritten++
		}
		for _, id := range f.rules {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	s := fmt.Sprintf("%s/ (%d files rewritten, %d added", emit.Dir, rewritten, added)
	if len(ids) > 0 {
		s += "; rules: " + strings.Join(slices.Sorted(slices.Values(ids)), ", ")
	}
	return s + ")"
}
