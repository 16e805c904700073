package main

import (
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/otelgen/otelgen/rewriter"
	"github.com/otelgen/otelgen/rewriter/emit"
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
Nothing outside _otel/ is written.`,
		run: runGenerate,
	})
}

func runGenerate(c *cli, fs *flag.FlagSet, args []string) int {
	if len(args) == 0 {
		args = []string{"./..."}
	}
	// Nothing changed since the last generate: keep the tree, refresh the
	// machine-local overlay.
	if fresh, env, lock, err := rewriter.Fresh(c.absDir(), version(), args); err == nil && fresh {
		pl := emit.Places{Root: env.Root(), GOROOT: env.GOROOT, GOMODCACHE: env.GOMODCACHE}
		if overlay, err := pl.WriteOverlay(lock); err == nil {
			fmt.Fprintf(c.stdout, "otelgen: unchanged: %s/ is up to date\n", emit.Dir)
			fmt.Fprintf(c.stdout, "build with: go build -overlay=%s ./...\n", overlay)
			return exitOK
		}
	}
	res, code := c.generate(args)
	if res == nil {
		return code
	}
	root := res.Env.Root()
	changed, err := emit.Write(root, res.Tree)
	if err != nil {
		c.errorf("writing %s: %v", emit.Dir, err)
		return exitUsage
	}
	overlay, err := res.Places.WriteOverlay(&res.Lock)
	if err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	rewritten, added := 0, 0
	var ruleIDs []string
	seen := map[string]bool{}
	for _, f := range res.Files {
		if f.Original == nil {
			added++
		} else {
			rewritten++
		}
		for _, id := range f.Rules {
			if !seen[id] {
				seen[id] = true
				ruleIDs = append(ruleIDs, id)
			}
		}
	}
	state := "wrote"
	if !changed {
		state = "unchanged:"
	}
	fmt.Fprintf(c.stdout, "otelgen: %s %s/ (%d files rewritten, %d added", state, emit.Dir, rewritten, added)
	if len(ruleIDs) > 0 {
		fmt.Fprintf(c.stdout, "; rules: %s", strings.Join(sortedCopy(ruleIDs), ", "))
	}
	fmt.Fprintln(c.stdout, ")")
	if _, ok := res.Tree[emit.GoModFile]; ok {
		fmt.Fprintf(c.stdout, "otelgen: the build uses %s/go.mod and go.sum in place of yours (requirements of the injected code, replaced dependencies); yours are unchanged\n", emit.Dir)
	}
	fmt.Fprintf(c.stdout, "build with: go build -overlay=%s ./...\n", overlay)
	return exitOK
}

// generate runs the pipeline in memory and reports errors.
func (c *cli) generate(patterns []string) (*rewriter.Result, int) {
	res, err := rewriter.Generate(rewriter.Options{Dir: c.absDir(), Patterns: patterns, Version: version()})
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
