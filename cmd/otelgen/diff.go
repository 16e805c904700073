package main

import (
	"flag"
	"os"
	"path/filepath"

	"github.com/otelgen/otelgen/rewriter/emit"
)

func init() {
	commands = append(commands, &command{
		name:    "diff",
		summary: "print the instrumentation diff",
		help: `
Diff prints _otel/instrumentation.diff: every rewritten and added file, from
the original to what the build compiles, as a unified diff.`,
		run: func(c *cli, fs *flag.FlagSet, args []string) int {
			if len(args) > 0 {
				return c.usageError("diff takes no arguments")
			}
			data, err := os.ReadFile(filepath.Join(c.root(), emit.Dir, emit.DiffFile))
			if err != nil {
				c.errorf("no instrumentation diff (%v): run otelgen generate", err)
				return exitUsage
			}
			c.stdout.Write(data)
			return exitOK
		},
	})
}
