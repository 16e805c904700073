package typecheck

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"testing"
)

// shallowModule declares what the shallow encoding must carry: generic
// types and their methods, generic aliases, constraints with unions,
// embedded interfaces, constants of every kind, byte and rune, struct
// tags, unexported fields and methods, types that refer to each other,
// and aliases that name aliases.
var shallowModule = map[string]string{
	"go.mod": "module example.com/m\n\ngo 1.24\n",
	"kinds/kinds.go": `package kinds

import (
	"io"
	"iter"
	"sync/atomic"
)

type Number interface {
	~int | ~int64 | ~float64
}

type List[T any] struct {
	head *node[T]
	Len  int ` + "`json:\"len,omitempty\"`" + `
}

type node[T any] struct {
	v    T
	next *node[T]
}

func (l *List[T]) Push(v T)            { l.head = &node[T]{v, l.head} }
func (l List[T]) All() iter.Seq[T]     { return nil }
func (l *List[T]) private() (n int)    { return }
func Sum[N Number](xs ...N) (total N)  { return }
func Map[S ~[]E, E, F any](s S, f func(E) F) []F { return nil }

type Pair[K comparable, V any] = struct {
	Key K
	Val V
}

type IntPair = Pair[int, string]

type Again = IntPair

type ReadCloser interface {
	io.Reader
	Close() error
	unexported()
}

type Tree struct {
	Left, Right *Tree
	Forest      Forest
	io.Writer
	b byte
	r rune
}

type Forest []*Tree

type Counter atomic.Int64

type Chans struct {
	In  <-chan int
	Out chan<- [4]map[string]error
	Any any
	Fn  func(int, ...string) (bool, error)
}

const (
	Big      = 1 << 100
	Pi       = 3.14159265358979323846264338327950288419716939937510582097494459
	Third    = 1.0 / 3
	Tiny     = 1e-300 * 1e-300
	Imag     = 2 + 3i
	Real     = 2 + 0i
	Name     = "kinds\n"
	Yes      = true
	Typed    int8 = -7
	Letter   = 'x'
)

var (
	Default = List[string]{}
	Handler func(p *Pair[string, int]) Again
)

type Stringer interface{ String() string }

type Named[T Stringer] struct{ v T }

func (n Named[T]) String() string { return n.v.String() }

type Inst = Named[Named[Tree]]

func (Tree) String() string { return "" }

// Read in the order of names, an alias before the one it names, and a
// named interface after another named for it.
type AChain = ZChain
type ZChain = map[string][]AChain2
type AChain2 = int

type ABased ZIface
type ZIface interface{ M(ABased) ZIface }
`,
}

// TestShallow checks the shallow encoding: every package of a load, checked
// from source, then encoded and read back against its imports, has the
// same objects, with the same types, methods and lines; the standard
// library's packages that net/http, encoding/json, log/slog and math/big
// need, and shallowModule's.
func TestShallow(t *testing.T) {
	files := map[string]string{}
	for name, src := range shallowModule {
		files[name] = src
	}
	files["main.go"] = "package main\n\nimport (\n\t\"encoding/json\"\n\t\"log/slog\"\n\t\"math/big\"\n\t\"net/http\"\n\t\"slices\"\n\t\"maps\"\n\t\"unique\"\n\n\t\"example.com/m/kinds\"\n)\n\nvar _ = kinds.Big\n\nfunc main() { http.Handle(\"/\", nil); json.Marshal(nil); slog.Info(\"\"); big.NewInt(1); slices.Sort([]int{}); maps.Keys(map[int]int{}); unique.Make(1) }\n"
	pkgs, _ := loadModule(t, files)
	u := cacheUniverse(pkgs, nil, testSalt)
	ids := []string{"example.com/m/kinds", "net/http", "encoding/json", "log/slog", "math/big", "slices", "maps", "unique"}
	within(t, func() {
		for _, id := range ids {
			if _, err := u.Package(id); err != nil {
				t.Fatal(err)
			}
		}
	})
	n := 0
	for id, e := range u.entries {
		if e.pkg == nil || !e.clean {
			continue
		}
		n++
		data, err := encodeShallow(u.Fset, e.pkg)
		if err != nil {
			t.Errorf("%s: %v", id, err)
			continue
		}
		fset := token.NewFileSet()
		got, err := decodeShallow(fset, data, e.pkg.Path(), func(path string) *types.Package { return u.exported[path] })
		if err != nil {
			t.Errorf("%s: %v", id, err)
			continue
		}
		if diff := sameObjects(u.Fset, e.pkg, fset, got); diff != "" {
			t.Errorf("%s: read back, %s", id, diff)
		}
	}
	if n < 40 {
		t.Errorf("only %d packages checked", n)
	}
}

// sameObjects returns how the objects of package a and b differ, "" when
// they print the same, with the same positions by file and line, and so do
// the methods of their named types.
func sameObjects(fa *token.FileSet, a *types.Package, fb *token.FileSet, b *types.Package) string {
	if a.Name() != b.Name() {
		return fmt.Sprintf("name %s, then %s", a.Name(), b.Name())
	}
	if !slices.Equal(a.Scope().Names(), b.Scope().Names()) {
		return fmt.Sprintf("names %v,\nthen %v", a.Scope().Names(), b.Scope().Names())
	}
	qual := func(p *types.Package) string { return p.Path() }
	line := func(fset *token.FileSet, pos token.Pos) string {
		p := fset.Position(pos)
		return fmt.Sprintf("%s:%d", p.Filename, p.Line)
	}
	describe := func(fset *token.FileSet, obj types.Object) []string {
		out := []string{types.ObjectString(obj, qual) + " at " + line(fset, obj.Pos())}
		tn, ok := obj.(*types.TypeName)
		if !ok {
			return out
		}
		out = append(out, "underlying "+types.TypeString(tn.Type().Underlying(), qual))
		if named, ok := tn.Type().(*types.Named); ok {
			for i := range named.NumMethods() {
				m := named.Method(i)
				out = append(out, types.ObjectString(m, qual)+" at "+line(fset, m.Pos()))
			}
			for _, ptr := range []bool{false, true} {
				var t types.Type = named
				if ptr {
					t = types.NewPointer(named)
				}
				ms := types.NewMethodSet(t)
				for i := range ms.Len() {
					out = append(out, "method set: "+ms.At(i).String())
				}
			}
		}
		if it, ok := tn.Type().Underlying().(*types.Interface); ok {
			for i := range it.NumMethods() {
				out = append(out, "interface method "+types.ObjectString(it.Method(i), qual))
			}
		}
		return out
	}
	for _, name := range a.Scope().Names() {
		da, db := describe(fa, a.Scope().Lookup(name)), describe(fb, b.Scope().Lookup(name))
		if !slices.Equal(da, db) {
			return fmt.Sprintf("%s:\n\t%s\nthen\n\t%s", name, strings.Join(da, "\n\t"), strings.Join(db, "\n\t"))
		}
	}
	return ""
}
