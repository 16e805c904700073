// Package typecheck type-checks packages from source, for two jobs: checking a
// hook's signature against its target, and checking every rewritten package
// before otelgen writes it.
//
// Dependencies are checked without function bodies, each once, in parallel.
package typecheck

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"

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

	exportMu sync.Mutex
	exported map[string]*types.Package // packages read from export data, by path
	sem      chan struct{}
}

type entry struct {
	once sync.Once
	pkg  *types.Package
	err  error
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
		sem:      make(chan struct{}, runtime.GOMAXPROCS(0)),
	}
}

// Package returns the type-checked original package with the given ID,
// checked without function bodies. Type errors in dependencies are tolerated:
// the compiler is the judge of code otelgen did not write.
func (u *Universe) Package(id string) (*types.Package, error) {
	if id == "unsafe" {
		return types.Unsafe, nil
	}
	u.mu.Lock()
	e, ok := u.entries[id]
	if !ok {
		e = &entry{}
		u.entries[id] = e
	}
	u.mu.Unlock()
	e.once.Do(func() {
		p, ok := u.pkgs[id]
		if !ok {
			e.err = fmt.Errorf("package %s was not loaded", id)
			return
		}
		if p.ExportFile != "" {
			// The compiler's export data, from the build cache: much
			// cheaper than checking the package and its imports from
			// source.
			if e.pkg, e.err = u.fromExport(p); e.err == nil {
				return
			}
		}
		u.warm(p)
		files, err := u.parse(p, nil)
		if err != nil {
			e.err = err
			return
		}
		e.pkg, _, _ = u.check(p, files, true)
	})
	return e.pkg, e.err
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
// bodies, its imports as Package gives them. Export data lacks unexported
// functions and methods, which rules target.
func (u *Universe) Source(id string) (*types.Package, error) {
	p, ok := u.pkgs[id]
	if !ok {
		return nil, fmt.Errorf("package %s was not loaded", id)
	}
	if p.ExportFile == "" {
		return u.Package(id) // checked from source already
	}
	u.mu.Lock()
	e, ok := u.entries["source:"+id]
	if !ok {
		e = &entry{}
		u.entries["source:"+id] = e
	}
	u.mu.Unlock()
	e.once.Do(func() {
		u.warm(p)
		files, err := u.parse(p, nil)
		if err != nil {
			e.err = err
			return
		}
		e.pkg, _, _ = u.check(p, files, true)
	})
	return e.pkg, e.err
}

// warm type-checks p's imports concurrently, so that a deep graph uses every
// core.
func (u *Universe) warm(p *packages.Package) {
	var wg sync.WaitGroup
	for _, imp := range p.Imports {
		if imp.ID == "unsafe" {
			continue
		}
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			u.Package(id)
		}(imp.ID)
	}
	wg.Wait()
}

// Source is the content of one file to check in place of the file on disk, or
// an added file when its name is not among the package's files.
type Source struct {
	Name string // absolute file name
	Data []byte
}

// Check type-checks package id with full bodies, with some files replaced or
// added. It returns the errors found, formatted with file and line.
func (u *Universe) Check(id string, srcs []Source) ([]string, error) {
	p, ok := u.pkgs[id]
	if !ok {
		return nil, fmt.Errorf("package %s was not loaded", id)
	}
	u.warm(p)
	files, err := u.parse(p, srcs)
	if err != nil {
		return []string{err.Error()}, nil
	}
	_, _, errs := u.check(p, files, false)
	return errs, nil
}

func (u *Universe) parse(p *packages.Package, srcs []Source) ([]*ast.File, error) {
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
	files := make([]*ast.File, 0, len(names))
	for _, name := range names {
		data, ok := override[name]
		if !ok {
			u.sem <- struct{}{}
			var err error
			data, err = os.ReadFile(name)
			<-u.sem
			if err != nil {
				return nil, err
			}
		}
		// Comments matter to no type: skipping them makes parsing the
		// dependencies markedly cheaper.
		f, err := parser.ParseFile(u.Fset, name, data, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

func (u *Universe) check(p *packages.Package, files []*ast.File, ignoreBodies bool) (*types.Package, *types.Info, []string) {
	var errs []string
	conf := types.Config{
		Importer:         importer{u, p},
		Sizes:            u.sizes,
		FakeImportC:      true,
		IgnoreFuncBodies: ignoreBodies,
		Error: func(err error) {
			if te, ok := err.(types.Error); ok && te.Soft && ignoreBodies {
				return
			}
			errs = append(errs, err.Error())
		},
	}
	conf.GoVersion = langVersion(p)
	u.sem <- struct{}{}
	defer func() { <-u.sem }()
	pkg, _ := conf.Check(p.PkgPath, u.Fset, files, nil)
	sort.Strings(errs)
	return pkg, nil, errs
}

type importer struct {
	u *Universe
	p *packages.Package
}

func (im importer) Import(path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	if dep, ok := im.p.Imports[path]; ok {
		return im.u.Package(dep.ID)
	}
	// An import that otelgen added, such as a hook package in a main
	// package: any loaded package with that path.
	if id, ok := im.u.byPath[path]; ok {
		return im.u.Package(id)
	}
	return nil, fmt.Errorf("%s imports %q, which was not loaded", im.p.PkgPath, path)
}

// Lookup finds a package-level function or method in a checked package.
// name is "F", "T.M" or "(*T).M".
func Lookup(pkg *types.Package, name string) (*types.Func, error) {
	recv, fn, isMethod := strings.Cut(name, ".")
	if !isMethod {
		obj, ok := pkg.Scope().Lookup(name).(*types.Func)
		if !ok {
			return nil, fmt.Errorf("%s has no function %s", pkg.Path(), name)
		}
		return obj, nil
	}
	tname := strings.Trim(recv, "(*)")
	tn, ok := pkg.Scope().Lookup(tname).(*types.TypeName)
	if !ok {
		return nil, fmt.Errorf("%s has no type %s", pkg.Path(), tname)
	}
	obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(tn.Type()), true, pkg, fn)
	f, ok := obj.(*types.Func)
	if !ok {
		return nil, fmt.Errorf("%s.%s has no method %s", pkg.Path(), tname, fn)
	}
	return f, nil
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
