package typecheck

import (
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/go/packages"
)

// timeout bounds every call into a Universe in these tests: a deadlock
// would otherwise hang the test binary until go test kills it.
const timeout = 20 * time.Second

// within runs f and fails the test if it does not return in time.
func within(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(timeout):
		buf := make([]byte, 1<<20)
		t.Fatalf("no return after %v: deadlock?\n%s", timeout, buf[:runtime.Stack(buf, true)])
	}
}

// writeFiles writes files, by slash-separated name, under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// loadModule writes files as a module in a new directory and loads ./...
// with its dependencies as rewriter/load does, offline. It returns every
// package by ID, and the module's directory.
func loadModule(t *testing.T, files map[string]string) (map[string]*packages.Package, string) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command in PATH")
	}
	dir := t.TempDir()
	writeFiles(t, dir, files)
	cfg := &packages.Config{
		Mode:       packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps | packages.NeedModule,
		Dir:        dir,
		Env:        append(os.Environ(), "GOWORK=off", "GOFLAGS=", "GOPROXY=off", "GOSUMDB=off"),
		BuildFlags: []string{"-mod=readonly"},
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]*packages.Package{}
	packages.Visit(pkgs, nil, func(p *packages.Package) { all[p.ID] = p })
	return all, dir
}

// wantErr fails the test unless err is an error whose text holds every one
// of subs.
func wantErr(t *testing.T, what string, err error, subs ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want one naming %q", what, subs)
		return
	}
	for _, s := range subs {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("%s: error %q does not name %q", what, err, s)
		}
	}
}

// TestUnresolvedImport loads a module importing a package that no module
// provides. The main package imports it after a deeper package has, so go
// list reports it on a shorter import stack ending in the package itself,
// from which go/packages takes the position of the deeper import as the
// package's file: type-checking that file would import the package again,
// inside its own check.
func TestUnresolvedImport(t *testing.T) {
	const missing = "example.com/missing/pkg"
	all, dir := loadModule(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n",
		"main.go": `package main

import (
	"example.com/m/a"
	"example.com/missing/pkg"
)

func main() { println(a.X, pkg.X) }
`,
		"a/a.go": "package a\n\nimport \"example.com/m/b\"\n\nvar X = b.X\n",
		"b/b.go": "package b\n\nimport \"example.com/missing/pkg\"\n\nvar X, Y = pkg.X, 1\n",
	})
	bFile := filepath.Join(dir, "b", "b.go")
	mainFile := filepath.Join(dir, "main.go")
	p := all[missing]
	if p == nil || len(p.Errors) == 0 {
		t.Fatalf("go/packages returned no error package for %s: %+v", missing, p)
	}
	if len(p.GoFiles) == 1 && p.GoFiles[0] == bFile {
		t.Logf("%s holds its importer's file %s, as in issue 13", missing, bFile)
	} else {
		t.Logf("%s holds files %v: go/packages no longer gives it its importer's file", missing, p.GoFiles)
	}

	u := New(all, runtime.GOARCH)
	within(t, func() {
		_, err := u.Package(missing)
		wantErr(t, "Package(missing)", err, missing, "could not be resolved")

		// A dependency that imports it is checked: its other
		// declarations have their types.
		pb, err := u.Package("example.com/m/b")
		if err != nil {
			t.Errorf("Package(b): %v", err)
		} else if pb.Scope().Lookup("Y") == nil {
			t.Errorf("Package(b) lacks Y")
		}
		if _, err := u.Package("example.com/m/a"); err != nil {
			t.Errorf("Package(a): %v", err)
		}
		if _, err := u.Package("example.com/m"); err != nil {
			t.Errorf("Package(main): %v", err)
		}

		// The packages that rules target must resolve every import.
		_, err = u.Source("example.com/m/b")
		wantErr(t, "Source(b)", err, `cannot type-check example.com/m/b: import "`+missing+`"`, bFile+":3:8", "could not be resolved", "cannot find module")
		_, err = u.Source("example.com/m")
		wantErr(t, "Source(main)", err, `import "`+missing+`"`, mainFile)
		_, err = u.Check("example.com/m/b", nil, Bodies{All: true})
		wantErr(t, "Check(b)", err, `import "`+missing+`"`, bFile)
		if _, err := u.Source("example.com/m/a"); err != nil {
			t.Errorf("Source(a): %v", err)
		}
		if errs, err := u.Check("example.com/m/a", nil, Bodies{All: true}); err != nil || len(errs) > 0 {
			t.Errorf("Check(a) = %q, %v", errs, err)
		}
	})

	// The same, every request at once, in a fresh universe.
	u = New(all, runtime.GOARCH)
	within(t, func() {
		var wg sync.WaitGroup
		for id := range all {
			wg.Add(3)
			go func() { defer wg.Done(); u.Package(id) }()
			go func() { defer wg.Done(); u.Source(id) }()
			go func() { defer wg.Done(); u.Check(id, nil, Bodies{All: true}) }()
		}
		wg.Wait()
	})
}

// TestImportCycle loads packages that import each other. go list reports the
// cycle and drops one edge from Imports, but the file still imports the
// package.
func TestImportCycle(t *testing.T) {
	all, _ := loadModule(t, map[string]string{
		"go.mod": "module example.com/c\n\ngo 1.22\n",
		"a/a.go": "package a\n\nimport \"example.com/c/b\"\n\nvar X = b.Y\n\nvar Z = 1\n",
		"b/b.go": "package b\n\nimport \"example.com/c/a\"\n\nvar Y = a.Z\n",
	})
	if len(all["example.com/c/a"].Errors) == 0 {
		t.Logf("go list reports no cycle on a: %+v", all["example.com/c/a"])
	}
	for i := 0; i < 5; i++ {
		u := New(all, runtime.GOARCH)
		within(t, func() {
			var wg sync.WaitGroup
			for _, id := range []string{"example.com/c/a", "example.com/c/b"} {
				wg.Add(3)
				go func() {
					defer wg.Done()
					if _, err := u.Package(id); err != nil {
						t.Errorf("Package(%s): %v", id, err)
					}
				}()
				go func() {
					defer wg.Done()
					if _, err := u.Source(id); err != nil {
						t.Errorf("Source(%s): %v", id, err)
					}
				}()
				go func() {
					defer wg.Done()
					if _, err := u.Check(id, nil, Bodies{All: true}); err != nil {
						t.Errorf("Check(%s): %v", id, err)
					}
				}()
			}
			wg.Wait()
		})
	}

	// Asked for a first, b's check finds a's under way, waiting for b's:
	// b's import of a fails, and a gets b's types but for that.
	u := New(all, runtime.GOARCH)
	within(t, func() {
		pa, err := u.Package("example.com/c/a")
		if err != nil {
			t.Fatal(err)
		}
		pb, err := u.Package("example.com/c/b")
		if err != nil {
			t.Fatal(err)
		}
		if typ := pb.Scope().Lookup("Y").Type(); typ != types.Typ[types.Invalid] {
			t.Errorf("b.Y has type %v, want invalid: b imports a, under way", typ)
		}
		if pa.Scope().Lookup("X") == nil || pa.Scope().Lookup("Z").Type() != types.Typ[types.Int] {
			t.Errorf("a lacks X or Z int")
		}
	})
}

// TestCycleError checks the error for a request that would wait for a check
// waiting for the requester.
func TestCycleError(t *testing.T) {
	u := New(map[string]*packages.Package{}, runtime.GOARCH)
	a := &entry{id: "x/a", waits: map[*entry]int{}}
	b := &entry{id: "x/b", waits: map[*entry]int{}}
	c := &entry{id: "x/c", waits: map[*entry]int{}}
	// a's check waits for b's, which waits for c's.
	a.waits[b] = 1
	b.waits[c] = 1
	u.entries["x/a"], u.entries["x/b"], u.entries["x/c"] = a, b, c
	within(t, func() {
		_, err := u.pkg(c, "x/a")
		wantErr(t, "c importing a", err, "import cycle not allowed: x/c imports x/a imports x/b imports x/c")
		_, err = u.pkg(a, "x/a")
		wantErr(t, "a importing a", err, "import cycle not allowed: x/a imports x/a")
	})
	if len(c.waits) != 0 || len(a.waits) != 1 {
		t.Errorf("a failed request left a wait: %v %v", a.waits, c.waits)
	}
}

// TestReentry checks hand-made graphs that would make a check wait for
// itself: no go list involved, so that they stay whatever go/packages does.
func TestReentry(t *testing.T) {
	dir := t.TempDir()
	file := func(name, src string) string {
		writeFiles(t, dir, map[string]string{name: src})
		return filepath.Join(dir, filepath.FromSlash(name))
	}
	pkg := func(path string, files ...string) *packages.Package {
		d := ""
		if len(files) > 0 {
			d = filepath.Dir(files[0])
		}
		return &packages.Package{ID: path, PkgPath: path, Name: filepath.Base(path), Dir: d, GoFiles: files, Imports: map[string]*packages.Package{}}
	}
	imports := func(p *packages.Package, deps ...*packages.Package) {
		for _, d := range deps {
			p.Imports[d.PkgPath] = d
		}
	}
	graph := func(ps ...*packages.Package) map[string]*packages.Package {
		m := map[string]*packages.Package{}
		for _, p := range ps {
			m[p.ID] = p
		}
		return m
	}

	cases := []struct {
		name string
		pkgs func() map[string]*packages.Package
		req  []string          // IDs to request, all at once: Package, Source and Check each
		want map[string]string // errors, by request, that must hold a text; no other Package or Source may fail
	}{{
		// The error package of issue 13: its file is its importer's.
		name: "unresolved",
		pkgs: func() map[string]*packages.Package {
			b := pkg("x/b", file("u/b/b.go", "package b\n\nimport \"x/term\"\n\nvar X = term.X\n"))
			term := pkg("x/term", b.GoFiles...)
			term.Dir = ""
			term.Errors = []packages.Error{{Pos: "b/b.go:3:8", Msg: "missing go.sum entry for module providing package x/term"}}
			imports(b, term)
			return graph(b, term)
		},
		req: []string{"x/b", "x/term"},
		want: map[string]string{
			"Package x/term": "package x/term could not be resolved: b/b.go:3:8: missing go.sum entry",
			"Source x/term":  "package x/term could not be resolved",
			"Check x/term":   "package x/term could not be resolved",
			"Source x/b":     `cannot type-check x/b: import "x/term" (in ` + filepath.Join(dir, "u/b/b.go") + `:3:8) could not be resolved: missing go.sum entry for module providing package x/term`,
		},
	}, {
		// The same, with export data that Package cannot read: Source
		// checks the package apart from Package.
		name: "unresolved, export",
		pkgs: func() map[string]*packages.Package {
			b := pkg("x/b", file("e/b/b.go", "package b\n\nimport \"x/term\"\n\nvar X = term.X\n"))
			b.ExportFile = filepath.Join(dir, "e", "b.a")
			term := pkg("x/term", b.GoFiles...)
			term.Dir = ""
			term.Errors = []packages.Error{{Pos: "b/b.go:3:8", Msg: "missing go.sum entry for module providing package x/term"}}
			imports(b, term)
			return graph(b, term)
		},
		req: []string{"x/b", "x/term"},
		want: map[string]string{
			"Package x/term": "package x/term could not be resolved",
			"Source x/term":  "package x/term could not be resolved",
			"Check x/term":   "package x/term could not be resolved",
			"Source x/b":     `cannot type-check x/b: import "x/term" (in ` + filepath.Join(dir, "e/b/b.go") + `:3:8) could not be resolved`,
		},
	}, {
		// The same without errors: only the file says it is not its own.
		name: "foreign file",
		pkgs: func() map[string]*packages.Package {
			b := pkg("x/b", file("f/b/b.go", "package b\n\nimport \"x/term\"\n\nvar X = term.X\n"))
			term := pkg("x/term", b.GoFiles...)
			imports(b, term)
			return graph(b, term)
		},
		req: []string{"x/b", "x/term"},
		want: map[string]string{
			"Check x/term": `import "x/term" (in ` + filepath.Join(dir, "f/b/b.go") + `:3:8) resolves to the package being checked`,
		},
	}, {
		name: "cycle",
		pkgs: func() map[string]*packages.Package {
			a := pkg("x/a", file("c/a/a.go", "package a\n\nimport \"x/b\"\n\nvar X = b.X\n"))
			b := pkg("x/b", file("c/b/b.go", "package b\n\nimport \"x/a\"\n\nvar X = a.X\n"))
			imports(a, b)
			imports(b, a)
			return graph(a, b)
		},
		req: []string{"x/a", "x/b"},
	}, {
		name: "long cycle",
		pkgs: func() map[string]*packages.Package {
			a := pkg("x/a", file("l/a/a.go", "package a\n\nimport \"x/b\"\n\nvar X = b.X\n"))
			b := pkg("x/b", file("l/b/b.go", "package b\n\nimport \"x/c\"\n\nvar X = c.X\n"))
			c := pkg("x/c", file("l/c/c.go", "package c\n\nimport \"x/a\"\n\nvar X = a.X\n"))
			imports(a, b)
			imports(b, c)
			imports(c, a)
			return graph(a, b, c)
		},
		req: []string{"x/a", "x/b", "x/c"},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for i := 0; i < 5; i++ {
				u := New(tc.pkgs(), runtime.GOARCH)
				var mu sync.Mutex
				got := map[string]string{}
				record := func(key string, err error) {
					if err != nil {
						mu.Lock()
						got[key] = err.Error()
						mu.Unlock()
					}
				}
				within(t, func() {
					var wg sync.WaitGroup
					for _, id := range tc.req {
						wg.Add(3)
						go func() { defer wg.Done(); _, err := u.Package(id); record("Package "+id, err) }()
						go func() { defer wg.Done(); _, err := u.Source(id); record("Source "+id, err) }()
						go func() {
							defer wg.Done()
							errs, err := u.Check(id, nil, Bodies{All: true})
							if err == nil && len(errs) > 0 {
								err = errorString(strings.Join(errs, "\n"))
							}
							record("Check "+id, err)
						}()
					}
					wg.Wait()
				})
				for key, sub := range tc.want {
					if !strings.Contains(got[key], sub) {
						t.Errorf("%s: got %q, want %q in it", key, got[key], sub)
					}
				}
				for key, err := range got {
					if _, ok := tc.want[key]; !ok && !strings.HasPrefix(key, "Check ") {
						t.Errorf("%s: %s", key, err)
					}
				}
			}
		})
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

// TestCheckBodies checks which function bodies Check checks: those of the
// files it is given, and of the others only when told to. Blanking the
// others' bodies leaves imports unused and results unreturned, which it
// must not report; a declaration in them that the given files clash with
// it must.
func TestCheckBodies(t *testing.T) {
	pkgs, dir := loadModule(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n",
		"p/a.go": `package p

func A() int { return 1 }
`,
		"p/b.go": `package p

import "strings"

func B(s string) string { return strings.ToUpper(s) }

func broken() { var n int = "not a number"; _ = n }

func taken() {}

func literal() S { return S{1} }
`,
	})
	a := filepath.Join(dir, "p", "a.go")
	id := "example.com/m/p"
	check := func(src string, bodies Bodies) []string {
		t.Helper()
		u := cacheUniverse(pkgs, nil, testSalt, id)
		var errs []string
		var err error
		within(t, func() {
			if _, err = u.Source(id); err == nil {
				errs, err = u.Check(id, []Source{{Name: a, Data: []byte(src)}}, bodies)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		return errs
	}
	const good = "package p\n\ntype S struct{ n int }\n\nfunc A() int { return len(B(\"x\")) }\n"
	if errs := check(good, Bodies{}); len(errs) > 0 {
		t.Errorf("b.go skimmed: %q, want no error", errs)
	}
	if errs := check(good, Bodies{All: true}); len(errs) != 1 || !strings.Contains(errs[0], "b.go:7") {
		t.Errorf("every body: %q, want b.go's own error at line 7", errs)
	}
	if errs := check("package p\n\ntype S struct{ n int }\n\nfunc A() int { return B(1) }\n", Bodies{}); len(errs) == 0 || !strings.Contains(errs[0], "a.go:5") {
		t.Errorf("error in the given file: %q, want it reported at a.go:5", errs)
	}
	if errs := check("package p\n\ntype S struct{ n int }\n\nfunc A() int { return 1 }\n\nfunc taken() {}\n", Bodies{}); len(errs) == 0 || !strings.Contains(strings.Join(errs, "\n"), "taken redeclared") {
		t.Errorf("a name of b.go declared again: %q, want taken redeclared", errs)
	}
	// S gains a field: b.go's literal without keys breaks, which only a
	// check of b.go's bodies sees (and with them, b.go's own error).
	const field = "package p\n\ntype S struct{ n, added int }\n\nfunc A() int { return 1 }\n"
	if errs := check(field, Bodies{}); len(errs) > 0 {
		t.Errorf("S's field, bodies skimmed: %q, want no error", errs)
	}
	if errs := check(field, Bodies{Literals: []string{"S"}}); len(errs) != 2 || !strings.Contains(errs[0], "b.go:11") || !strings.Contains(errs[0], "too few values") {
		t.Errorf("S's field, literals of S checked: %q, want too few values at b.go:11, and b.go's own error", errs)
	}
}

// TestCheckUnchangedBodies checks a given file with its original: the
// bodies it shares with the original are not checked, the others are, and
// an import that only the edit brought in must be used.
func TestCheckUnchangedBodies(t *testing.T) {
	const orig = `package p

import "strings"

func A() int { return 1 }

func C(s string) string { return strings.ToLower(s) }
`
	check := editChecker(t, orig)
	edit := func(body string) string { return strings.Replace(orig, "{ return 1 }", body, 1) }
	if errs := check(edit("{ n := 2; return n }") + "\nfunc added() int { return 3 }\n"); len(errs) > 0 {
		t.Errorf("A edited, C unchanged: %q, want no error", errs)
	}
	if errs := check(edit(`{ return "one" }`)); len(errs) != 1 || !strings.Contains(errs[0], "a.go:5") {
		t.Errorf("A edited wrong: %q, want one error at a.go:5", errs)
	}
	if errs := check(orig + "\nfunc added() int { return \"three\" }\n"); len(errs) != 1 || !strings.Contains(errs[0], "a.go:9") {
		t.Errorf("a function added wrong: %q, want one error at a.go:9", errs)
	}
	withImport := strings.Replace(orig, `import "strings"`, "import (\n\t\"strings\"\n\t\"unicode\"\n)", 1)
	if errs := check(withImport); len(errs) != 1 || !strings.Contains(errs[0], `"unicode" imported and not used`) {
		t.Errorf("an import the edit added, unused: %q, want it reported", errs)
	}
}

// editChecker loads a module whose package example.com/m/p is the one
// file a.go, orig, and returns a function that checks p, a package that
// otelgen rewrites, with a.go edited to src, and returns the errors found.
func editChecker(t *testing.T, orig string) func(src string) []string {
	t.Helper()
	pkgs, dir := loadModule(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n",
		"p/a.go": orig,
	})
	a := filepath.Join(dir, "p", "a.go")
	const id = "example.com/m/p"
	return func(src string) []string {
		t.Helper()
		u := cacheUniverse(pkgs, nil, testSalt, id)
		var errs []string
		var err error
		within(t, func() {
			if _, err = u.Source(id); err == nil {
				errs, err = u.Check(id, []Source{{Name: a, Data: []byte(src), Original: []byte(orig)}}, Bodies{})
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		return errs
	}
}

// TestSkimUnchanged checks which bodies SkimUnchanged blanks.
func TestSkimUnchanged(t *testing.T) {
	orig := "package p\n\nfunc A() int { return 1 }\n\nfunc B() int { return 2 }\n"
	data := "package p\n\nfunc A() int { x(); return 1 }\n\nfunc B() int { return 2 }\n\nfunc x() {}\n"
	out, ranges := SkimUnchanged([]byte(data), []byte(orig))
	want := "package p\n\nfunc A() int { x(); return 1 }\n\nfunc B() int {          }\n\nfunc x() {}\n"
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	if len(ranges) != 1 || data[ranges[0][0]] != '{' || data[ranges[0][1]-1] != '}' {
		t.Errorf("ranges %v, want B's braces", ranges)
	}
	if out, ranges := SkimUnchanged([]byte(data), []byte("package p\n\nvar s = `")); string(out) != data || ranges != nil {
		t.Errorf("an original it cannot follow: got %q %v, want data unchanged", out, ranges)
	}
}

// TestSkimmedMade checks which errors skimmed.made takes for the work of
// blanking.
func TestSkimmedMade(t *testing.T) {
	fset := token.NewFileSet()
	f := fset.AddFile("a.go", -1, 100)
	f.SetLines([]int{0, 50})
	s := skimmed{"a.go": {ranges: [][2]int{{10, 20}}, imports: map[string]bool{"golang.org/x/net/http/httpguts": true, "strings": true}}}
	for _, c := range []struct {
		off  int
		soft bool
		msg  string
		want bool
	}{
		{15, false, "missing return", true},
		{30, false, "missing return", false},
		{5, true, `"strings" imported and not used`, true},
		{5, true, `"strings" imported as s and not used`, true},
		{5, true, `"vendor/golang.org/x/net/http/httpguts" imported and not used`, true},
		{5, true, `"example.com/m/vendor/golang.org/x/net/http/httpguts" imported and not used`, true},
		{5, true, `"unicode" imported and not used`, false},
		{5, false, `"strings" imported and not used`, false},
		{40, true, "declared and not used: x", false},
	} {
		te := types.Error{Fset: fset, Pos: f.Pos(c.off), Msg: c.msg, Soft: c.soft}
		if got := s.made(te); got != c.want {
			t.Errorf("made(%d, soft %t, %q) = %t, want %t", c.off, c.soft, c.msg, got, c.want)
		}
	}
}

func TestHasLiteral(t *testing.T) {
	for _, c := range []struct {
		src  string
		want bool
	}{
		{"x := S{1, 2}", true},
		{"x := &S{}", true},
		{"xs := []S{{1, 2}}", true},
		{"x := pkg.S{1}", true},
		{"S{1}", true},
		{"x := MyS{1}", false},
		{"var s S", false},
		{"func (s S) M() {}", false},
	} {
		if got := hasLiteral([]byte(c.src), []string{"T", "S"}); got != c.want {
			t.Errorf("hasLiteral(%q) = %t, want %t", c.src, got, c.want)
		}
	}
}

// TestCheckPruned checks that Check, which checks only the code a rewrite
// changed or added and what that needs, still finds a type to implement
// the interfaces of other packages and of the universe that the change
// gives it to, and still reports one that does not.
func TestCheckPruned(t *testing.T) {
	const orig = `package p

import "sync"

var _ sync.Locker

type mu struct{}

func (*mu) Lock()   {}
func (*mu) Unlock() {}

type failure struct{}

func (failure) Error() string { return "" }

type half struct{}

func (*half) Lock() {}

func A() {}
`
	checkSrc := editChecker(t, orig)
	check := func(body string) []string {
		t.Helper()
		return checkSrc(strings.Replace(orig, "func A() {}", "func A() {"+body+"}", 1))
	}
	if errs := check("var l sync.Locker = &mu{}; l.Lock(); var e error = failure{}; _ = e"); len(errs) > 0 {
		t.Errorf("mu as a sync.Locker, failure as an error: %q, want no error", errs)
	}
	if errs := check("var l sync.Locker = &half{}; _ = l"); len(errs) != 1 || !strings.Contains(errs[0], "missing method Unlock") {
		t.Errorf("half as a sync.Locker: %q, want missing method Unlock", errs)
	}
	// A declaration other than a function is checked when its text is
	// not the original's: a struct given a field, a var added.
	for name, src := range map[string]string{
		"a field": strings.Replace(orig, "type half struct{}", "type half struct{ x missing }", 1),
		"a var":   orig + "\nvar added missing\n",
	} {
		if errs := checkSrc(src); len(errs) != 1 || !strings.Contains(errs[0], "undefined: missing") {
			t.Errorf("%s of an undefined type: %q, want undefined: missing", name, errs)
		}
	}
}

// TestCheckPrunedStd checks every file of a few packages of the standard
// library as if a rewrite had changed it whole: Check finds the same
// errors (go/types may find some in the original) as a check of every
// declaration does.
func TestCheckPrunedStd(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: checks a hundred files twice")
	}
	pkgs, _ := loadModule(t, map[string]string{
		"go.mod":  "module example.com/m\n\ngo 1.22\n",
		"main.go": "package main\n\nimport (\n\t\"database/sql\"\n\t\"log/slog\"\n\t\"net/http\"\n\t\"os/signal\"\n)\n\nfunc main() { http.Handle(\"/\", nil); sql.Drivers(); slog.Info(\"\"); signal.Reset() }\n",
	})
	ids := []string{"net/http", "database/sql", "log/slog", "os/signal", "os"}
	pruned := cacheUniverse(pkgs, nil, testSalt, ids...)
	whole := cacheUniverse(pkgs, nil, testSalt, ids...)
	whole.unpruned = true
	files := 0
	within(t, func() {
		for _, id := range ids {
			for _, name := range pkgs[id].GoFiles {
				data, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				src := []Source{{Name: name, Data: data}}
				got, err := pruned.Check(id, src, Bodies{})
				if err != nil {
					t.Fatal(err)
				}
				want, err := whole.Check(id, src, Bodies{})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: pruned %q, whole %q", name, got, want)
				}
				files++
			}
		}
	})
	if files < 50 {
		t.Errorf("only %d files checked", files)
	}
}
