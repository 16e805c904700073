// Package typecheck type-checks packages from source, for two jobs: checking a
// hook's signature against its target, and checking every rewritten package
// before otelgen writes it.
//
// Dependencies are checked without function bodies (skimmed: see SkimBodies),
// and without what other packages cannot reach of them (withoutUnreachable)
// nor the imports that only that used (withoutUnusedImports), each once, in
// parallel, or read from a Cache of earlier checks' results. A rewritten
// package is checked with the bodies its rewrite changed (Check, Bodies),
// and of its other declarations those that the changed code needs
// (withoutUnneeded).
// No check waits for itself: an import that the go command could not resolve
// is an error of the importing package, and an import that would close a cycle
// of checks under way fails instead of waiting.
package typecheck

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/otelgen/otelgen/internal/readfile"
	"golang.org/x/mod/modfile"
	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// Universe type-checks the packages of one load, lazily.
type Universe struct {
	Fset   *token.FileSet
	pkgs   map[string]*packages.Package // by ID
	byPath map[string]string            // import path to ID
	sizes  types.Sizes

	mu      sync.Mutex
	entries map[string]*entry

	// exportMu guards exported, the packages every read of export data
	// shares so that types stay identical across them: those read from
	// export data and those checked from source, by path.
	exportMu sync.Mutex
	exported map[string]*types.Package
	sem      chan struct{}

	cache     *Cache
	salt      string
	readOnly  []string // directories whose files never change in place
	keyMu     sync.Mutex
	keys      map[string]string           // cache keys by package ID; "" for none
	fileSizes map[string]int64            // of the files that keys stamped, by name
	hits      atomic.Int64                // packages read from the cache
	source    map[string]bool             // IDs never read from the cache
	keep      map[string]map[string]bool  // by ID: unexported names that a check from source keeps (Keep)
	ifaces    map[*types.Package][]string // see ifaceMethods; guarded by mu
	// unpruned makes Check check every declaration, for tests.
	unpruned bool
	demandState
}

// An entry is one package's check, run once whoever asks first.
type entry struct {
	id   string // the package's ID
	once sync.Once
	pkg  *types.Package
	err  error
	// clean is a package whose check, and every dependency's, found no
	// error: only such packages go into the cache.
	clean bool
	// unresolved is the first import of the package's files that the go
	// command could not resolve: Package tolerates it, Source does not.
	unresolved *ImportError
	// files are the skimmed syntax of a package that otelgen rewrites,
	// checked from source, kept for rewrite.Package, every declaration
	// there; checked are the same without the imports that only bodies
	// used, kept for Check.
	files, checked []*ast.File
	// texts are the contents of the files of a package that otelgen
	// rewrites, by name, read once for all who need them.
	texts map[string][]byte

	// Guarded by Universe.mu.
	done  bool
	waits map[*entry]int // unfinished entries that this entry's check waits for
}

// An ImportError is an import, in a file of a package being checked, of a
// package that the go command could not resolve: no module provides it, its
// module's go.sum line is missing, or it has no files for the platform.
type ImportError struct {
	Pkg  string         // the importing package's path
	Path string         // the import path
	Pos  token.Position // the import in the importing file
	Msg  string         // what the go command said
}

func (e *ImportError) Error() string {
	in := ""
	if e.Pos.IsValid() {
		in = " (in " + e.Pos.String() + ")"
	}
	return fmt.Sprintf("cannot type-check %s: import %q%s could not be resolved: %s", e.Pkg, e.Path, in, e.Msg)
}

// New returns a universe over pkgs (every package of a load, by ID), for
// the architecture goarch.
func New(pkgs map[string]*packages.Package, goarch string) *Universe {
	byPath := map[string]string{}
	for id, p := range pkgs {
		byPath[p.PkgPath] = id
	}
	return &Universe{
		byPath:   byPath,
		Fset:     token.NewFileSet(),
		pkgs:     pkgs,
		sizes:    types.SizesFor("gc", goarch),
		entries:  map[string]*entry{},
		exported: map[string]*types.Package{},
		ifaces:   map[*types.Package][]string{},
		sem:      make(chan struct{}, runtime.GOMAXPROCS(0)),
	}
}

// Package returns the type-checked original package with the given ID,
// checked without function bodies. Type errors in dependencies are tolerated:
// the compiler is the judge of code otelgen did not write. So are imports
// that the go command could not resolve, but a package it could not resolve
// is an error.
func (u *Universe) Package(id string) (*types.Package, error) {
	return u.pkg(nil, id)
}

// pkg is Package, asked for by the check of entry from, or by a caller
// outside any check when from is nil.
func (u *Universe) pkg(from *entry, id string) (*types.Package, error) {
	if id == "unsafe" {
		return types.Unsafe, nil
	}
	e, err := u.run(from, id, id, func(e *entry) {
		p, ok := u.pkgs[id]
		if !ok {
			e.err = fmt.Errorf("package %s was not loaded", id)
			return
		}
		if errs, ok := unresolved(p); ok {
			var msgs []string
			for _, err := range errs {
				msgs = append(msgs, err.Error())
			}
			e.err = fmt.Errorf("package %s could not be resolved: %s", p.PkgPath, strings.Join(msgs, "; "))
			return
		}
		if p.ExportFile != "" {
			// The compiler's export data, from the build cache: much
			// cheaper than checking the package and its imports from
			// source.
			if e.pkg, e.err = u.fromExport(p); e.err == nil {
				return
			}
			// From source, then.
			e.pkg, e.err = nil, nil
		}
		if u.fromCache(e, p) {
			return
		}
		u.fromSource(e, p)
		u.share(e, p)
	})
	if err != nil {
		return nil, err
	}
	return e.pkg, e.err
}

// run returns the entry for key, after running f on it unless it has run
// already. When the check of entry from would wait for an entry whose check
// waits, directly or not, for from's, which would never end, run returns an
// import cycle error instead.
func (u *Universe) run(from *entry, key, id string, f func(e *entry)) (*entry, error) {
	u.mu.Lock()
	e, ok := u.entries[key]
	if !ok {
		e = &entry{id: id, waits: map[*entry]int{}}
		u.entries[key] = e
	}
	wait := from != nil && !e.done
	if wait {
		if chain := waitChain(e, from, map[*entry]bool{}); chain != nil {
			u.mu.Unlock()
			ids := []string{from.id}
			for _, c := range chain {
				ids = append(ids, c.id)
			}
			return nil, fmt.Errorf("import cycle not allowed: %s", strings.Join(ids, " imports "))
		}
		from.waits[e]++
	}
	u.mu.Unlock()
	e.once.Do(func() {
		f(e)
		u.mu.Lock()
		e.done = true
		u.mu.Unlock()
	})
	if wait {
		u.mu.Lock()
		if from.waits[e]--; from.waits[e] == 0 {
			delete(from.waits, e)
		}
		u.mu.Unlock()
	}
	return e, nil
}

// waitChain returns the unfinished entries from e to target, each one's
// check waiting for the next's, or nil when there is no such chain. The
// caller holds u.mu.
func waitChain(e, target *entry, seen map[*entry]bool) []*entry {
	if e == target {
		return []*entry{e}
	}
	if seen[e] {
		return nil
	}
	seen[e] = true
	for next := range e.waits {
		if chain := waitChain(next, target, seen); chain != nil {
			return append([]*entry{e}, chain...)
		}
	}
	return nil
}

// unresolved returns the errors of a package that the go command could not
// resolve: one with errors and no files of its own. (For an import that no
// module provides, go/packages may give the package the importing file,
// taken from the error's position.)
func unresolved(p *packages.Package) ([]packages.Error, bool) {
	if len(p.Errors) == 0 {
		return nil, false
	}
	own := p.Dir != "" && len(p.GoFiles) > 0
	for _, f := range p.GoFiles {
		if filepath.Dir(f) != p.Dir {
			own = false
		}
	}
	return p.Errors, !own
}

// fromSource type-checks package p of entry e from its files, without
// function bodies.
func (u *Universe) fromSource(e *entry, p *packages.Package) {
	// Only lines matter to a check; rewrite.Package parses again, with
	// every offset right, the files it edits.
	var srcs []Source
	if u.source[p.ID] {
		e.texts = map[string][]byte{}
		for _, name := range p.GoFiles {
			data, err := u.read(name)
			if err != nil {
				e.err = err
				return
			}
			e.texts[name] = data
			srcs = append(srcs, Source{Name: name, Data: data})
		}
	}
	// Importers see a dependency's exported names, or of a wide one
	// what they name of it. A package to rewrite is parsed whole.
	var root func(name string) bool
	if !u.source[p.ID] {
		root = ast.IsExported
		if d := u.demandOf(p.ID); d != nil {
			root = func(name string) bool { return d.names[name] }
		}
	}
	files, err := u.parse(p, srcs, parseShort, root)
	if err != nil {
		e.err = err
		return
	}
	if u.source[p.ID] {
		e.files = files                                   // for rewrite.Package, every declaration kept
		e.checked = u.withoutUnusedImports(p, files, nil) // for Check
		if !importsC(files) {
			// Importers see the exported names; rewrite.Package and
			// bind look up the targets of the package's rules (Keep).
			keep := u.keep[p.ID]
			files = withoutUnreachable(files, func(name string) bool { return ast.IsExported(name) || keep[name] })
		}
	} else if !importsC(files) {
		files = withoutUnreachable(files, root)
	}
	files = u.withoutUnusedImports(p, files, nil)
	e.unresolved = u.warm(e, p, files)
	var errs []string
	e.pkg, _, errs = u.check(e, p, files, true, nil)
	e.clean = len(errs) == 0 && e.unresolved == nil && e.pkg != nil && u.importsClean(p, e.pkg)
}

// withoutUnusedImports returns the skimmed files of p without the imports
// that nothing left in them names (those that only function bodies used)
// and blank ones, when droppable says so of their path (nil: of every
// one). A check of p's declarations needs none of them, so neither they nor
// what only they import are checked at all: on a net/http program, about
// half the packages of the build. An import whose name cannot be told is
// kept. A file that loses an import is a copy: files are unchanged.
func (u *Universe) withoutUnusedImports(p *packages.Package, files []*ast.File, droppable func(path string) bool) []*ast.File {
	out := make([]*ast.File, 0, len(files))
	for _, f := range files {
		used := map[string]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok {
					used[id.Name] = true
				}
			}
			return true
		})
		keep := func(spec *ast.ImportSpec) bool {
			path, err := strconv.Unquote(spec.Path.Value)
			if err != nil || path == "C" || droppable != nil && !droppable(path) {
				return true
			}
			name := ""
			if spec.Name != nil {
				name = spec.Name.Name
			} else if dep, ok := p.Imports[path]; ok {
				name = dep.Name
				if full := u.pkgs[dep.ID]; name == "" && full != nil {
					name = full.Name
				}
			}
			switch name {
			case "":
				return true // unknown
			case "_":
				return false
			case ".":
				return true
			}
			return used[name]
		}
		var imports []*ast.ImportSpec
		for _, spec := range f.Imports {
			if keep(spec) {
				imports = append(imports, spec)
			}
		}
		if len(imports) == len(f.Imports) {
			out = append(out, f)
			continue
		}
		cp := *f
		cp.Imports = imports
		cp.Decls = nil
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
				g := *gd
				g.Specs = nil
				for _, spec := range gd.Specs {
					if keep(spec.(*ast.ImportSpec)) {
						g.Specs = append(g.Specs, spec)
					}
				}
				if len(g.Specs) == 0 {
					continue
				}
				d = &g
			}
			cp.Decls = append(cp.Decls, d)
		}
		out = append(out, &cp)
	}
	return out
}

// fromExport reads a package's types from its export data. Every package
// read so shares one map of packages, so that types stay identical across
// them.
func (u *Universe) fromExport(p *packages.Package) (*types.Package, error) {
	f, err := os.Open(p.ExportFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, err
	}
	u.exportMu.Lock()
	defer u.exportMu.Unlock()
	return gcexportdata.Read(r, u.Fset, u.exported, p.PkgPath)
}

// Source returns package id type-checked from its source, without function
// bodies, its imports as Package gives them: its exported declarations, the
// unexported ones that Keep names, which rules target and export data
// lacks, and what those reach. Source is for the packages that
// otelgen rewrites, so an import that the go command could not resolve is an
// error, an *ImportError.
func (u *Universe) Source(id string) (*types.Package, error) {
	if id == "unsafe" {
		return types.Unsafe, nil
	}
	p, ok := u.pkgs[id]
	if !ok {
		return nil, fmt.Errorf("package %s was not loaded", id)
	}
	var e *entry
	if p.ExportFile == "" {
		// Package checks it from source.
		if _, err := u.Package(id); err != nil {
			return nil, err
		}
		u.mu.Lock()
		e = u.entries[id]
		u.mu.Unlock()
	} else {
		e, _ = u.run(nil, "source:"+id, id, func(e *entry) { u.fromSource(e, p) })
	}
	if e.err != nil {
		return nil, e.err
	}
	if e.unresolved != nil {
		return nil, e.unresolved
	}
	return e.pkg, nil
}

// Syntax returns the files of package id as its check from source (see
// Source) parsed them, or nil when the check did not keep them: every
// declaration but function bodies and the insides of literals, from short
// text, where positions are right by line only (see skimShort).
func (u *Universe) Syntax(id string) []*ast.File { return u.syntax(id, false) }

// Texts returns the contents of the files of package id by name, as its
// check from source (see Source) read them, or nil when it did not keep
// them.
func (u *Universe) Texts(id string) map[string][]byte {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, key := range []string{id, "source:" + id} {
		if e := u.entries[key]; e != nil && e.done && e.texts != nil {
			return e.texts
		}
	}
	return nil
}

// syntax is Syntax, or with checked the files as the check took them.
func (u *Universe) syntax(id string, checked bool) []*ast.File {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, key := range []string{id, "source:" + id} {
		if e := u.entries[key]; e != nil && e.done && e.files != nil {
			if checked {
				return e.checked
			}
			return e.files
		}
	}
	return nil
}

// warm type-checks the packages that files of p import, concurrently, so
// that a deep graph uses every core, on behalf of entry e (nil for Check).
// It returns the first import that the go command could not resolve.
func (u *Universe) warm(e *entry, p *packages.Package, files []*ast.File) *ImportError {
	var wg sync.WaitGroup
	var first *ImportError
	seen := map[string]bool{}
	for _, f := range files {
		for _, spec := range f.Imports {
			path, err := strconv.Unquote(spec.Path.Value)
			if err != nil || path == "unsafe" || path == "C" || seen[path] {
				continue
			}
			seen[path] = true
			id, err := u.resolve(p, files, path)
			if err != nil {
				// The importer reports it again to go/types.
				if ie, ok := err.(*ImportError); ok && first == nil {
					first = ie
				}
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				u.pkg(e, id)
			}()
		}
	}
	wg.Wait()
	return first
}

// Source is the content of one file to check in place of the file on disk, or
// an added file when its name is not among the package's files.
type Source struct {
	Name string // absolute file name
	Data []byte
	// Original, when set, is the file that Data was made from by edits
	// within some of its functions and declarations appended: the bodies
	// of the functions Data has as Original had them are not checked
	// (see SkimUnchanged). Leave it nil when an edit could break code it
	// did not touch.
	Original []byte
}

// skimmed tells, by file name, which errors of a check are what blanking
// function bodies made rather than what the code has.
type skimmed map[string]*skim

// skim is what blanking made of one file: every body blanked, or the
// ranges of those that were, and the imports of the file before any
// edit.
type skim struct {
	all     bool
	ranges  [][2]int
	imports map[string]bool
}

// made reports whether te is an error that blanking made: a missing
// return or an import left unused, in a file whose bodies were all
// blanked; in one with some blanked, a missing return in one of them, or
// an import left unused that the file had before it was edited.
func (s skimmed) made(te types.Error) bool {
	pos := te.Fset.Position(te.Pos)
	k := s[pos.Filename]
	if k == nil {
		return false
	}
	if k.all {
		return te.Soft || te.Msg == "missing return"
	}
	for _, r := range k.ranges {
		if r[0] <= pos.Offset && pos.Offset < r[1] {
			return true
		}
	}
	if te.Soft && strings.HasPrefix(te.Msg, `"`) && strings.HasSuffix(te.Msg, " not used") {
		// The message names the package by its path, which for a vendored
		// package is not the path imported.
		path, _, _ := strings.Cut(te.Msg[1:], `"`)
		if i := strings.LastIndex(path, "vendor/"); i == 0 || i > 0 && path[i-1] == '/' {
			path = path[i+len("vendor/"):]
		}
		return k.imports[path]
	}
	return false
}

// Bodies says which function bodies Check checks besides those of the
// files it is given, whose bodies it checks but for those SkimUnchanged
// blanks.
type Bodies struct {
	// All is every body of the package.
	All bool
	// Literals are the names of struct types that a rewrite gave a field:
	// every body of a file that has a composite literal of one ("T{", the
	// form a literal without keys, which a new field breaks, must take).
	Literals []string
}

// Check type-checks package id with some files replaced or added, and the
// function bodies that bodies says: a rewrite that only changes the bodies
// of some functions cannot break the bodies of the others. Unless bodies
// says every body, the declarations the rewrite left as they were go too
// but for what the changed ones need, methods included (see
// withoutUnneeded). It returns the errors found, formatted with file and
// line. An import that the go command could not resolve is an error, an
// *ImportError.
func (u *Universe) Check(id string, srcs []Source, bodies Bodies) ([]string, error) {
	p, ok := u.pkgs[id]
	if !ok {
		return nil, fmt.Errorf("package %s was not loaded", id)
	}
	if _, ok := unresolved(p); ok {
		_, err := u.Package(id)
		return nil, err
	}
	// A check of the same files over the same dependencies that found
	// no error finds none again.
	ck := u.checkKey(p, srcs, bodies)
	if ck != "" {
		if data, ok := u.cache.get(ck); ok && bytes.Equal(data, checkOK) {
			return nil, nil
		}
	}
	files, skimmed, err := u.checkFiles(p, srcs, bodies)
	if err != nil {
		return []string{err.Error()}, nil
	}
	if !bodies.All && !importsC(files) && !u.unpruned {
		// Only what the rewrite changed and added, and what that needs:
		// the check of the original found no error in the rest.
		changed := func(d ast.Decl) bool { return skimmed.changed(u.Fset, d) }
		methods := map[string]bool{"Error": true} // of the predeclared error
		for {
			pruned := withoutUnneeded(files, changed, maps.Clone(methods))
			if ie := u.warm(nil, p, pruned); ie != nil {
				return nil, ie
			}
			if !u.addIfaceMethods(p, pruned, methods) {
				files = pruned
				break
			}
		}
	} else if ie := u.warm(nil, p, files); ie != nil {
		return nil, ie
	}
	_, _, errs := u.check(nil, p, files, false, skimmed)
	if ck != "" && len(errs) == 0 {
		u.cache.put(ck, checkOK)
	}
	return errs, nil
}

// checkFiles returns the syntax that Check checks: srcs parsed whole but
// for the bodies that SkimUnchanged blanks, and p's other files skimmed,
// unless bodies says to check theirs. Skimmed files come from the check of
// p from source when it kept them.
func (u *Universe) checkFiles(p *packages.Package, srcs []Source, bodies Bodies) ([]*ast.File, skimmed, error) {
	if bodies.All {
		files, err := u.parse(p, srcs, parseWhole, nil)
		return files, nil, err
	}
	given := map[string]Source{}
	for _, s := range srcs {
		given[s.Name] = s
	}
	kept := map[string]*ast.File{}
	for _, f := range u.syntax(p.ID, true) {
		kept[u.Fset.File(f.Pos()).Name()] = f
	}
	texts := u.Texts(p.ID)
	var files []*ast.File
	sk := skimmed{}
	parseGiven := func(s Source) error {
		data := s.Data
		if s.Original != nil && !hasLiteral(s.Data, bodies.Literals) {
			var ranges [][2]int
			data, ranges = SkimUnchanged(s.Data, s.Original)
			if len(ranges) > 0 {
				k := &skim{ranges: ranges, imports: map[string]bool{}}
				if of, err := parser.ParseFile(token.NewFileSet(), s.Name, s.Original, parser.ImportsOnly); err == nil {
					for _, spec := range of.Imports {
						if path, err := strconv.Unquote(spec.Path.Value); err == nil {
							k.imports[path] = true
						}
					}
				}
				sk[s.Name] = k
			}
		}
		f, err := u.parseFile(s.Name, data, parseWhole)
		if err != nil {
			return err
		}
		if k := sk[s.Name]; k != nil {
			// What only the blanked bodies imported need not be checked.
			f = u.withoutUnusedImports(p, []*ast.File{f}, func(path string) bool { return k.imports[path] })[0]
		}
		files = append(files, f)
		return nil
	}
	for _, name := range p.GoFiles {
		if s, ok := given[name]; ok {
			if err := parseGiven(s); err != nil {
				return nil, nil, err
			}
			delete(given, name)
			continue
		}
		if len(bodies.Literals) > 0 {
			data, ok := texts[name]
			if !ok {
				var err error
				if data, err = u.read(name); err != nil {
					return nil, nil, err
				}
			}
			if hasLiteral(data, bodies.Literals) {
				f, err := u.parseFile(name, data, parseWhole)
				if err != nil {
					return nil, nil, err
				}
				files = append(files, f)
				continue
			}
		}
		sk[name] = &skim{all: true}
		if f := kept[name]; f != nil {
			files = append(files, f)
			continue
		}
		f, err := u.parseFile(name, nil, parseShort)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, u.withoutUnusedImports(p, []*ast.File{f}, nil)[0])
	}
	for _, s := range srcs {
		if _, ok := given[s.Name]; ok { // an added file
			if err := parseGiven(s); err != nil {
				return nil, nil, err
			}
		}
	}
	return files, sk, nil
}

// changed reports whether d is code that a rewrite may have changed or
// added, which Check must check: any declaration of a file parsed whole,
// and in a file whose unchanged bodies were blanked, every declaration but
// the functions so blanked. Of a file skimmed whole, none.
func (s skimmed) changed(fset *token.FileSet, d ast.Decl) bool {
	k := s[fset.File(d.Pos()).Name()]
	switch {
	case k == nil:
		return true
	case k.all:
		return false
	}
	fd, ok := d.(*ast.FuncDecl)
	if !ok {
		return true
	}
	if fd.Body == nil {
		return false
	}
	open := fset.Position(fd.Body.Lbrace).Offset
	for _, r := range k.ranges {
		if r[0] == open {
			return false
		}
	}
	return true
}

// addIfaceMethods adds to methods the names of the methods of the
// interfaces that the imports of files, package p's, declare or lead to
// (see ifaceMethods), and reports whether it added any: a type of p may
// be passed, assigned or asserted to any of them.
func (u *Universe) addIfaceMethods(p *packages.Package, files []*ast.File, methods map[string]bool) bool {
	grew := false
	seen := map[*types.Package]bool{}
	var add func(tp *types.Package)
	add = func(tp *types.Package) {
		if tp == nil || seen[tp] {
			return
		}
		seen[tp] = true
		for _, name := range u.ifaceMethods(tp) {
			if !methods[name] {
				methods[name] = true
				grew = true
			}
		}
		for _, imp := range tp.Imports() {
			add(imp)
		}
	}
	for _, f := range files {
		for _, spec := range f.Imports {
			path, err := strconv.Unquote(spec.Path.Value)
			if err != nil || path == "C" || path == "unsafe" {
				continue
			}
			if id, err := u.resolve(p, files, path); err == nil {
				if tp, err := u.pkg(nil, id); err == nil {
					add(tp)
				}
			}
		}
	}
	return grew
}

// ifaceMethods returns the names of the methods of the interfaces that
// package tp's objects lead to, through their types and the methods of
// tp's own types, but not into other packages' named types: those are the
// ifaceMethods of the packages tp imports, directly or not.
func (u *Universe) ifaceMethods(tp *types.Package) []string {
	u.mu.Lock()
	names, ok := u.ifaces[tp]
	u.mu.Unlock()
	if ok {
		return names
	}
	set := map[string]bool{}
	seen := map[types.Type]bool{}
	var walk func(t types.Type)
	walk = func(t types.Type) {
		if t == nil || seen[t] {
			return
		}
		seen[t] = true
		switch t := t.(type) {
		case *types.Alias:
			walk(types.Unalias(t))
		case *types.Named:
			for i := range t.TypeArgs().Len() {
				walk(t.TypeArgs().At(i))
			}
			if t.Obj().Pkg() != tp {
				return
			}
			walk(t.Underlying())
			for i := range t.NumMethods() {
				walk(t.Method(i).Type())
			}
			for i := range t.TypeParams().Len() {
				walk(t.TypeParams().At(i).Constraint())
			}
		case *types.Pointer:
			walk(t.Elem())
		case *types.Slice:
			walk(t.Elem())
		case *types.Array:
			walk(t.Elem())
		case *types.Chan:
			walk(t.Elem())
		case *types.Map:
			walk(t.Key())
			walk(t.Elem())
		case *types.Tuple:
			for i := range t.Len() {
				walk(t.At(i).Type())
			}
		case *types.Signature:
			walk(t.Params())
			walk(t.Results())
			for i := range t.TypeParams().Len() {
				walk(t.TypeParams().At(i).Constraint())
			}
		case *types.Struct:
			for i := range t.NumFields() {
				walk(t.Field(i).Type())
			}
		case *types.Interface:
			for i := range t.NumMethods() {
				set[t.Method(i).Name()] = true
				walk(t.Method(i).Type())
			}
		}
	}
	for _, name := range tp.Scope().Names() {
		walk(tp.Scope().Lookup(name).Type())
	}
	names = slices.Sorted(maps.Keys(set))
	u.mu.Lock()
	u.ifaces[tp] = names
	u.mu.Unlock()
	return names
}

// hasLiteral reports whether src has a composite literal of a type named
// in names, as "T{" after a character that cannot end an identifier.
func hasLiteral(src []byte, names []string) bool {
	for _, name := range names {
		lit := []byte(name + "{")
		for i := 0; ; {
			j := bytes.Index(src[i:], lit)
			if j < 0 {
				break
			}
			if at := i + j; at == 0 || !isIdent(src[at-1]) {
				return true
			}
			i += j + len(lit)
		}
	}
	return false
}

// A parseMode says how much of a file to parse.
type parseMode int

const (
	parseWhole parseMode = iota
	parseShort           // for a check without function bodies, positions right by line only: see skimShort and skimValues
)

// parse parses p's files, srcs in place of those of the same name. Parsed
// short, they are first rid of the declarations that no name root accepts
// reaches (see pruneTexts).
func (u *Universe) parse(p *packages.Package, srcs []Source, mode parseMode, root func(name string) bool) ([]*ast.File, error) {
	override := map[string][]byte{}
	var names []string
	for _, s := range srcs {
		override[s.Name] = s.Data
	}
	names = append(names, p.GoFiles...)
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	for _, s := range srcs {
		if !have[s.Name] {
			names = append(names, s.Name)
		}
	}
	texts := make([][]byte, len(names))
	for i, name := range names {
		var err error
		if texts[i], err = u.skimFile(name, override[name], mode); err != nil {
			return nil, err
		}
	}
	if mode == parseShort && root != nil {
		texts = pruneTexts(texts, root)
	}
	files := make([]*ast.File, 0, len(names))
	for i, name := range names {
		f, err := u.parseText(name, texts[i], mode)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// parseFile parses file name, from data or else from disk, as mode says.
func (u *Universe) parseFile(name string, data []byte, mode parseMode) (*ast.File, error) {
	data, err := u.skimFile(name, data, mode)
	if err != nil {
		return nil, err
	}
	return u.parseText(name, data, mode)
}

// skimFile returns the text of file name, data or else from disk, skimmed
// as mode says.
func (u *Universe) skimFile(name string, data []byte, mode parseMode) ([]byte, error) {
	if data == nil {
		var err error
		if data, err = u.read(name); err != nil {
			return nil, err
		}
	}
	if mode == parseShort {
		data = skimShort(data)
	}
	return data, nil
}

// parseText parses file name, skimmed as mode says already.
func (u *Universe) parseText(name string, data []byte, mode parseMode) (*ast.File, error) {
	// Comments matter to no type: skipping them makes parsing the
	// dependencies markedly cheaper.
	f, err := parser.ParseFile(u.Fset, name, data, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	if mode != parseWhole {
		skimValues(f)
	}
	return f, nil
}

// read returns the content of file name, as one of at most as many reads
// at once as there are cores.
func (u *Universe) read(name string) ([]byte, error) {
	u.sem <- struct{}{}
	defer func() { <-u.sem }()
	return readfile.ReadFile(name)
}

// check type-checks p's files for entry e (nil for Check). Their imports are
// warm already, so that no check waits for another while it holds u.sem.
//
// Errors that skimmed says blanking made are not reported.
func (u *Universe) check(e *entry, p *packages.Package, files []*ast.File, ignoreBodies bool, skimmed skimmed) (*types.Package, *types.Info, []string) {
	var errs []string
	conf := types.Config{
		Importer:         importer{u, p, e, files},
		Sizes:            u.sizes,
		FakeImportC:      true,
		IgnoreFuncBodies: ignoreBodies,
		Error: func(err error) {
			if te, ok := err.(types.Error); ok && te.Soft && ignoreBodies {
				return
			}
			if te, ok := err.(types.Error); ok && skimmed.made(te) {
				return
			}
			errs = append(errs, err.Error())
		},
	}
	conf.GoVersion = langVersion(p)
	u.sem <- struct{}{}
	defer func() { <-u.sem }()
	pkg, _ := conf.Check(p.PkgPath, u.Fset, files, nil)
	slices.Sort(errs)
	return pkg, nil, errs
}

// importer resolves the imports of p's files, for the check of entry e.
type importer struct {
	u     *Universe
	p     *packages.Package
	e     *entry
	files []*ast.File
}

func (im importer) Import(path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	id, err := im.u.resolve(im.p, im.files, path)
	if err != nil {
		return nil, err
	}
	return im.u.pkg(im.e, id)
}

// resolve returns the ID of the package that import path denotes in files,
// files of package p.
func (u *Universe) resolve(p *packages.Package, files []*ast.File, path string) (string, error) {
	var id string
	if dep, ok := p.Imports[path]; ok {
		id = dep.ID
	} else if dep, ok := u.byPath[path]; ok {
		// An import that otelgen added, such as a hook package in a
		// main package: any loaded package with that path.
		id = dep
	} else {
		return "", fmt.Errorf("%s imports %q, which was not loaded", p.PkgPath, path)
	}
	if dep := u.pkgs[id]; dep != nil {
		if errs, ok := unresolved(dep); ok {
			var msgs []string
			for _, err := range errs {
				msgs = append(msgs, err.Msg)
			}
			return "", &ImportError{Pkg: p.PkgPath, Path: path, Pos: importPos(u.Fset, files, path), Msg: strings.Join(msgs, "; ")}
		}
	}
	if id == p.ID {
		// Checking the package would wait for its own check: its files
		// are not its own, or import it.
		in := ""
		if pos := importPos(u.Fset, files, path); pos.IsValid() {
			in = " (in " + pos.String() + ")"
		}
		return "", fmt.Errorf("cannot type-check %s: import %q%s resolves to the package being checked", p.PkgPath, path, in)
	}
	return id, nil
}

// importPos returns the position of the first import of path in files.
func importPos(fset *token.FileSet, files []*ast.File, path string) token.Position {
	for _, f := range files {
		for _, spec := range f.Imports {
			if p, err := strconv.Unquote(spec.Path.Value); err == nil && p == path {
				return fset.Position(spec.Path.Pos())
			}
		}
	}
	return token.Position{}
}

// langVersion is the language version the compiler uses for p: its module's
// go line, go1.16 for a module without one, and the toolchain's own for the
// standard library.
func langVersion(p *packages.Package) string {
	m := p.Module
	if m == nil {
		return ""
	}
	if m.GoVersion != "" {
		return "go" + m.GoVersion
	}
	if m.GoMod != "" {
		if data, err := os.ReadFile(m.GoMod); err == nil {
			if f, err := modfile.ParseLax(m.GoMod, data, nil); err == nil && f.Go != nil {
				return "go" + f.Go.Version
			}
		}
	}
	return "go1.16"
}
