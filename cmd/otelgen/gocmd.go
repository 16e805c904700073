package main

import (
	"errors"
	"flag"
	"os"
	"os/exec"
	"strings"

	"github.com/otelgen/otelgen/rewriter/emit"
)

// build, run and test are go build, go run and go test with the overlay of
// an up-to-date _otel/: the user's files that otelgen copies into _otel/
// are only read from there, so a build that uses a copy older than the file
// would run old code. Nothing in the go command can catch that: an overlay
// replaces a file's content before anything reads it (the compiler and
// //go:embed alike), so no part of the build sees the original to compare.
func init() {
	for _, verb := range []string{"build", "run", "test"} {
		commands = append(commands, &command{
			name:    verb,
			args:    " [go " + verb + " flags and arguments]",
			summary: "go " + verb + " with the overlay, after bringing _otel/ up to date",
			help: `
` + strings.ToUpper(verb[:1]) + verb[1:] + ` runs go ` + verb + ` -overlay=_otel/overlay.json with the arguments given,
after making sure that _otel/ is what generate would write now: when the
inputs are those of the last generate on this machine this takes a few
milliseconds; otherwise it runs generate (the packages and platforms of the
last one), says so on stderr when the tree changed, and then runs the go
command. A build never uses a stale copy of the module's files.

Its exit code is the go command's, or 2 when _otel/ cannot be brought up to
date.`,
			raw: true,
			run: func(c *cli, _ *flag.FlagSet, args []string) int { return runGo(c, verb, args) },
		})
	}
}

func runGo(c *cli, verb string, args []string) int {
	for _, a := range args {
		if a == "--" {
			break
		}
		if strings.HasPrefix(strings.TrimLeft(a, "-"), "overlay") && strings.HasPrefix(a, "-") {
			return c.usageError("%s sets -overlay itself: run go %s for a build with an overlay of your own", c.cmd.name, verb)
		}
	}
	patterns := []string{"./..."}
	var platforms []string
	if lock, err := emit.ReadLock(c.root()); err == nil && lock != nil {
		if len(lock.Patterns) > 0 {
			patterns = lock.Patterns
		}
		platforms = lock.Platforms
	}
	overlay, code := c.regenerate(patterns, platforms, c.stderr, false)
	if code != exitOK {
		return code
	}
	cmd := exec.CommandContext(c.ctx, "go", append([]string{verb, "-overlay=" + overlay}, args...)...)
	cmd.Dir = c.absDir()
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, c.stdout, c.stderr
	// The go command gets the user's interrupt too (same process group):
	// let it end on its own rather than kill it.
	cmd.Cancel = func() error { return nil }
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		if code := ee.ExitCode(); code >= 0 {
			return code
		}
		if code, ok := c.interrupted(); ok {
			return code
		}
		return exitUsage
	default:
		c.errorf("go %s: %v", verb, err)
		return exitUsage
	}
}
