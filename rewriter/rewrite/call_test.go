package rewrite

import (
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/rewriter/match"
	"github.com/otelgen/otelgen/rules"
	"golang.org/x/tools/go/packages"
)

// TestCall checks which calls a call rule wraps in a file, what it writes
// there, and that no line moves.
func TestCall(t *testing.T) {
	for _, c := range []struct {
		name, src, want, err string
		wrapper              string // "" for w.Open
	}{
		{
			name: "a call",
			src:  "package app\n\nimport \"example.com/db\"\n\nfunc F() int {\n\treturn db.Open(\"x\") + db.Close()\n}\n",
			want: "package app; import otelgen_w \"example.com/w\"\n\nimport \"example.com/db\"\n\nfunc F() int {\n\treturn otelgen_w.Open(\"x\") + db.Close()\n}\n",
		},
		{
			name: "the only use keeps the import",
			src:  "package app\n\nimport d \"example.com/db\"\n\nfunc F() int { return d.Open(\"x\") }\n",
			want: "package app; import otelgen_w \"example.com/w\"\n\nimport d \"example.com/db\"\n\nfunc F() int { return otelgen_w.Open(\"x\") }\n\nvar _ = d.Open // the calls of example.com/db.Open above call example.com/w.Open\n",
		},
		{
			name: "a wrapper the file imports",
			src:  "package app\n\nimport (\n\t\"example.com/db\"\n\tww \"example.com/w\"\n)\n\nvar _ = ww.Open\n\nfunc F() int { return db.Open(\"x\") + db.Close() }\n",
			want: "package app\n\nimport (\n\t\"example.com/db\"\n\tww \"example.com/w\"\n)\n\nvar _ = ww.Open\n\nfunc F() int { return ww.Open(\"x\") + db.Close() }\n",
		},
		{
			name: "a value, a shadowing variable and a dot-import are left alone",
			src:  "package app\n\nimport (\n\t\"example.com/db\"\n\t. \"example.com/db\"\n)\n\nvar open = db.Open\n\nfunc F(db interface{ Open(string) int }) int { return db.Open(\"x\") + Open(\"y\") }\n",
			want: "",
		},
		{
			name: "a call split over lines",
			src:  "package app\n\nimport \"example.com/db\"\n\nfunc F() int {\n\treturn db.\n\t\tOpen(\"x\")\n}\n",
			err:  `rule "w": field "function": ` + "%DIR%" + `/app.go: a call of example.com/db.Open is split over lines: write it on one`,
		},
		{
			name: "a package that does not import the callee's",
			src:  "package app\n\nfunc F() int { return 1 }\n",
			err:  `rule "w": field "package": example.com/app does not import example.com/db`,
		},
		{
			name:    "a wrapper that does not fit",
			src:     "package app\n\nimport \"example.com/db\"\n\nfunc F() int { return db.Open(\"x\") }\n",
			wrapper: "Bad",
			err:     "rule \"w\": field \"wrapper\": example.com/w.Bad does not fit example.com/db.Open: it must take the same parameters and return the same results:\n\twrapper: func(n int) int\n\twant:    func(name string) int",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			name := filepath.Join(dir, "app.go")
			if err := os.WriteFile(name, []byte(c.src), 0o644); err != nil {
				t.Fatal(err)
			}
			db, w := fakePkg("example.com/db", "db", "Open", "name", types.Typ[types.String]), fakePkg("example.com/w", "w", "Open", "name", types.Typ[types.String])
			db.Scope().Insert(types.NewFunc(0, db, "Close", types.NewSignatureType(nil, nil, nil, nil, types.NewTuple(types.NewParam(0, db, "", types.Typ[types.Int])), false)))
			bad := fakePkg("example.com/w", "w", "Bad", "n", types.Typ[types.Int])
			w.Scope().Insert(bad.Scope().Lookup("Bad"))
			app := types.NewPackage("example.com/app", "app")
			app.SetImports([]*types.Package{db})
			wrapper := "Open"
			if c.wrapper != "" {
				wrapper = c.wrapper
			}
			rs, err := rules.ParseRules("r.yaml", []byte("rules:\n  - id: w\n    kind: call\n    package: example.com/db\n    function: Open\n    wrapper: example.com/w."+wrapper+"\n"), nil)
			if err != nil {
				t.Fatal(err)
			}
			pkg := &packages.Package{ID: "example.com/app", PkgPath: "example.com/app", Name: "app", Dir: dir, GoFiles: []string{name}}
			if strings.Contains(c.src, `"example.com/db"`) {
				pkg.Imports = map[string]*packages.Package{"example.com/db": {ID: "example.com/db", PkgPath: "example.com/db", Name: "db"}}
			}
			imported := func(path string) (*types.Package, error) {
				if path == "example.com/db" {
					return db, nil
				}
				return w, nil
			}
			res, err := Package(pkg, []*match.Match{{Rule: rs[0], Pkg: pkg}}, app, imported, nil)
			if c.err != "" {
				if want := strings.ReplaceAll(c.err, "%DIR%", dir); err == nil || !strings.HasSuffix(err.Error(), want) {
					t.Fatalf("error %v, want one ending in %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.want == "" {
				if len(res.Files) != 0 {
					t.Fatalf("rewrote %s:\n%s", res.Files[0].Path, res.Files[0].Output)
				}
				return
			}
			if len(res.Files) != 1 {
				t.Fatalf("%d files, want 1", len(res.Files))
			}
			f := res.Files[0]
			if got := string(f.Output); got != c.want {
				t.Errorf("output:\n%s\nwant:\n%s", got, c.want)
			}
			// No line moves: the same number of lines, but for the line
			// that keeps the import, at the end.
			body := string(f.Output)
			if strings.Contains(body, "// the calls of") {
				body = body[:strings.LastIndex(body, "\n\nvar _ = ")]
			}
			if got, want := strings.Count(strings.TrimSuffix(body, "\n")+"\n", "\n"), strings.Count(c.src, "\n"); got != want {
				t.Errorf("%d lines, want %d", got, want)
			}
			if len(f.Injections) == 0 || f.Injections[0].Kind != "call" || f.Injections[0].Target != "example.com/db.Open" {
				t.Errorf("injections %+v", f.Injections)
			}
			for _, in := range f.Injections {
				if line := strings.Split(c.src, "\n")[in.Line-1]; !strings.Contains(line, ".Open(") {
					t.Errorf("injection at line %d, which has no call: %q", in.Line, line)
				}
			}
		})
	}
}

// fakePkg is a package with one function of one parameter that returns an
// int.
func fakePkg(path, name, fn, param string, typ types.Type) *types.Package {
	p := types.NewPackage(path, name)
	sig := types.NewSignatureType(nil, nil, nil, types.NewTuple(types.NewParam(0, p, param, typ)), types.NewTuple(types.NewParam(0, p, "", types.Typ[types.Int])), false)
	p.Scope().Insert(types.NewFunc(0, p, fn, sig))
	return p
}
