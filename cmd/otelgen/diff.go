package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/otelgen/otelgen/internal/prdiff"
	"github.com/otelgen/otelgen/rewriter/emit"
)

func init() {
	var format, base string
	commands = append(commands, &command{
		name:    "diff",
		summary: "print the instrumentation diff",
		help: `
Diff prints _otel/instrumentation.diff: every rewritten and added file, from
the original to what the build compiles, as a unified diff. It reads only the
committed tree; it loads nothing.

With --base ref it shows what the working tree's _otel/ injects that the
_otel/ of the git revision ref did not (read with git from the repository
that holds the module, which may be in a subdirectory of it), and what it no
longer injects: for a pull request, "this change makes otelgen inject X into
Y". Only files whose instrumentation differs are shown: a file newly
instrumented as original → instrumented; a file no longer instrumented as
instrumented → original; a file instrumented differently as its instrumented
copy at ref → now when its original is the same, otherwise as original →
instrumented. A ref without _otel/ makes everything new. When nothing
differs, the unified diff is empty.

--format markdown renders a pull-request comment (what otelgen comment
posts): a hidden marker "<!-- otelgen-pr-comment -->", a heading, a table of
the rules, packages and functions or other targets with the lines each file
adds, and one collapsible section per file holding its diff. It stays under
GitHub's limit of 65,536 characters: when the whole does not fit, the
table's last rows and then whole files' diffs are left out, the largest
diffs first, and the comment says how many.

--format json prints one object, in a stable order (files by path;
injections by file, line, change, kind, target, rule):

	{
	  "version": 1,
	  "base": "<ref>",                  only with --base
	  "files": [{
	    "path": "std/net/http/transport.go",  logical path under _otel/
	    "package": "net/http",
	    "created": false,               true: otelgen adds the file
	    "status": "added",              added|changed|removed|unchanged
	    "rules": ["nethttp-client"],
	    "lines_added": 40, "lines_removed": 1   of the section shown
	  }],
	  "injections": [{
	    "rule": "nethttp-client",
	    "kind": "hook",                 hook|insert|field|file|hooks|register|edit
	    "package": "net/http",
	    "target": "(*Transport).roundTrip",  function, Struct.field or file name
	    "function": "(*Transport).roundTrip",  hook and insert only
	    "struct": "g", "field": "otelgen_gls",  field only
	    "file": "std/net/http/transport.go",
	    "line": 590,                    in the instrumented file (at ref if removed)
	    "change": "added"               added|removed|unchanged
	  }]
	}

Without --base everything is "added": the comparison is with the program
uninstrumented. A hook is the jump on the line of a function's opening
brace; hooks and register are the files otelgen adds for hooks
(otelgen_hooks.go, otelgen_register.go); edit is a change by a rule this
otelgen does not know.`,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&format, "format", "unified", "output `format`: unified, markdown or json")
			fs.StringVar(&base, "base", "", "show what changed since the git revision `ref`")
		},
		run: func(c *cli, fs *flag.FlagSet, args []string) int {
			if len(args) > 0 {
				return c.usageError("diff takes no arguments")
			}
			switch format {
			case "unified", "markdown", "json":
			default:
				return c.usageError("unknown --format %q: want unified, markdown or json", format)
			}
			root := c.root()
			if base == "" && format == "unified" {
				// Today's output, byte for byte.
				data, err := os.ReadFile(filepath.Join(root, emit.Dir, emit.DiffFile))
				if err != nil {
					c.errorf("no instrumentation diff (%v): run otelgen generate", err)
					return exitUsage
				}
				c.stdout.Write(data)
				return exitOK
			}
			head, err := prdiff.WorkingTree(root)
			if err != nil {
				c.errorf("no instrumentation diff (%v): run otelgen generate", err)
				return exitUsage
			}
			if !head.HasLock() {
				c.errorf("no %s: run otelgen generate", filepath.Join(emit.Dir, emit.LockFile))
				return exitUsage
			}
			var baseTree *prdiff.Tree
			if base != "" {
				baseTree, err = prdiff.GitTree(root, base, head.ModPath())
				if err != nil {
					c.errorf("%v", err)
					return exitUsage
				}
			}
			cmp := prdiff.Compare(base, baseTree, head)
			switch format {
			case "unified":
				fmt.Fprint(c.stdout, prdiff.Unified(cmp))
			case "json":
				c.stdout.Write(prdiff.JSON(cmp))
			case "markdown":
				cmdline := "otelgen diff --format markdown"
				if base != "" {
					cmdline = "otelgen diff --base " + shellQuote(base) + " --format markdown"
				}
				fmt.Fprint(c.stdout, prdiff.Markdown(cmp, cmdline, prdiff.CommentBudget))
			}
			return exitOK
		},
	})
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./^~@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
