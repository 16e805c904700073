package typecheck

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/parser"
	"go/token"
	"go/types"
	"hash"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/otelgen/otelgen/internal/readfile"
	"golang.org/x/tools/go/packages"
)

// UseCache makes the universe read dependency packages' types from cache c
// (nil: none) and write there those it checks from source. salt is what
// every key shares (see Salt). Files below readOnly directories, such as
// GOROOT and the module cache, which the go command never changes in place,
// are known by name, size and modification time; every other file by its
// content.
//
// Export data holds a package's exported objects, and the unexported ones
// they refer to, but not its other unexported functions, variables and
// constants, which rules target: name the packages that otelgen rewrites in
// sourceIDs, and they are always checked from source.
func (u *Universe) UseCache(c *Cache, salt string, sourceIDs []string, readOnly ...string) {
	u.cache, u.salt, u.readOnly = c, salt, readOnly
	u.keys, u.fileSizes = map[string]string{}, map[string]int64{}
	u.source = map[string]bool{}
	for _, id := range sourceIDs {
		u.source[id] = true
	}
}

// Keep names, for package id checked from source (see Source), unexported
// package-level names that its check keeps, with what they reach: the
// functions and types that rules target. The check keeps the exported
// names, which other packages see, and drops the rest. Call it before any
// check.
func (u *Universe) Keep(id string, names ...string) {
	if u.keep == nil {
		u.keep = map[string]map[string]bool{}
	}
	if u.keep[id] == nil {
		u.keep[id] = map[string]bool{}
	}
	for _, n := range names {
		u.keep[id][n] = true
	}
}

// SetSource names again the packages always checked from source (see
// UseCache), before any check.
func (u *Universe) SetSource(ids []string) {
	u.source = map[string]bool{}
	for _, id := range ids {
		u.source[id] = true
	}
}

// entryKey returns the key of package id's own entry: its Key, and when
// the package is checked for what its importers name (demandOf), those
// names. Its importers' keys hold its Key: what they take of it is the same
// whatever else it has.
func (u *Universe) entryKey(id string) string {
	key := u.Key(id)
	if key == "" {
		return ""
	}
	if d := u.demandOf(id); d != nil {
		key += "-" + d.digest
	}
	return key
}

// Key returns the cache key of package id: a digest of the salt, the
// package's path, language version and files, and the keys of its imports,
// so that a change in any dependency changes it. It is "" for a package that
// cannot be cached: one with load errors, or depending on one.
func (u *Universe) Key(id string) string {
	u.keyMu.Lock()
	defer u.keyMu.Unlock()
	if u.keys == nil {
		u.keys = map[string]string{}
		u.fileSizes = map[string]int64{}
	}
	return u.keyLocked(id, map[string]bool{})
}

func (u *Universe) keyLocked(id string, visiting map[string]bool) string {
	if k, ok := u.keys[id]; ok {
		return k
	}
	if visiting[id] {
		return "" // an import cycle: the go command reports it
	}
	visiting[id] = true
	k := u.computeKey(id, visiting)
	u.keys[id] = k
	return k
}

func (u *Universe) computeKey(id string, visiting map[string]bool) string {
	p, ok := u.pkgs[id]
	if !ok || len(p.Errors) > 0 || len(p.GoFiles) == 0 {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\npackage %s %s %s\n", u.salt, p.PkgPath, p.Name, langVersion(p))
	for _, f := range p.GoFiles {
		if !u.stamp(h, f) {
			return ""
		}
	}
	for _, path := range slices.Sorted(maps.Keys(p.Imports)) {
		dep := p.Imports[path]
		if path == "unsafe" || path == "C" {
			fmt.Fprintf(h, "import %s\n", path)
			continue
		}
		k := u.keyLocked(dep.ID, visiting)
		if k == "" {
			return ""
		}
		fmt.Fprintf(h, "import %s %s\n", path, k)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// stamp writes what identifies the content of file name to h.
func (u *Universe) stamp(h hash.Hash, name string) bool {
	for _, dir := range u.readOnly {
		if dir != "" && strings.HasPrefix(name, dir+string(os.PathSeparator)) {
			fi, err := os.Stat(name)
			if err != nil || !fi.Mode().IsRegular() {
				return false
			}
			fmt.Fprintf(h, "file %s %d %d\n", name, fi.Size(), fi.ModTime().UnixNano())
			u.fileSizes[name] = fi.Size()
			return true
		}
	}
	data, err := readfile.ReadFile(name)
	if err != nil {
		return false
	}
	fmt.Fprintf(h, "file %s %x\n", name, sha256.Sum256(data))
	u.fileSizes[name] = int64(len(data))
	return true
}

// size returns the size of file name, as stamped for a key if it was.
func (u *Universe) size(name string) (int64, error) {
	u.keyMu.Lock()
	n, ok := u.fileSizes[name]
	u.keyMu.Unlock()
	if ok {
		return n, nil
	}
	fi, err := os.Stat(name)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// fromCache reads package p of entry e from the cache, after its imports,
// and reports whether it could. On a miss, fromSource writes the entry.
func (u *Universe) fromCache(e *entry, p *packages.Package) bool {
	if u.cache == nil || u.source[p.ID] {
		return false
	}
	key := u.entryKey(p.ID)
	if key == "" {
		return false
	}
	data, ok := u.cache.get(key)
	if !ok {
		return false
	}
	head, exp, ok := bytes.Cut(data, []byte("\n"))
	if !ok {
		return false
	}
	var imports []string
	if len(head) > 0 {
		imports = strings.Split(string(head), "\x00")
	}
	// Every import the check imported first (see dropUnusedImports), so
	// that the export data's references to other packages find them
	// complete in the shared map.
	byPkgPath := map[string]string{} // which differs from the import path of a vendored package
	for _, dep := range p.Imports {
		byPkgPath[dep.PkgPath] = dep.ID
	}
	deps := map[string]*types.Package{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	failed := false
	for _, path := range imports {
		if path == "unsafe" || path == "C" {
			continue
		}
		id, ok := byPkgPath[path]
		if !ok {
			return false
		}
		dep := u.pkgs[id]
		if dep == nil {
			return false
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			t, err := u.pkg(e, dep.ID)
			mu.Lock()
			defer mu.Unlock()
			if err != nil || t == nil {
				failed = true
				return
			}
			u.mu.Lock()
			clean := u.entries[dep.ID] != nil && u.entries[dep.ID].clean
			u.mu.Unlock()
			if !clean {
				failed = true
			}
			deps[t.Path()] = t // as the export data names it: "vendor/..." for a vendored import
		}()
	}
	wg.Wait()
	if failed {
		return false
	}
	list := make([]*types.Package, 0, len(imports))
	for _, path := range imports {
		switch {
		case path == "unsafe":
			list = append(list, types.Unsafe)
		case path == "C":
			list = append(list, types.NewPackage("C", "C"))
		case deps[path] != nil:
			list = append(list, deps[path])
		default:
			return false
		}
	}
	pkg, ok := u.readExport(p.PkgPath, exp)
	if !ok {
		return false
	}
	// The imports as the check from source records them, in the order of
	// the files.
	pkg.SetImports(list)
	e.pkg, e.clean = pkg, true
	u.hits.Add(1)
	return true
}

// readExport reads the shallow export data of package path (see
// encodeShallow) into the shared map of packages, whose packages it refers
// to must be there already.
func (u *Universe) readExport(path string, exp []byte) (pkg *types.Package, ok bool) {
	u.exportMu.Lock()
	defer u.exportMu.Unlock()
	if _, ok := u.exported[path]; ok {
		return nil, false
	}
	pkg, err := decodeShallow(u.Fset, exp, path, func(path string) *types.Package { return u.exported[path] })
	if err != nil {
		return nil, false
	}
	u.exported[path] = pkg
	return pkg, true
}

// share enters package p, checked from source for entry e, in the map of
// packages that reads of export data share, and has the cache write its
// export data, in the background, when it is clean.
func (u *Universe) share(e *entry, p *packages.Package) {
	if e.pkg == nil {
		return
	}
	u.exportMu.Lock()
	if _, ok := u.exported[p.PkgPath]; !ok {
		u.exported[p.PkgPath] = e.pkg
	}
	u.exportMu.Unlock()
	if u.cache == nil || !e.clean {
		return
	}
	key := u.entryKey(p.ID)
	if key == "" {
		return
	}
	pkg := e.pkg
	u.cache.putLater(key, func() ([]byte, bool) {
		var buf bytes.Buffer
		for i, imp := range pkg.Imports() {
			if i > 0 {
				buf.WriteByte(0)
			}
			buf.WriteString(imp.Path())
		}
		buf.WriteByte('\n')
		data, err := encodeShallow(u.Fset, pkg)
		buf.Write(data)
		return buf.Bytes(), err == nil
	})
}

// importsClean reports whether every package that pkg, checked from p's
// files, imports was checked clean.
func (u *Universe) importsClean(p *packages.Package, pkg *types.Package) bool {
	ids := map[string]string{} // by package path, which differs from the import path of a vendored package
	for _, dep := range p.Imports {
		ids[dep.PkgPath] = dep.ID
	}
	for _, imp := range pkg.Imports() {
		if imp.Path() == "unsafe" || imp.Path() == "C" {
			continue
		}
		id, ok := ids[imp.Path()]
		if !ok {
			return false
		}
		u.mu.Lock()
		e := u.entries[id]
		clean := e != nil && e.done && e.clean
		u.mu.Unlock()
		if !clean {
			return false
		}
	}
	return true
}

// checkKey is the cache key of Check of package p with files srcs, or "".
func (u *Universe) checkKey(p *packages.Package, srcs []Source, bodies Bodies) string {
	if u.cache == nil || len(srcs) == 0 {
		return ""
	}
	base := u.Key(p.ID)
	if base == "" {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "check %s all bodies %t literals %q\n", base, bodies.All, bodies.Literals)
	sorted := slices.Clone(srcs)
	slices.SortFunc(sorted, func(a, b Source) int { return strings.Compare(a.Name, b.Name) })
	fset := token.NewFileSet()
	added := map[string]bool{}
	for _, s := range sorted {
		fmt.Fprintf(h, "file %s %x\n", s.Name, sha256.Sum256(s.Data))
		if s.Original != nil {
			fmt.Fprintf(h, "original %x\n", sha256.Sum256(s.Original))
		}
		f, err := parser.ParseFile(fset, s.Name, s.Data, parser.ImportsOnly)
		if err != nil {
			return ""
		}
		for _, spec := range f.Imports {
			path, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return ""
			}
			if _, ok := p.Imports[path]; !ok && path != "unsafe" && path != "C" {
				added[path] = true
			}
		}
	}
	for _, path := range slices.Sorted(maps.Keys(added)) {
		id, ok := u.byPath[path]
		if !ok {
			return ""
		}
		k := u.Key(id)
		if k == "" {
			return ""
		}
		fmt.Fprintf(h, "import %s %s\n", path, k)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// checkOK is what the cache holds for a full check that found no error.
var checkOK = []byte("ok\n")
