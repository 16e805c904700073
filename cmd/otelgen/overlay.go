package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rewriter/load"
)

func init() {
	commands = append(commands, &command{
		name:    "overlay",
		summary: "write _otel/overlay.json for this machine, from _otel/",
		help: `
Overlay writes _otel/overlay.json, the machine-local file that
go build -overlay reads, from the committed _otel/ tree. It loads no packages:
it only checks that every original still has the hash the lock records, so
run it after a fresh clone. When an original changed, it fails and asks for
otelgen generate. A CI job that only builds can run go tool otelgen-overlay
instead: the same, from a small command that compiles in a fraction of
otelgen's time.`,
		run: func(c *cli, fs *flag.FlagSet, args []string) int {
			if len(args) > 0 {
				return c.usageError("overlay takes no arguments")
			}
			env, err := load.ReadEnv(c.absDir())
			if err != nil {
				c.errorf("%v", err)
				return exitUsage
			}
			lock, err := emit.ReadLock(env.Root())
			if err != nil {
				c.errorf("%v: run otelgen generate", err)
				return exitUsage
			}
			if lock.Go != env.GOVERSION {
				// The standard library's originals differ from one release
				// to the next: the old overlay would build the old copies.
				os.Remove(filepath.Join(env.Root(), emit.Dir, emit.OverlayFile))
				c.errorf("_otel/ was generated with %s, but the go command is %s: build with %s, or run otelgen generate", lock.Go, env.GOVERSION, lock.Go)
				return exitUsage
			}
			pl := emit.Places{Root: env.Root(), GOROOT: env.GOROOT, GOMODCACHE: env.GOMODCACHE}
			path, err := pl.WriteOverlay(lock)
			if err != nil {
				c.errorf("%v", err)
				return exitUsage
			}
			fmt.Fprintf(c.stdout, "otelgen: wrote %s\n", path)
			return exitOK
		},
	})
}
