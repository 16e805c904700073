package typecheck

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestSkimBodies checks SkimBodies on every Go file of the standard
// library but tests (a few packages with -short): the skimmed file parses as the
// original does, every declaration keeps its position and end, every one
// but a function's body prints the same, and a skimmed body holds nothing.
func TestSkimBodies(t *testing.T) {
	files, skimmed := 0, 0
	stdFiles(t, []string{"runtime", "net/http", "unicode", "vendor/golang.org/x/text/unicode/norm"}, func(path string, src []byte) {
		files++
		if compareSkim(t, path, src) {
			skimmed++
		}
	})
	if files == 0 || skimmed < files/2 {
		t.Errorf("%d of %d files skimmed", skimmed, files)
	}
}

// TestSkimShort checks skimShort against SkimBodies on the same files as
// TestSkimBodies: both parse to the same syntax, every position on the
// same line, and the short text is at most half as long in all.
func TestSkimShort(t *testing.T) {
	var long, short int
	stdFiles(t, []string{"runtime", "net/http", "unicode", "crypto/internal/fips140/nistec", "vendor/golang.org/x/text/unicode/norm"}, func(path string, src []byte) {
		skimmed, shortened := SkimBodies(src), skimShort(src)
		long, short = long+len(skimmed), short+len(shortened)
		fset := token.NewFileSet()
		want, err := parser.ParseFile(fset, path, skimmed, parser.SkipObjectResolution)
		if err != nil {
			return // TestSkimBodies judges these
		}
		got, err := parser.ParseFile(fset, path, shortened, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("%s: the short text does not parse: %v", path, err)
		}
		if diff := sameSyntax(fset, reflect.ValueOf(want), reflect.ValueOf(got), "file"); diff != "" {
			t.Fatalf("%s: %s", path, diff)
		}
	})
	if short*2 > long {
		t.Errorf("short texts of %d bytes, for %d skimmed", short, long)
	}
}

// stdFiles calls f with every Go file of the standard library but tests,
// or with -short those of the packages short, in GOROOT/src.
func stdFiles(t *testing.T, short []string, f func(path string, src []byte)) {
	t.Helper()
	root := filepath.Join(runtime.GOROOT(), "src")
	dirs := []string{root}
	if testing.Short() {
		dirs = nil
		for _, d := range short {
			dirs = append(dirs, filepath.Join(root, d))
		}
	}
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if d.Name() == "testdata" || testing.Short() && path != dir {
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
			f(path, src)
			return nil
		})
	}
}

// sameSyntax returns where syntax a and b differ, "" when they do not:
// every field alike, but positions, which need only be on the same line.
func sameSyntax(fset *token.FileSet, a, b reflect.Value, at string) string {
	if a.Type() == reflect.TypeFor[token.Pos]() {
		pa, pb := fset.Position(token.Pos(a.Int())), fset.Position(token.Pos(b.Int()))
		if pa.Line != pb.Line {
			return fmt.Sprintf("%s: line %d, then %d", at, pa.Line, pb.Line)
		}
		return ""
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return at + ": nil on one side only"
			}
			return ""
		}
		if a.Kind() == reflect.Interface && a.Elem().Type() != b.Elem().Type() {
			return fmt.Sprintf("%s: %s, then %s", at, a.Elem().Type(), b.Elem().Type())
		}
		return sameSyntax(fset, a.Elem(), b.Elem(), at)
	case reflect.Struct:
		for i := range a.NumField() {
			if d := sameSyntax(fset, a.Field(i), b.Field(i), at+"."+a.Type().Field(i).Name); d != "" {
				return d
			}
		}
	case reflect.Slice:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: %d elements, then %d", at, a.Len(), b.Len())
		}
		for i := range a.Len() {
			if d := sameSyntax(fset, a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", at, i)); d != "" {
				return d
			}
		}
	case reflect.Map:
		if a.Len() != b.Len() {
			return at + ": maps of different sizes"
		}
	default:
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			return fmt.Sprintf("%s: %v, then %v", at, a.Interface(), b.Interface())
		}
	}
	return ""
}

// compareSkim reports whether SkimBodies changed src, failing t if it
// changed anything but the inside of function bodies and package-level
// literals, which it must leave empty, and [...] array literals without
// keys, which it must make literals of their length, lines kept.
func compareSkim(t *testing.T, name string, src []byte) bool {
	t.Helper()
	out := SkimBodies(src)
	if len(out) != len(src) {
		t.Fatalf("%s: skimmed length %d, want %d", name, len(out), len(src))
	}
	if bytes.Equal(out, src) {
		return false
	}
	fset := token.NewFileSet()
	orig, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("%s: the original does not parse, yet was skimmed: %v", name, err)
	}
	skim, err := parser.ParseFile(fset, name, out, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("%s: the skimmed file does not parse: %v", name, err)
	}
	if len(orig.Decls) != len(skim.Decls) {
		t.Fatalf("%s: %d declarations, then %d", name, len(orig.Decls), len(skim.Decls))
	}
	off := func(p token.Pos) int { return fset.Position(p).Offset }
	// Every byte that changed is a space inside the braces of a function
	// declaration's body or of a literal in a package-level value, and
	// every one of those that changed holds only white space.
	var blankable [][2]int
	type sizedLit struct {
		from, to int // "[" to "}", included
		count    int // elements, -1 for keys
		elem     string
	}
	var sized []sizedLit
	for _, d := range orig.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Body != nil {
				blankable = append(blankable, [2]int{off(d.Body.Lbrace) + 1, off(d.Body.Rbrace)})
			}
		case *ast.GenDecl:
			ast.Inspect(d, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CompositeLit:
					if at, ok := n.Type.(*ast.ArrayType); ok {
						if _, ok := at.Len.(*ast.Ellipsis); ok {
							count := len(n.Elts)
							if hasKeys(n.Elts) {
								count = -1
							}
							elem := types.ExprString(at.Elt)
							sized = append(sized, sizedLit{off(at.Lbrack), off(n.Rbrace) + 1, count, elem})
							return count < 0
						}
					}
					blankable = append(blankable, [2]int{off(n.Lbrace) + 1, off(n.Rbrace)})
					return false
				case *ast.FuncLit:
					blankable = append(blankable, [2]int{off(n.Body.Lbrace) + 1, off(n.Body.Rbrace)})
					return false
				}
				return true
			})
		}
	}
	// In file order, and none inside another.
	inside := func(i int) int {
		k := sort.Search(len(blankable), func(k int) bool { return blankable[k][1] > i })
		if k < len(blankable) && blankable[k][0] <= i {
			return k
		}
		return -1
	}
	inSized := func(i int) int {
		for k, r := range sized {
			if r.from <= i && i < r.to {
				return k
			}
		}
		return -1
	}
	changed := map[int]bool{}
	changedSized := map[int]bool{}
	for i := range src {
		if out[i] == src[i] {
			continue
		}
		if k := inSized(i); k >= 0 && inside(i) < 0 {
			changedSized[k] = true
			continue
		}
		k := inside(i)
		if k < 0 || out[i] != ' ' {
			t.Fatalf("%s: %s changed, outside any body or literal", name, fset.Position(orig.FileStart+token.Pos(i)))
		}
		changed[k] = true
	}
	for k := range changed {
		if r := blankable[k]; len(bytes.TrimSpace(out[r[0]:r[1]])) > 0 {
			t.Fatalf("%s: %s was changed but not emptied", name, fset.Position(orig.FileStart+token.Pos(r[0])))
		}
	}
	for k := range changedSized {
		r := sized[k]
		if bytes.Count(src[r.from:r.to], []byte("\n")) != bytes.Count(out[r.from:r.to], []byte("\n")) {
			t.Fatalf("%s: %s: a [...] literal lost or gained lines", name, fset.Position(orig.FileStart+token.Pos(r.from)))
		}
		e, err := parser.ParseExpr(string(out[r.from:r.to]))
		lit, ok := e.(*ast.CompositeLit)
		if err != nil || !ok {
			t.Fatalf("%s: %s: the sized literal %q does not parse: %v", name, fset.Position(orig.FileStart+token.Pos(r.from)), out[r.from:r.to], err)
		}
		at, _ := lit.Type.(*ast.ArrayType)
		n, _ := at.Len.(*ast.BasicLit)
		if r.count < 0 || n == nil || n.Value != strconv.Itoa(r.count) || len(lit.Elts) > 0 || types.ExprString(at.Elt) != r.elem {
			t.Fatalf("%s: %s: [...]%s{...} of %d elements became %s", name, fset.Position(orig.FileStart+token.Pos(r.from)), r.elem, r.count, types.ExprString(lit))
		}
	}
	for i, d := range skim.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && len(fd.Body.List) > 0 && (orig.Decls[i].(*ast.FuncDecl).Body.Lbrace != fd.Body.Lbrace-skim.FileStart+orig.FileStart) {
			t.Fatalf("%s: %s moved", name, fd.Name.Name)
		}
	}
	return true
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
	j    = struct{ A int }{A: 1}
	k    = func(x int) (int, error) { return x, nil }
	l    = func() R { return R{1, 2} }()
	m    = map[string]func() int{"x": func() int { return 1 }}
	n    = [...]struct{ X []int }{{X: []int{1}}, {}}
	o    = len([...]int{1, 2, 3, 4})
	q    = [...]uint8{0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x8, 0x9, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60, 0x61, 0x62, 0x63, 0x64, 0x65}
	r    = [...]string{
		"a, b", // a comma in a string
		"c", /* and in a comment, */
		string('d' / 2),
	}
	s = [...]func() int{
		func() int { return 1 },
		nil,
	}
	u = [...][2]int{{1, 2}, {3, 4}, {5, 6}}
)

type S[T interface{ ~int }] struct{ V T }

var p = S[int]{V: 1}

func F() [len(c)]int { return [len(c)]int{} }
`
	want, got := checkTypesOf(t, src, false), checkTypesOf(t, src, true)
	if len(want) != 23 {
		t.Fatalf("%d objects, want 23", len(want))
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
		data = SkimBodies(data)
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

// TestWithoutUnusedImports checks which imports a dependency's skimmed files
// keep: those that what is left of the file names, dot imports, and those
// whose name cannot be told.
func TestWithoutUnusedImports(t *testing.T) {
	const src = `package p

import (
	"bytes"
	str "strings"
	_ "embed"
	. "math"
	"unicode"
	"example.com/unknown"
	"example.com/renamed"
)

import "io"

var W io.Writer

type T struct{ b bytes.Buffer }

func F() string { return str.ToUpper("x") + unicode.Version + fmt.Sprint(Pi) + renamed.X }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", SkimBodies([]byte(src)), parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	pkg := func(path, name string) *packages.Package {
		return &packages.Package{ID: path, PkgPath: path, Name: name}
	}
	p := &packages.Package{ID: "p", Imports: map[string]*packages.Package{
		"bytes": pkg("bytes", "bytes"), "strings": pkg("strings", "strings"), "embed": pkg("embed", "embed"),
		"math": pkg("math", "math"), "unicode": pkg("unicode", "unicode"), "io": pkg("io", "io"),
		"example.com/renamed": pkg("example.com/renamed", "other"),
	}}
	u := New(nil, "amd64")
	orig := f
	f = u.withoutUnusedImports(p, []*ast.File{f}, nil)[0]
	if f == orig || len(orig.Imports) != 8 {
		t.Error("the file was changed in place")
	}
	var got []string
	for _, spec := range f.Imports {
		got = append(got, spec.Path.Value)
	}
	want := []string{`"bytes"`, `"math"`, `"example.com/unknown"`, `"io"`}
	if !slices.Equal(got, want) {
		t.Errorf("imports kept: %v, want %v", got, want)
	}
	n := 0
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			n += len(gd.Specs)
		}
	}
	if n != len(want) {
		t.Errorf("import specs in the declarations: %d, want %d", n, len(want))
	}
}

// BenchmarkSkimShort shortens the files of runtime and net/http, which
// generate parses from short text when it rewrites them.
func BenchmarkSkimShort(b *testing.B) {
	srcs := append(stdDir(b, "runtime"), stdDir(b, "net/http")...)
	n := 0
	for _, src := range srcs {
		n += len(src)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, src := range srcs {
			skimShort(src)
		}
	}
}

// stdDir returns the contents of the Go files of GOROOT/src/dir but tests.
func stdDir(tb testing.TB, dir string) [][]byte {
	files, _ := filepath.Glob(filepath.Join(runtime.GOROOT(), "src", dir, "*.go"))
	var srcs [][]byte
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	return srcs
}
