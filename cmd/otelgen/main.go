// Command otelgen gives a Go program OpenTelemetry instrumentation at compile
// time. It rewrites copies of the program's sources (and of the standard
// library and dependencies) into a committed _otel/ tree, which
// "go build -overlay=$PWD/_otel/overlay.json" swaps in.
//
// Usage:
//
//	otelgen [-C dir] <command> [arguments]
//
// The commands are:
//
//	explain    show which rules apply where, and why others do not
//	generate   rewrite the module into _otel/
//	init       prepare the module: go tool, otelgen.yaml, go:generate line
//	check      exit 1 when _otel/ is not what generate would write now
//	comment    post the instrumentation diff as one pull-request comment
//	diff       print the instrumentation diff
//	overlay    write _otel/overlay.json for this machine, from _otel/
//	rules      list the rules in force, or print the rule file schema
//	version    print otelgen's version
//
// Exit codes: 0 success, 1 check found drift, 2 usage or input error,
// 130 interrupted (SIGINT; 143 for SIGTERM), having written nothing.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"testing"

	// The package every hook signature names, so that go mod vendor
	// vendors it with the tool. The integrations' hook packages are modules
	// of their own, which generate adds to the build's go.mod only when
	// their rules apply.
	_ "github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rewriter/emit"
)

// Exit codes.
const (
	exitOK    = 0
	exitDrift = 1
	exitUsage = 2
)

type command struct {
	name    string
	args    string
	summary string
	help    string
	run     func(c *cli, fs *flag.FlagSet, args []string) int
	flags   func(fs *flag.FlagSet)
	// raw commands get their arguments unparsed (they pass them on to the
	// go command); only a lone -h or --help is theirs.
	raw bool
}

var commands []*command

type cli struct {
	ctx    context.Context // cancelled by SIGINT or SIGTERM
	sig    func() os.Signal
	cmd    *command
	fs     *flag.FlagSet
	dir    string
	stdout io.Writer
	stderr io.Writer
}

func main() {
	// generate allocates much and keeps little: collecting less often
	// saves about a fifth of its CPU time on a large program, for a
	// larger peak heap (about 180 MB instead of 110 MB on examples/demo).
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	ctx, sig, stop := interruptible()
	stopProfile := startProfile()
	code := runContext(ctx, sig, os.Args[1:], os.Stdout, os.Stderr)
	stopProfile()
	stop()
	os.Exit(code)
}

// startProfile writes a CPU profile of the run to the file that
// OTELGEN_CPUPROFILE names, for finding where generate spends its time
// (go tool pprof). It returns the function that ends the profile.
func startProfile() func() {
	name := os.Getenv("OTELGEN_CPUPROFILE")
	if name == "" {
		return func() {}
	}
	f, err := os.Create(name)
	if err != nil {
		fmt.Fprintf(os.Stderr, "otelgen: OTELGEN_CPUPROFILE: %v\n", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(os.Stderr, "otelgen: OTELGEN_CPUPROFILE: %v\n", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

func run(args []string, stdout, stderr io.Writer) int {
	return runContext(context.Background(), func() os.Signal { return nil }, args, stdout, stderr)
}

func runContext(ctx context.Context, sig func() os.Signal, args []string, stdout, stderr io.Writer) int {
	c := &cli{ctx: ctx, sig: sig, stdout: stdout, stderr: stderr}
	top := flag.NewFlagSet("otelgen", flag.ContinueOnError)
	top.SetOutput(stderr)
	top.StringVar(&c.dir, "C", ".", "run in `dir` (any directory of the module)")
	top.Usage = func() {} // printed below, to stdout for -help and stderr otherwise
	if err := top.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout)
			return exitOK
		}
		usage(stderr)
		return exitUsage
	}
	args = top.Args()
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	name := args[0]
	if name == "help" {
		if len(args) > 1 {
			name, args = args[1], []string{args[1], "--help"}
		} else {
			usage(stdout)
			return exitOK
		}
	}
	for _, cmd := range commands {
		if cmd.name != name {
			continue
		}
		fs := flag.NewFlagSet("otelgen "+cmd.name, flag.ContinueOnError)
		fs.SetOutput(stderr)
		fs.StringVar(&c.dir, "C", c.dir, "run in `dir` (any directory of the module)")
		if cmd.flags != nil {
			cmd.flags(fs)
		}
		fs.Usage = func() {} // printed below
		if cmd.raw && !(len(args) == 2 && (args[1] == "-h" || args[1] == "-help" || args[1] == "--help")) {
			c.cmd, c.fs = cmd, fs
			return cmd.run(c, fs, args[1:])
		}
		if err := fs.Parse(args[1:]); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				cmdUsage(stdout, cmd, fs)
				return exitOK
			}
			cmdUsage(stderr, cmd, fs)
			return exitUsage
		}
		c.cmd, c.fs = cmd, fs
		return cmd.run(c, fs, fs.Args())
	}
	fmt.Fprintf(stderr, "otelgen: unknown command %q\nRun 'otelgen help' for usage.\n", name)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, "otelgen gives a Go program OpenTelemetry instrumentation at compile time.\n\nUsage:\n\n\totelgen [-C dir] <command> [arguments]\n\nThe commands are:\n\n")
	sorted := append([]*command(nil), commands...)
	slices.SortFunc(sorted, func(a, b *command) int { return strings.Compare(a.name, b.name) })
	for _, c := range sorted {
		fmt.Fprintf(w, "\t%-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nThen build with: go build -overlay=$PWD/_otel/overlay.json ./...\n")
	fmt.Fprint(w, "or with otelgen build, which never builds from a stale _otel/.\n")
	fmt.Fprint(w, "Use 'otelgen <command> --help' for more about a command.\n")
	fmt.Fprint(w, "Exit codes: 0 success, 1 check found drift, 2 usage or input error, 130 interrupted.\n")
}

func cmdUsage(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: otelgen %s%s\n\n%s\n", c.name, c.args, strings.TrimSpace(c.help))
	var hasFlags bool
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprint(w, "\nFlags:\n")
		out := fs.Output()
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(out)
	}
}

// stampedVersion, when set at link time
// (-ldflags=-X main.stampedVersion=v0.0.0-bench), is the version a build
// from a checkout reports instead of "devel": bench/builds.sh measures with
// it what a released otelgen does, since only a release trusts the lock.
var stampedVersion string

// version is otelgen's own module version, as the go command stamped it.
func version() string {
	// Tests stand in for a released otelgen, whose version the quick
	// checks trust, where a devel build's they do not.
	if v := os.Getenv("OTELGEN_TEST_VERSION"); v != "" && testing.Testing() {
		return v
	}
	if stampedVersion != "" {
		return stampedVersion
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" && bi.Main.Replace == nil {
		return bi.Main.Version
	}
	return "devel"
}

func (c *cli) errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	fmt.Fprintf(c.stderr, "otelgen: %s\n", strings.TrimRight(msg, "\n"))
}

// interrupted reports whether a signal stopped the run, and if so says
// that nothing was written and returns the exit status for it.
func (c *cli) interrupted() (int, bool) {
	if c.ctx.Err() == nil {
		return 0, false
	}
	sig := c.sig()
	name := "interrupted"
	if sig == syscall.SIGTERM {
		name = "terminated"
	}
	fmt.Fprintf(c.stderr, "otelgen: %s; nothing was written (%s/ is as it was)\n", name, emit.Dir)
	if sig == nil {
		return exitInterrupted(os.Interrupt), true
	}
	return exitInterrupted(sig), true
}

// usageError reports a misuse of the current command, with its usage.
func (c *cli) usageError(format string, args ...any) int {
	c.errorf(format, args...)
	cmdUsage(c.stderr, c.cmd, c.fs)
	return exitUsage
}
