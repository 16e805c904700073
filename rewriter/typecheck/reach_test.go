package typecheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"testing"
)

// TestWithoutUnreachable checks which declarations a dependency keeps: the
// exported ones, what they name, however indirectly, and every method of a
// type kept.
func TestWithoutUnreachable(t *testing.T) {
	const src = `package p

type T struct{ s state }

type state struct{ n counter }

type counter int

type unused struct{}

type hidden struct{}

func (hidden) M() {}

func (t T) get() int { return 0 }

func New(_ int) T { return build() }

func build() T { return T{} }

func helper(x unusedArg) {}

type unusedArg int

func init() {}

var _ = helper

var V, w = alias(1), 2

type alias = int

var lone = 3

const (
	a = iota
	B
	c
)

const d = 4
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	out := withoutUnreachable([]*ast.File{f}, ast.IsExported)[0]
	if out == f || len(f.Decls) != 18 {
		t.Fatalf("the file was changed in place, or not copied (%d declarations)", len(f.Decls))
	}
	names := declNames(out)
	// hidden goes with its method M, exported though it is: nothing
	// reaches hidden; T keeps its unexported method get.
	want := []string{"T", "state", "counter", "T.get", "New", "build", "V", "w", "alias", "a", "B", "c"}
	if !slices.Equal(names, want) {
		t.Errorf("kept %v, want %v", names, want)
	}
	conf := types.Config{IgnoreFuncBodies: true, Error: func(err error) { t.Error(err) }}
	conf.Check("p", fset, []*ast.File{out}, nil)
}

// TestWithoutUnreachableStd checks net/http's dependencies from the
// standard library, pruned and their imports dropped, as generate checks
// them: every one checks without an error.
func TestWithoutUnreachableStd(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: checks a hundred packages")
	}
	pkgs, _ := loadModule(t, map[string]string{
		"go.mod":  "module example.com/m\n\ngo 1.22\n",
		"main.go": "package main\n\nimport (\n\t\"encoding/json\"\n\t\"net/http\"\n)\n\nfunc main() { http.Handle(\"/\", nil); json.Marshal(nil) }\n",
	})
	u := cacheUniverse(pkgs, nil, testSalt)
	within(t, func() {
		for _, id := range []string{"net/http", "encoding/json"} {
			if _, err := u.Package(id); err != nil {
				t.Fatal(err)
			}
		}
	})
	n := 0
	for id, e := range u.entries {
		n++
		if !e.clean {
			t.Errorf("%s did not check cleanly pruned", id)
		}
	}
	t.Logf("%d packages checked", n)
	if n < 30 {
		t.Errorf("only %d packages checked of %d entries", n, len(u.entries))
	}
}

// TestWithoutUnneeded checks what the check of a rewrite keeps: the roots,
// what they name, and of a kept type only the methods that kept code
// selects, that a kept interface declares, or that the caller names.
func TestWithoutUnneeded(t *testing.T) {
	const src = `package p

type T struct{ c conn }

type conn struct{}

func (conn) Read() int     { return 0 }
func (conn) Write() int    { return 0 }
func (conn) Close() error  { return nil }
func (conn) String() string { return "" }

type Reader interface{ Read() int }

type other struct{}

func (other) Read() int { return 0 }

func unused() {}

func changed(t T) int { var r Reader = t.c; _ = r; return t.c.Read() + len(t.c.String()) }

func taken() {}

func taken() {}

var _ Reader = conn{}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	methods := map[string]bool{"Close": true}
	root := func(d ast.Decl) bool {
		fd, ok := d.(*ast.FuncDecl)
		return ok && fd.Name.Name == "changed"
	}
	out := withoutUnneeded([]*ast.File{f}, root, methods)[0]
	names := declNames(out)
	// conn keeps Read (selected, and Reader's), String (selected) and
	// Close (named by the caller), not Write; other, unused and the blank
	// var go; taken, declared twice, stays twice.
	want := []string{"T", "conn", "conn.Read", "conn.Close", "conn.String", "Reader", "changed", "taken", "taken"}
	if !slices.Equal(names, want) {
		t.Errorf("kept %v, want %v", names, want)
	}
	for _, m := range []string{"Read", "String", "Close"} {
		if !methods[m] {
			t.Errorf("methods lacks %s", m)
		}
	}
}

// declNames returns the names f declares at package level, in order, a
// method's as "T.M".
func declNames(f *ast.File) []string {
	var names []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil {
				names = append(names, recvName(d)+"."+d.Name.Name)
			} else {
				names = append(names, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					names = append(names, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						names = append(names, n.Name)
					}
				}
			}
		}
	}
	return names
}
