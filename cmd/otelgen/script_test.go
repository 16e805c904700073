package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/rules"
	"github.com/rogpeppe/go-internal/testscript"
)

var updateScripts = flag.Bool("update", false, "rewrite the expected files of failing cmp commands in testdata/script")

// TestMain lets the test binary stand in for the otelgen command: scripts run
// "otelgen ..." (or "exec otelgen ...") as a separate process that enters the
// real main, so exit codes, stdout and stderr are what a user sees.
//
// Every script's generates share one cache of type information, made here
// for this run of the test binary (unless OTELGEN_CACHE names one already),
// so that the standard library is type-checked once, not once per script.
func TestMain(m *testing.M) {
	testscript.Main(sharedCache{m}, map[string]func(){"otelgen": main})
}

// sharedCache runs the tests with OTELGEN_CACHE set, to a temporary
// directory removed afterwards unless the environment set it already.
type sharedCache struct{ m *testing.M }

func (s sharedCache) Run() int {
	if os.Getenv("OTELGEN_CACHE") == "" {
		dir, err := os.MkdirTemp("", "otelgen-script-cache-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		defer os.RemoveAll(dir)
		os.Setenv("OTELGEN_CACHE", dir)
	}
	return s.m.Run()
}

// passEnv are the go command's settings that the scripts share with the
// real environment, so that they use the same module cache and build cache
// (fast, and offline when the cache is warm).
var passEnv = []string{
	"GOPATH", "GOMODCACHE", "GOCACHE", "GOFLAGS", "GOPROXY", "GOSUMDB",
	"GONOSUMDB", "GONOPROXY", "GOPRIVATE", "GOINSECURE", "GOTOOLCHAIN",
}

// TestScripts runs testdata/script/*.txtar.
//
// Each script holds a small module whose go.mod replaces
// github.com/otelgen/otelgen with the literal text $OTELGEN_ROOT; Setup
// substitutes the repository root for it, since testscript does not expand
// variables inside archive files. In *.yaml files it substitutes
// $OTELGEN_BUILTIN_IDS with the flow list of every built-in rule id, so that
// "disable: $OTELGEN_BUILTIN_IDS" turns the built-in rules off: most scripts
// do, to test the command line on the module's own rules, quickly (the SDK
// hooks make each generate several times slower) and whatever built-in
// rules come and go. Scripts can also use:
//
//	$OTELGEN_ROOT  the root of this repository
//	$GOROOT_SRC    the go command's GOROOT/src, where std originals live
//	exits N cmd [args...]
//	               run cmd like exec and require exit status N
//	validjson file require file to hold one valid JSON value
//	replace file old new
//	               edit file as a user would: replace the first old by new
func TestScripts(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command in PATH")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root not found: %v", err)
	}
	goEnv := readGoEnv(t, append([]string{"GOROOT"}, passEnv...))
	builtin, err := rules.Builtin()
	if err != nil {
		t.Fatalf("built-in rules: %v", err)
	}
	var ids []string
	for _, r := range builtin {
		ids = append(ids, r.ID)
	}
	builtinIDs := "[" + strings.Join(ids, ", ") + "]"
	testscript.Run(t, testscript.Params{
		Dir:                "testdata/script",
		UpdateScripts:      *updateScripts,
		RequireUniqueNames: true,
		ContinueOnError:    true,
		Setup: func(e *testscript.Env) error {
			for _, k := range passEnv {
				if v := goEnv[k]; v != "" {
					e.Setenv(k, v)
				}
			}
			if home, err := os.UserHomeDir(); err == nil {
				e.Setenv("HOME", home)
			}
			// A go.work above $WORK must not pull the script's module in.
			e.Setenv("GOWORK", "off")
			// Progress lines appear after 2 s: a slow machine must not
			// change what a script sees. progress.txtar turns them on.
			e.Setenv("OTELGEN_PROGRESS_AFTER", "off")
			e.Setenv("OTELGEN_CACHE", os.Getenv("OTELGEN_CACHE"))
			e.Setenv("OTELGEN_ROOT", root)
			e.Setenv("GOROOT_SRC", filepath.Join(goEnv["GOROOT"], "src"))
			return substitute(e.WorkDir, map[string]string{
				"go.mod": "$OTELGEN_ROOT",
				".yaml":  "$OTELGEN_BUILTIN_IDS",
			}, map[string]string{
				"$OTELGEN_ROOT":        filepath.ToSlash(root),
				"$OTELGEN_BUILTIN_IDS": builtinIDs,
			})
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":     cmdExits,
			"validjson": cmdValidJSON,
			"replace":   cmdReplace,
		},
	})
}

// readGoEnv asks the go command for the values of vars as it sees them,
// including those set in its configuration file.
func readGoEnv(t *testing.T, vars []string) map[string]string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"env", "-json"}, vars...)...).Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	env := map[string]string{}
	if err := json.Unmarshal(out, &env); err != nil {
		t.Fatalf("go env: %v", err)
	}
	return env
}

// substitute replaces placeholders in the files under dir whose names are,
// or end with, a key of files: the placeholder named there by its value in
// values.
func substitute(dir string, files, values map[string]string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		var placeholder string
		for suffix, ph := range files {
			if strings.HasSuffix(d.Name(), suffix) {
				placeholder = ph
			}
		}
		if placeholder == "" {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		data = bytes.ReplaceAll(data, []byte(placeholder), []byte(values[placeholder]))
		return os.WriteFile(p, data, 0o666)
	})
}

// cmdExits runs a command as exec does and checks its exit status.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exits")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exits status command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad status %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// cmdReplace edits a file in place: it replaces the first occurrence of old
// by new, and fails when old is absent.
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace file old new")
	}
	old, new := args[1], args[2]
	data := ts.ReadFile(args[0])
	if !strings.Contains(data, old) {
		ts.Fatalf("replace: %q not found in %s", old, args[0])
	}
	data = strings.Replace(data, old, new, 1)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(data), 0o666))
}

// cmdValidJSON checks that a file (or stdout, as "stdout") holds valid JSON.
func cmdValidJSON(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: validjson file")
	}
	data := ts.ReadFile(args[0])
	var v any
	err := json.Unmarshal([]byte(data), &v)
	switch {
	case err != nil && !neg:
		ts.Fatalf("%s is not valid JSON: %v", args[0], err)
	case err == nil && neg:
		ts.Fatalf("%s is valid JSON", args[0])
	}
}
