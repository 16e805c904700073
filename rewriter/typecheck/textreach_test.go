package typecheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestPruneTexts checks which declarations pruneTexts keeps of a text
// written to trip a reader of words: what withoutUnreachable keeps of the
// parsed text, and what the pruned text leaves to it, are the same, and
// every line stays where it was.
func TestPruneTexts(t *testing.T) {
	const a = `//go:build go1.22

package p

import (
	"strings"
)

type T[K comparable] struct{ s state; f func() }

type state struct{ n counter }

type counter int

func (t *T[K]) Len() int

func (hidden) M()

type hidden struct{}

var R = strings.Repeat

var RT = T[int]{}.gone

var gone = 1 // named by a selector only

var F = 1.
var afterFloat = 2

const (
	A = iota
	b
)

var raw = ` + "`\nfunc Raw() {}\n`" + `

func Exported(x ...limit) (y int)

type limit int

/* a comment
over lines */ var Commented = 3

func init()

var (
	grouped = 1
	Grouped = unexportedTwo
)

var unexportedTwo = 2

func (r *T[K]) method()
`
	const b = `package p

var shifted = /*line other.go:10:1*/ 1

var Shifted = more; var more = 2
`
	texts := [][]byte{[]byte(a), []byte(b)}
	pruned := pruneTexts(texts, ast.IsExported)
	fset := token.NewFileSet()
	var whole, short []*ast.File
	for i := range texts {
		for _, x := range []struct {
			files *[]*ast.File
			src   []byte
		}{{&whole, texts[i]}, {&short, pruned[i]}} {
			f, err := parser.ParseFile(fset, "p.go", x.src, parser.SkipObjectResolution)
			if err != nil {
				t.Fatalf("file %d: %v\n%s", i, err, x.src)
			}
			*x.files = append(*x.files, f)
		}
		if strings.Count(string(texts[i]), "\n") != strings.Count(string(pruned[i]), "\n") {
			t.Errorf("file %d: the lines moved:\n%s", i, pruned[i])
		}
	}
	want := [][]string{
		{"T", "state", "counter", "T.Len", "R", "RT", "F", "A", "b", "Exported", "limit", "Commented", "Grouped", "unexportedTwo", "T.method"},
		{"Shifted", "more"},
	}
	for i, f := range withoutUnreachable(whole, ast.IsExported) {
		if got := declNames(f); !slices.Equal(got, want[i]) {
			t.Errorf("file %d: withoutUnreachable kept %v, want %v", i, got, want[i])
		}
	}
	// The pruned text keeps shifted (a //line directive stays, with
	// the declaration it is in), and drops afterFloat alone ("1." ends
	// F's line as a number does).
	wantShort := [][]string{
		{"T", "state", "counter", "T.Len", "R", "RT", "F", "A", "b", "Exported", "limit", "Commented", "Grouped", "unexportedTwo", "T.method"},
		{"shifted", "Shifted", "more"},
	}
	for i, f := range short {
		if got := declNames(f); !slices.Equal(got, wantShort[i]) {
			t.Errorf("file %d: pruned, declares %v, want %v:\n%s", i, got, wantShort[i], pruned[i])
		}
	}
	for i, f := range withoutUnreachable(short, ast.IsExported) {
		if got := declNames(f); !slices.Equal(got, want[i]) {
			t.Errorf("file %d: pruned, withoutUnreachable kept %v, want %v", i, got, want[i])
		}
	}

	cgo := [][]byte{[]byte("package p\n\nimport \"C\"\n\nvar x = 1\n")}
	if got := pruneTexts(cgo, ast.IsExported); &got[0][0] != &cgo[0][0] {
		t.Errorf("a file importing \"C\" was pruned:\n%s", got[0])
	}
}

// TestPruneTextsStd checks pruneTexts on the packages of the standard
// library (a few with -short), rooted at their exported names: what
// withoutUnreachable keeps of the pruned short texts is what it keeps of the
// whole short texts, declaration for declaration and on the same lines, so
// that nothing a check needs is gone; and a fair part of the text is.
func TestPruneTextsStd(t *testing.T) {
	type file struct {
		path string
		src  []byte
	}
	byDir := map[string][]file{}
	stdFiles(t, []string{"net/http", "crypto/tls", "syscall", "reflect", "go/types"}, func(path string, src []byte) {
		byDir[filepath.Dir(path)] = append(byDir[filepath.Dir(path)], file{path, skimShort(src)})
	})
	var before, after int
	for _, dir := range slices.Sorted(maps.Keys(byDir)) {
		files := byDir[dir]
		texts := make([][]byte, len(files))
		for i, f := range files {
			texts[i] = f.src
		}
		pruned := pruneTexts(texts, ast.IsExported)
		fset := token.NewFileSet()
		var whole, short []*ast.File
		ok := true
		for i, f := range files {
			w, err := parser.ParseFile(fset, f.path, texts[i], parser.SkipObjectResolution)
			if err != nil {
				ok = false // not Go this test reads (testdata, generators)
				break
			}
			s, err := parser.ParseFile(fset, f.path, pruned[i], parser.SkipObjectResolution)
			if err != nil {
				t.Fatalf("%s: the pruned text does not parse: %v\n%s", f.path, err, pruned[i])
			}
			whole, short = append(whole, w), append(short, s)
		}
		if !ok {
			continue
		}
		keptWhole := withoutUnreachable(whole, ast.IsExported)
		keptShort := withoutUnreachable(short, ast.IsExported)
		for i, f := range files {
			before, after = before+len(texts[i]), after+len(pruned[i])
			a, b := declLines(fset, keptWhole[i]), declLines(fset, keptShort[i])
			if !slices.Equal(a, b) {
				t.Errorf("%s: kept of the whole text %v,\nof the pruned text %v", f.path, a, b)
			}
		}
	}
	// Rooted at the exported names, 22 % of the standard library's short
	// text goes (most unexported declarations are reached through the
	// methods of exported types); 4 % of the packages -short reads.
	t.Logf("%d bytes of short text, %d pruned", before, after)
	if after >= before || !testing.Short() && after > before*17/20 {
		t.Errorf("pruned to %d bytes of %d", after, before)
	}
}

// declLines returns declNames of f, each with its line.
func declLines(fset *token.FileSet, f *ast.File) []string {
	names := declNames(f)
	i := 0
	for _, d := range f.Decls {
		var n int
		switch d := d.(type) {
		case *ast.FuncDecl:
			n = 1
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					n++
				case *ast.ValueSpec:
					n += len(s.Names)
				}
			}
		}
		for range n {
			names[i] += ":" + strconv.Itoa(fset.Position(d.Pos()).Line)
			i++
		}
	}
	return names
}

// BenchmarkPruneTexts prunes the short texts of a few wide packages of the
// standard library, rooted at their exported names.
func BenchmarkPruneTexts(b *testing.B) {
	var pkgs [][][]byte
	for _, dir := range []string{"net/http", "crypto/tls", "syscall", "reflect", "go/types", "runtime"} {
		var texts [][]byte
		for _, src := range stdDir(b, dir) {
			texts = append(texts, skimShort(src))
		}
		pkgs = append(pkgs, texts)
	}
	n := 0
	for _, texts := range pkgs {
		for _, t := range texts {
			n += len(t)
		}
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, texts := range pkgs {
			pruneTexts(texts, ast.IsExported)
		}
	}
}
