package typecheck

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestSkimBodies checks skimBodies on every Go file of the standard
// library but tests (a few packages with -short): the skimmed file parses as the
// original does, every declaration keeps its position and end, every one
// but a function's body prints the same, and a skimmed body holds nothing.
func TestSkimBodies(t *testing.T) {
	root := filepath.Join(runtime.GOROOT(), "src")
	dirs := []string{root}
	if testing.Short() {
		dirs = nil
		for _, d := range []string{"runtime", "net/http", "unicode", "go/types", "vendor/golang.org/x/text/unicode/norm", "crypto/internal/fips140/sha256"} {
			dirs = append(dirs, filepath.Join(root, d))
		}
	}
	files, skimmed := 0, 0
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if d.Name() == "testdata" {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			files++
			if compareSkim(t, path, src) {
				skimmed++
			}
			return nil
		})
	}
	if files == 0 || skimmed < files/2 {
		t.Errorf("%d of %d files skimmed", skimmed, files)
	}
}

// compareSkim reports whether skimBodies changed src, failing t if it
// changed more than bodies.
func compareSkim(t *testing.T, name string, src []byte) bool {
	t.Helper()
	out := skimBodies(src)
	if len(out) != len(src) {
		t.Fatalf("%s: skimmed length %d, want %d", name, len(out), len(src))
	}
	fset := token.NewFileSet()
	orig, err1 := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	skim, err2 := parser.ParseFile(fset, name, out, parser.SkipObjectResolution)
	if (err1 == nil) != (err2 == nil) {
		t.Fatalf("%s: parse errors differ: %v, then %v", name, err1, err2)
	}
	if err1 != nil {
		return false
	}
	if len(orig.Decls) != len(skim.Decls) {
		t.Fatalf("%s: %d declarations, then %d", name, len(orig.Decls), len(skim.Decls))
	}
	base := func(f *ast.File) token.Pos { return f.FileStart }
	for i, d := range orig.Decls {
		s := skim.Decls[i]
		if d.Pos()-base(orig) != s.Pos()-base(skim) || d.End()-base(orig) != s.End()-base(skim) {
			t.Fatalf("%s: declaration %d moved", name, i)
		}
		if fd, ok := d.(*ast.FuncDecl); ok {
			sd := s.(*ast.FuncDecl)
			if (fd.Body == nil) != (sd.Body == nil) {
				t.Fatalf("%s: %s: a body appeared or went", name, fd.Name.Name)
			}
			if sd.Body != nil && len(sd.Body.List) > 0 && !bytes.Equal(src[fset.Position(fd.Body.Pos()).Offset:fset.Position(fd.Body.End()).Offset], out[fset.Position(sd.Body.Pos()).Offset:fset.Position(sd.Body.End()).Offset]) {
				t.Fatalf("%s: %s: a body was changed but not emptied", name, fd.Name.Name)
			}
			fd, sd = shallow(fd), shallow(sd)
			if print(fset, fd) != print(fset, sd) {
				t.Fatalf("%s: the signature of %s changed:\n%s\n%s", name, fd.Name.Name, print(fset, fd), print(fset, sd))
			}
			continue
		}
		if print(fset, d) != print(fset, s) {
			t.Fatalf("%s: declaration %d changed", name, i)
		}
	}
	return !bytes.Equal(out, src)
}

func shallow(fd *ast.FuncDecl) *ast.FuncDecl {
	c := *fd
	c.Body, c.Doc = nil, nil
	return &c
}

func print(fset *token.FileSet, n any) string {
	var b strings.Builder
	printer.Fprint(&b, fset, n)
	return b.String()
}

// TestSkimValues checks that emptied literals keep their types: a check
// without bodies of the skimmed file gives every package-level object the
// type the original gives it.
func TestSkimValues(t *testing.T) {
	src := `package p

type R struct{ A, B int }

var (
	a = &R{A: 1, B: 2}
	b = []R{{1, 2}, {3, 4}}
	c = [...]int{1, 2, 3}
	d = [...]R{{1, 2}, {3, 4}}
	e = [...]string{2: "x", 5: "y"}
	f = map[string][]int{"x": {1}}
	g = [2][]int{{1}, {2, 3}}
	h, i = len(c), [...]byte{'a', 'b'}
)

func F() [len(c)]int { return [len(c)]int{} }
`
	want, got := checkTypesOf(t, src, false), checkTypesOf(t, src, true)
	if len(want) != 11 {
		t.Fatalf("%d objects, want 11", len(want))
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: %s, want %s", name, got[name], w)
		}
	}
}

// checkTypesOf checks src without function bodies, skimmed or not, and
// returns the type of each package-level object.
func checkTypesOf(t *testing.T, src string, skim bool) map[string]string {
	t.Helper()
	data := []byte(src)
	if skim {
		data = skimBodies(data)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", data, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	if skim {
		skimValues(f)
	}
	conf := types.Config{IgnoreFuncBodies: true}
	pkg, err := conf.Check("p", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatalf("skim %v: %v", skim, err)
	}
	out := map[string]string{}
	for _, name := range pkg.Scope().Names() {
		out[name] = pkg.Scope().Lookup(name).Type().String()
	}
	return out
}
