package typecheck

import (
	"bytes"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/go/packages"
)

// cacheModule is a module of three packages, app importing lib importing
// base, with an unexported function and method in lib, which rules can
// target and which the compiler's export data would lack.
var cacheModule = map[string]string{
	"go.mod": "module example.com/m\n\ngo 1.22\n",
	"base/base.go": `package base

type Size int
`,
	"lib/lib.go": `package lib

import (
	"strings"

	"example.com/m/base"
)

type T struct{ n base.Size }

func (t *T) grow(by base.Size) { t.n += by }

func helper(s string) string { return strings.ToUpper(s) }

func spare() {}

func Make() *T { return &T{} }
`,
	"lib/lib_other.go": `//go:build other

package lib

func Other() {}
`,
	"app/app.go": `package app

import "example.com/m/lib"

var V = lib.Make()
`,
}

// cacheUniverse loads dir's packages (already loaded as pkgs) into a
// universe that uses cache c.
func cacheUniverse(pkgs map[string]*packages.Package, c *Cache, salt string, sourceIDs ...string) *Universe {
	u := New(pkgs, runtime.GOARCH)
	u.UseCache(c, salt, sourceIDs, filepath.Join(runtime.GOROOT(), "src"))
	return u
}

var testSalt = Salt("go1.26.8", "linux", "amd64", "", "1")

// TestCacheKey checks that a package's key changes with what its types
// depend on, and only with that.
func TestCacheKey(t *testing.T) {
	pkgs, dir := loadModule(t, cacheModule)
	key := func(salt, id string) string {
		k := cacheUniverse(pkgs, nil, salt).Key(id)
		if k == "" {
			t.Fatalf("no key for %s", id)
		}
		return k
	}
	app, lib := key(testSalt, "example.com/m/app"), key(testSalt, "example.com/m/lib")
	if again := key(testSalt, "example.com/m/app"); again != app {
		t.Errorf("two keys of one package differ: %s, %s", app, again)
	}
	if app == lib {
		t.Errorf("app and lib share key %s", app)
	}
	for name, salt := range map[string]string{
		"Go version": Salt("go1.26.9", "linux", "amd64", "", "1"),
		"GOARCH":     Salt("go1.26.8", "linux", "arm64", "", "1"),
		"GOOS":       Salt("go1.26.8", "darwin", "amd64", "", "1"),
		"build tags": Salt("go1.26.8", "linux", "amd64", "-tags=other", "1"),
		"cgo":        Salt("go1.26.8", "linux", "amd64", "", "0"),
	} {
		if key(salt, "example.com/m/app") == app {
			t.Errorf("a change of %s leaves the key as it was", name)
		}
	}

	// A dependency two levels down changes, same size: both keys change.
	name := filepath.Join(dir, "base", "base.go")
	if err := os.WriteFile(name, []byte("package base\n\ntype Size int8\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if key(testSalt, "example.com/m/app") == app || key(testSalt, "example.com/m/lib") == lib {
		t.Error("an edit of base left the keys of its importers as they were")
	}

	// The build tag selects another file list: another key.
	tagged, _ := loadModuleTags(t, dir, "other")
	if k := cacheUniverse(tagged, nil, testSalt).Key("example.com/m/lib"); k == key(testSalt, "example.com/m/lib") || k == "" {
		t.Errorf("lib's key with tag other = %q, the same as without or none", k)
	}
}

// TestCacheRoundTrip checks that a second universe over the same cache
// reads every package from it, with the same objects, unexported ones
// included, and that an import that the check records survives.
func TestCacheRoundTrip(t *testing.T) {
	pkgs, _ := loadModule(t, cacheModule)
	c := NewCache(t.TempDir())
	first := cacheUniverse(pkgs, c, testSalt)
	var want *types.Package
	within(t, func() {
		var err error
		if want, err = first.Package("example.com/m/lib"); err != nil {
			t.Fatal(err)
		}
	})
	if _, ok := c.get(first.Key("example.com/m/lib")); !ok {
		t.Fatal("lib is not in the cache after its check")
	}

	second := cacheUniverse(pkgs, c, testSalt)
	var got *types.Package
	within(t, func() {
		var err error
		if got, err = second.Package("example.com/m/lib"); err != nil {
			t.Fatal(err)
		}
	})
	first.mu.Lock()
	checked := int64(len(first.entries)) // lib and every dependency
	first.mu.Unlock()
	if n := second.hits.Load(); n != checked || first.hits.Load() != 0 {
		t.Fatalf("the universes read %d and %d packages from the cache, want 0 and %d", first.hits.Load(), n, checked)
	}
	compareScopes(t, want, got)
	var paths []string
	for _, p := range got.Imports() {
		paths = append(paths, p.Path())
	}
	// strings, which only a function body uses, is not imported by the
	// check of lib's declarations, nor checked at all.
	if len(paths) != 1 || paths[0] != "example.com/m/base" {
		t.Errorf("imports of lib read from the cache = %v, want [example.com/m/base]", paths)
	}
	if first.entries["strings"] != nil {
		t.Error("strings was checked, though only a body of lib uses it")
	}
	// A package named as one to rewrite comes from source, with the
	// unexported functions that its rules target, which export data lacks,
	// but not the others.
	third := cacheUniverse(pkgs, c, testSalt, "example.com/m/lib")
	third.Keep("example.com/m/lib", "helper")
	var src *types.Package
	within(t, func() {
		var err error
		if src, err = third.Source("example.com/m/lib"); err != nil {
			t.Fatal(err)
		}
	})
	if src.Scope().Lookup("helper") == nil {
		t.Error("lib from source lacks its unexported helper, which it was to keep")
	}
	if src.Scope().Lookup("spare") != nil {
		t.Error("lib from source has its unexported spare, which nothing keeps")
	}
	if third.hits.Load() != checked-1 {
		t.Errorf("the third universe read %d packages from the cache, want %d (all but lib)", third.hits.Load(), checked-1)
	}

	// Types stay identical across packages: lib's T.n is of the base.Size
	// that base, read on its own, declares.
	base, err := second.Package("example.com/m/base")
	if err != nil {
		t.Fatal(err)
	}
	st := got.Scope().Lookup("T").Type().Underlying().(*types.Struct)
	if !types.Identical(st.Field(0).Type(), base.Scope().Lookup("Size").Type()) {
		t.Error("lib.T.n and base.Size are not identical")
	}
}

// compareScopes fails unless two packages declare the same objects with
// types that print the same.
func compareScopes(t *testing.T, want, got *types.Package) {
	t.Helper()
	exported := func(names []string) []string {
		var out []string
		for _, n := range names {
			if token.IsExported(n) {
				out = append(out, n)
			}
		}
		return out
	}
	wn, gn := exported(want.Scope().Names()), exported(got.Scope().Names())
	if !slices.Equal(wn, gn) {
		t.Fatalf("exported names: got %v, want %v", gn, wn)
	}
	for _, name := range wn {
		w, g := want.Scope().Lookup(name), got.Scope().Lookup(name)
		if g == nil || w.Type().String() != g.Type().String() {
			t.Errorf("%s: got %v, want %v", name, g, w)
		}
		if named, ok := w.Type().(*types.Named); ok {
			gnamed := g.Type().(*types.Named)
			if named.NumMethods() != gnamed.NumMethods() {
				t.Errorf("%s: %d methods, want %d", name, gnamed.NumMethods(), named.NumMethods())
			}
			for i := 0; i < named.NumMethods(); i++ {
				if m := gnamed.Method(i); m.String() != named.Method(i).String() {
					t.Errorf("%s method %d: %v, want %v", name, i, m, named.Method(i))
				}
			}
		}
	}
}

// TestCacheCorrupt checks that an entry cut short, or of another key, or
// garbage, is a miss: the package comes from source, right, and the entry
// is written again, to a pack that a later run reads past the spoilt one.
func TestCacheCorrupt(t *testing.T) {
	pkgs, _ := loadModule(t, cacheModule)
	dir := t.TempDir()
	c := NewCache(dir)
	first := cacheUniverse(pkgs, c, testSalt)
	var want *types.Package
	within(t, func() { want, _ = first.Package("example.com/m/lib") })
	key := first.Key("example.com/m/lib")
	c.Close()
	packs, _ := filepath.Glob(filepath.Join(dir, "packs", "*"))
	if len(packs) != 1 {
		t.Fatalf("packs after one run: %v, want one", packs)
	}
	file := packs[0]
	orig, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	places, start, ok := readIndex(f)
	f.Close()
	pl, found := places[key]
	if !ok || !found {
		t.Fatalf("lib is not in the pack's index")
	}
	from, to := start+pl.off, start+pl.off+pl.len
	for name, spoil := range map[string]func([]byte) []byte{
		"truncated": func(b []byte) []byte { return b[:from+pl.len/2] },
		"garbage": func(b []byte) []byte {
			b = bytes.Clone(b)
			copy(b[from:to], bytes.Repeat([]byte("not an entry\n"), int(pl.len)))
			return b
		},
		"bit flip": func(b []byte) []byte {
			b = bytes.Clone(b)
			b[to-3] ^= 0x40
			return b
		},
		"empty": func([]byte) []byte { return nil },
	} {
		t.Run(name, func(t *testing.T) {
			os.RemoveAll(filepath.Join(dir, "packs"))
			os.MkdirAll(filepath.Join(dir, "packs"), 0o755)
			if err := os.WriteFile(file, spoil(orig), 0o644); err != nil {
				t.Fatal(err)
			}
			c := NewCache(dir)
			if _, ok := c.get(key); ok {
				t.Fatal("a spoilt entry reads")
			}
			second := cacheUniverse(pkgs, c, testSalt)
			var got *types.Package
			within(t, func() {
				if got, err = second.Package("example.com/m/lib"); err != nil {
					t.Fatal(err)
				}
			})
			compareScopes(t, want, got)
			// And the check from source wrote the entry again.
			c.Close()
			if _, ok := NewCache(dir).get(key); !ok {
				t.Error("the entry was not written again")
			}
		})
	}
}

// TestCachePacks checks that a run's entries go into one pack at Close,
// which another run reads; that a note is replaced in place; and that a
// trim removes the packs and notes unused for long and merges the rest
// when there are many, keeping their entries.
func TestCachePacks(t *testing.T) {
	dir := t.TempDir()
	key := func(i int) string { return nameKey("test", strconv.Itoa(i)) }
	c := NewCache(dir)
	for i := range 10 {
		c.put(key(i), []byte(strconv.Itoa(i)))
	}
	c.PutNote("n", []byte("one"))
	c.PutNote("n", []byte("two"))
	if data, ok := c.get(key(3)); !ok || string(data) != "3" {
		t.Errorf("before Close: %q, %v", data, ok)
	}
	c.Close()
	c.Close() // nothing more to write
	packs, _ := filepath.Glob(filepath.Join(dir, "packs", "*"))
	if len(packs) != 1 {
		t.Fatalf("packs: %v, want one", packs)
	}
	c = NewCache(dir)
	for i := range 10 {
		if data, ok := c.get(key(i)); !ok || string(data) != strconv.Itoa(i) {
			t.Errorf("entry %d in a new run: %q, %v", i, data, ok)
		}
	}
	if data, ok := c.GetNote("n"); !ok || string(data) != "two" {
		t.Errorf("note: %q, %v, want two", data, ok)
	}
	if _, ok := c.get(key(10)); ok {
		t.Error("an entry never put reads")
	}
	c.Close()

	// Many runs, one pack each; the first is old, as is the note.
	for i := 10; i < 10+maxPacks+2; i++ {
		c := NewCache(dir)
		c.put(key(i), []byte(strconv.Itoa(i)))
		c.Close()
	}
	long := time.Now().Add(-trimAge - time.Hour)
	os.Chtimes(packs[0], long, long)
	os.Chtimes(filepath.Join(dir, "notes", nameKey("note", "n")), long, long)
	os.Remove(filepath.Join(dir, "trimmed"))
	NewCache(dir).Close()
	after, _ := filepath.Glob(filepath.Join(dir, "packs", "*"))
	if len(after) != 1 {
		t.Errorf("packs after the trim: %d, want 1, merged", len(after))
	}
	c = NewCache(dir)
	for i := range 10 + maxPacks + 2 {
		_, ok := c.get(key(i))
		if ok != (i >= 10) {
			t.Errorf("entry %d after the trim: %v, want %v", i, ok, i >= 10)
		}
	}
	if _, ok := c.GetNote("n"); ok {
		t.Error("the old note is still there")
	}
}

// TestCachePutLater checks entries made in the background: each is made
// once, whether get or the background asks first, in the order put; one
// whose maker fails is not stored; Close writes the rest.
func TestCachePutLater(t *testing.T) {
	dir := t.TempDir()
	key := func(i int) string { return nameKey("test", strconv.Itoa(i)) }
	c := NewCache(dir)
	release := make(chan struct{})
	var mu sync.Mutex
	var made []int
	for i := range 5 {
		c.putLater(key(i), func() ([]byte, bool) {
			if i == 0 {
				<-release // the queue waits behind entry 0
			}
			mu.Lock()
			made = append(made, i)
			mu.Unlock()
			return []byte(strconv.Itoa(i)), i != 2
		})
	}
	if data, ok := c.get(key(3)); !ok || string(data) != "3" {
		t.Errorf("entry 3 asked for before it was made: %q, %v", data, ok)
	}
	close(release)
	c.Close()
	if want := []int{3, 0, 1, 2, 4}; !slices.Equal(made, want) {
		t.Errorf("made in the order %v, want %v", made, want)
	}
	c = NewCache(dir)
	defer c.Close()
	for i := range 5 {
		if data, ok := c.get(key(i)); ok != (i != 2) || ok && string(data) != strconv.Itoa(i) {
			t.Errorf("entry %d in a new run: %q, %v", i, data, ok)
		}
	}
}

// TestCacheCheck checks that a full check that found no error is
// remembered, by the content of the files checked.
func TestCacheCheck(t *testing.T) {
	pkgs, dir := loadModule(t, cacheModule)
	cacheDir := t.TempDir()
	c := NewCache(cacheDir)
	name := filepath.Join(dir, "app", "app.go")
	good := []Source{{Name: name, Data: []byte("package app\n\nimport \"example.com/m/lib\"\n\nvar V = lib.Make()\n")}}
	bad := []Source{{Name: name, Data: []byte("package app\n\nimport \"example.com/m/lib\"\n\nvar V int = lib.Make()\n")}}
	for i := 0; i < 2; i++ {
		u := cacheUniverse(pkgs, c, testSalt)
		var errs []string
		var err error
		within(t, func() { errs, err = u.Check("example.com/m/app", good, Bodies{}) })
		if err != nil || len(errs) > 0 {
			t.Fatalf("run %d: good: %v %v", i, errs, err)
		}
		within(t, func() { errs, err = u.Check("example.com/m/app", bad, Bodies{}) })
		if err != nil || len(errs) != 1 {
			t.Fatalf("run %d: bad: got %v %v, want one error", i, errs, err)
		}
	}
	u := cacheUniverse(pkgs, c, testSalt)
	if _, ok := c.get(u.checkKey(pkgs["example.com/m/app"], good, Bodies{})); !ok {
		t.Error("the good check is not in the cache")
	}
	// And for the next run, once this one has closed the cache.
	c.Close()
	if _, ok := NewCache(cacheDir).get(u.checkKey(pkgs["example.com/m/app"], good, Bodies{})); !ok {
		t.Error("the good check is not in the cache's pack")
	}
	// A check of every body is another: the first did not check them.
	if _, ok := c.get(u.checkKey(pkgs["example.com/m/app"], good, Bodies{All: true})); ok {
		t.Error("the check of every body was taken for the one made")
	}
}

// loadModuleTags loads the module in dir again, with build tags.
func loadModuleTags(t *testing.T, dir, tags string) (map[string]*packages.Package, string) {
	t.Helper()
	cfg := &packages.Config{
		Mode:       packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps | packages.NeedModule,
		Dir:        dir,
		Env:        append(os.Environ(), "GOWORK=off", "GOFLAGS=", "GOPROXY=off", "GOSUMDB=off"),
		BuildFlags: []string{"-mod=readonly", "-tags=" + tags},
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]*packages.Package{}
	packages.Visit(pkgs, nil, func(p *packages.Package) { all[p.ID] = p })
	return all, dir
}
