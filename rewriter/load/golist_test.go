package load

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestListDirect checks that listDirect builds the very packages that
// packages.Load builds from the same configuration: the roots in order, and
// for every package reachable its names, files, module, errors and imports.
func TestListDirect(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list six times")
	}
	mod := t.TempDir()
	write := func(rel, data string) {
		p := filepath.Join(mod, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/app\n\ngo 1.22\n")
	write("main.go", "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/app/lib\"\n)\n\nfunc main() { fmt.Println(lib.X) }\n")
	write("lib/lib.go", "package lib\n\nimport _ \"embed\"\n\n//go:embed data.txt\nvar X string\n")
	write("lib/data.txt", "hello\n")
	write("lib/asm_amd64.s", "\n")
	write("lib/asm.go", "package lib\n")
	write("lib/ignored.go", "//go:build never\n\npackage lib\n")
	write("lib/c.go", "package lib\n\n// int one(void) { return 1; }\nimport \"C\"\n")
	write("bad/bad.go", "packag bad\n")
	write("missing/m.go", "package missing\n\nimport _ \"example.com/nope/x\"\n")
	write("alias/a.go", "package alias\n\nimport _ \"net/http\"\n")

	base := func() *packages.Config {
		return &packages.Config{
			Mode:       packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps | packages.NeedModule,
			Dir:        mod,
			Env:        append(os.Environ(), "GOWORK=off", "GOPACKAGESDRIVER=off"),
			BuildFlags: []string{"-mod=readonly"},
		}
	}
	modfileCfg := func() *packages.Config {
		dir := t.TempDir()
		gomod := filepath.Join(dir, "go.mod")
		if err := os.WriteFile(gomod, []byte("module example.com/app\n\ngo 1.22\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg := base()
		cfg.BuildFlags = []string{"-mod=mod", "-modfile=" + gomod}
		cfg.Overlay = map[string][]byte{filepath.Join(mod, "stub", "stub.go"): []byte("package stub\n\nimport _ \"net/http\"\n")}
		return cfg
	}
	for _, c := range []struct {
		name string
		cfg  func() *packages.Config
		args []string
		ok   bool // listDirect answers itself
	}{
		{"program and std", base, []string{".", "./lib", "runtime"}, true},
		{"every package", base, []string{"./..."}, true},
		{"errors", base, []string{"./bad", "./missing", "runtime"}, true},
		{"vendored std imports", base, []string{"./alias"}, true},
		{"modfile and overlay", modfileCfg, []string{".", "./stub", "runtime"}, true},
		{"no such directory", base, []string{"./nowhere"}, true},
		{"no main module", func() *packages.Config {
			cfg := base()
			cfg.Env = append(cfg.Env, "GO111MODULE=on", "GOFLAGS=-modfile="+filepath.Join(mod, "none.mod"))
			return cfg
		}, []string{"."}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := c.cfg()
			got, err := listDirect(cfg, c.args)
			if !c.ok {
				if err != errFallBack {
					t.Fatalf("listDirect: %v, want it to leave the load to go/packages", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("listDirect: %v", err)
			}
			want, err := packages.Load(cfg, c.args...)
			if err != nil {
				t.Fatal(err)
			}
			if d := diffGraphs(got, want); d != "" {
				t.Error(d)
			}
		})
	}
}

// diffGraphs describes the first differences between two loads, or "".
func diffGraphs(got, want []*packages.Package) string {
	ids := func(ps []*packages.Package) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.ID)
		}
		return out
	}
	var d []string
	if g, w := ids(got), ids(want); !slices.Equal(g, w) {
		d = append(d, fmt.Sprintf("roots %v, want %v", g, w))
	}
	all := func(roots []*packages.Package) map[string]*packages.Package {
		m := map[string]*packages.Package{}
		packages.Visit(roots, nil, func(p *packages.Package) { m[p.ID] = p })
		return m
	}
	g, w := all(got), all(want)
	for id, wp := range w {
		gp := g[id]
		if gp == nil {
			d = append(d, "missing "+id)
			continue
		}
		imports := func(p *packages.Package) map[string]string {
			m := map[string]string{}
			for path, q := range p.Imports {
				m[path] = q.ID
			}
			return m
		}
		for _, f := range []struct {
			name      string
			got, want any
		}{
			{"Name", gp.Name, wp.Name},
			{"PkgPath", gp.PkgPath, wp.PkgPath},
			{"Dir", gp.Dir, wp.Dir},
			{"GoFiles", gp.GoFiles, wp.GoFiles},
			{"CompiledGoFiles", gp.CompiledGoFiles, wp.CompiledGoFiles},
			{"OtherFiles", gp.OtherFiles, wp.OtherFiles},
			{"IgnoredFiles", gp.IgnoredFiles, wp.IgnoredFiles},
			{"EmbedFiles", gp.EmbedFiles, wp.EmbedFiles},
			{"ExportFile", gp.ExportFile, wp.ExportFile},
			{"Module", gp.Module, wp.Module},
			{"Errors", gp.Errors, wp.Errors},
			{"Imports", imports(gp), imports(wp)},
		} {
			if !reflect.DeepEqual(f.got, f.want) {
				d = append(d, fmt.Sprintf("%s: %s = %#v, want %#v", id, f.name, f.got, f.want))
			}
		}
	}
	for id := range g {
		if w[id] == nil {
			d = append(d, "extra "+id)
		}
	}
	slices.Sort(d)
	return strings.Join(d, "\n")
}
