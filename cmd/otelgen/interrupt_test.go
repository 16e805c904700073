//go:build unix

package main

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestInterrupt runs generate as a separate process (this test binary,
// under the name otelgen), with the built-in rules so that it takes
// seconds, and signals it once it reports a stage: it must stop, say that
// nothing was written, exit 128+signal, leave _otel/ byte-identical, and
// leave no temporary directory behind, in the module or in TMPDIR.
func TestInterrupt(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command in PATH")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	otelgen := filepath.Join(bin, "otelgen")
	if err := os.Symlink(exe, otelgen); err != nil {
		t.Skipf("cannot link the test binary as otelgen: %v", err)
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/app\n\ngo 1.26.0\n\nrequire github.com/otelgen/otelgen v0.0.0\n\nreplace github.com/otelgen/otelgen => "+filepath.ToSlash(repo)+"\n")
	write("main.go", "package main\n\nimport \"net/http\"\n\nfunc main() { http.Get(\"http://localhost/\") }\n")

	tmpdir := t.TempDir()
	command := func() *exec.Cmd {
		cmd := exec.Command(otelgen, "generate")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off", "TMPDIR="+tmpdir, "OTELGEN_PROGRESS_AFTER=0s")
		return cmd
	}
	if out, err := command().CombinedOutput(); err != nil {
		t.Fatalf("first generate: %v\n%s", err, out)
	}
	before := readAll(t, filepath.Join(dir, "_otel"))

	for _, tc := range []struct {
		name  string
		stage string // signal once stderr shows this
		sig   syscall.Signal
		code  int
		msg   string
	}{
		{"SIGINT while loading", "otelgen: loading packages", syscall.SIGINT, 130, "otelgen: interrupted; nothing was written (_otel/ is as it was)"},
		{"SIGTERM while type-checking", "otelgen: type-checking", syscall.SIGTERM, 143, "otelgen: terminated; nothing was written (_otel/ is as it was)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A change, so that generate has to load again.
			write("main.go", "package main\n\nimport \"net/http\"\n\nfunc main() { http.Get(\"http://localhost/"+tc.name[:3]+"\") }\n")
			cmd := command()
			var stdout bytes.Buffer
			cmd.Stdout = &stdout
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var lines []string
			sc := bufio.NewScanner(stderr)
			sent := false
			for sc.Scan() {
				lines = append(lines, sc.Text())
				if !sent && strings.HasPrefix(sc.Text(), tc.stage) {
					cmd.Process.Signal(tc.sig)
					sent = true
				}
			}
			err = cmd.Wait()
			if !sent {
				t.Fatalf("generate never reported %q: %v\nstderr:\n%s", tc.stage, err, strings.Join(lines, "\n"))
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tc.code {
				t.Errorf("generate: %v, want exit status %d", err, tc.code)
			}
			if last := lines[len(lines)-1]; last != tc.msg {
				t.Errorf("last line of stderr: %q, want %q\nstderr:\n%s", last, tc.msg, strings.Join(lines, "\n"))
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout: %s", stdout.Bytes())
			}
			after := readAll(t, filepath.Join(dir, "_otel"))
			for p, data := range before {
				if !bytes.Equal(after[p], data) {
					t.Errorf("_otel/%s changed", p)
				}
			}
			for p := range after {
				if _, ok := before[p]; !ok {
					t.Errorf("_otel/%s appeared", p)
				}
			}
			for _, d := range []string{dir, tmpdir} {
				entries, _ := os.ReadDir(d)
				for _, e := range entries {
					if strings.HasPrefix(e.Name(), ".") || strings.HasPrefix(e.Name(), "otelgen-") {
						t.Errorf("left behind: %s", filepath.Join(d, e.Name()))
					}
				}
			}
		})
	}
}

// readAll reads every file under dir, by slash path, and where each link
// there points.
func readAll(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.Type()&fs.ModeSymlink != 0 {
			// A link to the module cache: what it points to.
			target, err := os.Readlink(p)
			m[filepath.ToSlash(rel)] = []byte("-> " + target)
			return err
		}
		data, err := os.ReadFile(p)
		m[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
