package e2e

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestInit runs otelgen init on the modules of testdata/init, which require
// at old versions modules that otelgen's dependency graph requires at newer
// ones, and import their packages. init upgrades those modules, and go get
// -tool can record in go.sum only the go.mod hash of an upgraded module
// whose packages the tool does not import: go build then failed with
// "missing go.sum entry" after an init that said it had succeeded. After
// init, run by itself or after go get -tool, each module must build and pass
// its tests as it is, and build and run with the overlay that generate
// writes.
func TestInit(t *testing.T) {
	if testing.Short() {
		t.Skip("downloads modules and builds real programs")
	}
	// The checksum database may be out of reach where the module proxy is
	// not; what init downloads is what go.mod already selects.
	t.Setenv("GOSUMDB", "off")
	for _, tc := range []struct {
		name     string
		module   string   // under testdata/init
		getTool  bool     // run go get -tool before init, as the README's quick start does
		upgrades []string // modules the program imports, one of which init must upgrade
		args     []string // the program's arguments
		want     string   // and its output
	}{
		{
			name:     "digest",
			module:   "digest",
			upgrades: []string{"golang.org/x/crypto", "golang.org/x/net", "github.com/google/go-cmp"},
			args:     []string{"otel", "<otel>"},
			want:     digestOutput,
		},
		{
			name:     "digest-get-tool-first",
			module:   "digest",
			getTool:  true,
			upgrades: []string{"golang.org/x/crypto", "golang.org/x/net", "github.com/google/go-cmp"},
			args:     []string{"otel", "<otel>"},
			want:     digestOutput,
		},
		{
			name:     "gin",
			module:   "gin",
			upgrades: []string{"golang.org/x/crypto", "golang.org/x/net", "golang.org/x/text", "google.golang.org/protobuf"},
			want:     "200 {\"message\":\"pong\"}\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyModule(t, filepath.Join("init", tc.module))
			run(t, dir, 0, "go", "build", "./...") // it builds before init
			warmInitCache(t, dir)
			var upgrades string
			if tc.getTool {
				upgrades = runOffline(t, dir, "go", "get", "-tool", "github.com/otelgen/otelgen/cmd/otelgen@v0.0.0")
			}

			out := run(t, dir, 0, otelgen, "init")
			t.Logf("otelgen init:\n%s", out)
			if !tc.getTool {
				upgrades = out
			}
			if !slices.ContainsFunc(tc.upgrades, func(m string) bool { return strings.Contains(upgrades, " upgraded "+m+" ") }) {
				t.Fatalf("none of %v upgraded, so this case tests nothing:\n%s", tc.upgrades, upgrades)
			}
			if !strings.Contains(out, "\nnext steps:\n") {
				t.Fatalf("otelgen init: no next steps:\n%s", out)
			}
			run(t, dir, 0, "go", "build", "./...")
			run(t, dir, 0, "go", "list", "-deps", "-test", "./...")
			run(t, dir, 0, "go", "test", "./...")

			// A second init finds nothing to do.
			mod, sum := readFile(t, dir, "go.mod"), readFile(t, dir, "go.sum")
			out = run(t, dir, 0, otelgen, "init")
			if !strings.Contains(out, "go.mod: unchanged") || strings.Contains(out, "go.sum:") {
				t.Errorf("second otelgen init changed something:\n%s", out)
			}
			if readFile(t, dir, "go.mod") != mod || readFile(t, dir, "go.sum") != sum {
				t.Errorf("second otelgen init changed go.mod or go.sum")
			}

			run(t, dir, 0, otelgen, "generate")
			bin := filepath.Join(t.TempDir(), exe("app"))
			run(t, dir, 0, "go", "build", trimpath, overlayFlag(dir), "-o", bin, ".")
			env := otelEnv(nil, "OTEL_TRACES_EXPORTER=none", "OTEL_METRICS_EXPORTER=none", "OTEL_LOGS_EXPORTER=none")
			stdout, stderr, code := runProgram(t, bin, env, tc.args...)
			if code != 0 || stdout != tc.want {
				t.Errorf("instrumented program: exit %d, stdout %q, want exit 0, stdout %q\nstderr:\n%s", code, stdout, tc.want, stderr)
			}
		})
	}
}

// digestOutput is what testdata/init/digest prints for "otel" and "<otel>".
const digestOutput = `fad882955ec9e62a691294b731995698932b7a77ec779f2725baee81e5390fbe  otel
d7cf0c11f48f1db96541d91676ffa885017121d27ceae5dc1ba8fb4525b99865  &lt;otel&gt;
same: false
`

// warmInitCache puts in the module cache what init needs to add the tool
// to the module in dir offline, as it does when go.mod replaces otelgen:
// the go.mod files of the module graph with otelgen required, and of the
// versions go get upgrades to, and the modules of the tool's packages and
// of the program's at those versions. It runs the go get -tool that init
// runs, online, on a copy of the module, so that a machine whose module
// cache no other test filled runs this test as any other.
func warmInitCache(t *testing.T, dir string) {
	t.Helper()
	scratch := t.TempDir()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			return os.Mkdir(filepath.Join(scratch, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(scratch, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	// A proxy that answers 403 for a package path that is no module (as
	// here) needs "|off" to go on to the module's path.
	proxy, _, _ := strings.Cut(strings.TrimSpace(run(t, scratch, 0, "go", "env", "GOPROXY")), ",")
	cmd := exec.Command("go", "get", "-tool", "github.com/otelgen/otelgen/cmd/otelgen@v0.0.0")
	cmd.Dir = scratch
	cmd.Env = append(os.Environ(), "GOFLAGS=")
	if proxy != "off" && proxy != "direct" {
		cmd.Env = append(cmd.Env, "GOPROXY="+proxy+"|off")
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go get -tool, to fill the module cache: %v\n%s", err, out)
	}
	run(t, scratch, 0, "go", "list", "-mod=mod", "-deps", "-test", "./...")
}

// runOffline is run with GOPROXY=off.
func runOffline(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOPROXY=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
