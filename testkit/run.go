package testkit

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// ProgramTimeout bounds one run of a test program.
const ProgramTimeout = time.Minute

// Env is the test's environment without any OTEL_ variable, then, when r is
// not nil, the exporter settings for r (its endpoint and protocol, and export
// intervals short enough for a program that does not end), then extra. The
// service name is left to its default, the program's name, unless extra sets
// OTEL_SERVICE_NAME.
func Env(r *Receiver, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OTEL_") {
			env = append(env, kv)
		}
	}
	if r != nil {
		env = append(env,
			"OTEL_EXPORTER_OTLP_ENDPOINT="+r.Endpoint,
			"OTEL_EXPORTER_OTLP_PROTOCOL="+r.Protocol,
			"OTEL_BSP_SCHEDULE_DELAY=100",     // milliseconds
			"OTEL_METRIC_EXPORT_INTERVAL=500", // milliseconds
		)
	}
	return append(env, extra...)
}

// Run runs a test program to its end, at most ProgramTimeout, and returns
// its stdout, its stderr and its exit code.
func Run(t testing.TB, path string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), ProgramTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = env
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatalf("%s: %v", path, err)
	}
	if ctx.Err() != nil {
		t.Fatalf("%s did not end in %v\nstdout:\n%s\nstderr:\n%s", path, ProgramTimeout, o.String(), e.String())
	}
	return o.String(), e.String(), code
}

// A Process is a test program running in the background, killed when the
// test ends if it has not ended by then.
type Process struct {
	Cmd   *exec.Cmd
	Stdin io.WriteCloser // the program's stdin; closing it sends EOF

	lines  chan string // its stdout, line by line; closed at EOF
	seen   []string
	stderr lockedBuffer
}

// Start starts a test program.
func Start(t testing.TB, path string, env []string, args ...string) *Process {
	t.Helper()
	p := &Process{Cmd: exec.Command(path, args...), lines: make(chan string, 100)}
	p.Cmd.Env = env
	p.Cmd.Stderr = &p.stderr
	out, err := p.Cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if p.Stdin, err = p.Cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := p.Cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Cmd.Process.Kill() })
	go func() {
		defer close(p.lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
	}()
	return p
}

// WaitLine waits for the program to print want, on a line of its own.
func (p *Process) WaitLine(t testing.TB, want string) {
	t.Helper()
	p.waitFor(t, fmt.Sprintf("%q", want), func(line string) bool { return line == want })
}

// WaitPrefix waits for the program to print a line that starts with prefix,
// and returns the rest of that line.
func (p *Process) WaitPrefix(t testing.TB, prefix string) string {
	t.Helper()
	line := p.waitFor(t, fmt.Sprintf("a line starting with %q", prefix), func(line string) bool { return strings.HasPrefix(line, prefix) })
	return strings.TrimPrefix(line, prefix)
}

// waitFor waits, at most ProgramTimeout, for the program to print a line
// that matches, and returns it.
func (p *Process) waitFor(t testing.TB, what string, match func(string) bool) string {
	t.Helper()
	timeout := time.After(ProgramTimeout)
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				p.Cmd.Wait()
				t.Fatalf("%s ended (%v) before printing %s:\n%s\nstderr:\n%s", p.Cmd.Path, p.Cmd.ProcessState, what, strings.Join(p.seen, "\n"), p.Stderr())
			}
			p.seen = append(p.seen, line)
			if match(line) {
				return line
			}
		case <-timeout:
			t.Fatalf("%s did not print %s in %v:\n%s\nstderr:\n%s", p.Cmd.Path, what, ProgramTimeout, strings.Join(p.seen, "\n"), p.Stderr())
		}
	}
}

// Wait reads the rest of the program's output and waits, at most
// ProgramTimeout, for it to end; it returns all the program printed to
// stdout and how it ended.
func (p *Process) Wait(t testing.TB) (stdout string, state *os.ProcessState) {
	t.Helper()
	timer := time.AfterFunc(ProgramTimeout, func() { p.Cmd.Process.Kill() })
	defer timer.Stop()
	for line := range p.lines {
		p.seen = append(p.seen, line)
	}
	p.Cmd.Wait()
	return strings.Join(p.seen, "\n"), p.Cmd.ProcessState
}

// Stderr is what the program has printed to stderr so far.
func (p *Process) Stderr() string { return p.stderr.String() }

// lockedBuffer is a bytes.Buffer that a test may read while the program
// writes to it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
