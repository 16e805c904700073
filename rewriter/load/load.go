// Package load is the first stage of the pipeline: it asks the go command
// which packages make up the program, where their files are, and which module
// each comes from. It reads no Go source.
package load

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
)

// Env is what the go command says about the toolchain and the module.
type Env struct {
	GOROOT     string
	GOMODCACHE string
	GOVERSION  string // as in "go1.26.8"
	GOMOD      string // the main module's go.mod, absolute
	GOWORK     string
	GOFLAGS    string
	GOOS       string
	GOARCH     string
	CGOENABLED string `json:"CGO_ENABLED"`
	// The rest only selects or compiles code: see rewriter.InputsDigest.
	GOEXPERIMENT string
	GOAMD64      string
	GOARM64      string
}

// ReadEnv runs "go env" in dir.
func ReadEnv(dir string) (*Env, error) {
	cmd := exec.Command("go", "env", "-json", "GOROOT", "GOMODCACHE", "GOVERSION", "GOMOD", "GOWORK", "GOFLAGS", "GOOS", "GOARCH", "CGO_ENABLED", "GOEXPERIMENT", "GOAMD64", "GOARM64")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go env: %w\n%s", err, stderr.Bytes())
	}
	var env Env
	if err := json.Unmarshal(out, &env); err != nil {
		return nil, fmt.Errorf("go env: %w", err)
	}
	if env.GOMOD == "" || env.GOMOD == os.DevNull {
		return nil, fmt.Errorf("%s is not inside a Go module (no go.mod found): otelgen works on modules", dir)
	}
	if env.GOWORK == "off" {
		env.GOWORK = ""
	}
	if env.GOMODCACHE != "" && within(env.GOROOT, env.GOMODCACHE) {
		return nil, fmt.Errorf("the Go toolchain in use (%s, GOROOT %s) lives in the module cache, where the go command refuses -overlay files.\n"+
			"This happens when GOTOOLCHAIN downloads the toolchain that go.mod asks for. Install %s outside the module cache\n"+
			"(for example: go install golang.org/dl/%s@latest && %s download) and run it with GOTOOLCHAIN=local,\n"+
			"or lower the go/toolchain line in go.mod to the Go you have", env.GOVERSION, env.GOROOT, env.GOVERSION, env.GOVERSION, env.GOVERSION)
	}
	return &env, nil
}

// Workspace reports whether a go.work file is in use.
func (e *Env) Workspace() bool { return e.GOWORK != "" }

// Root is the module root: the directory of go.mod.
func (e *Env) Root() string { return filepath.Dir(e.GOMOD) }

// within reports whether path is dir or below it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// stubDir is the directory, relative to the module root, of the stub
// package that exists only in the overlay of a load with an alternate go.mod.
const stubDir = "_otelgen_requirements"

// Program is the loaded package graph.
type Program struct {
	Platform string // "GOOS/GOARCH", or "" for the host's
	Env      *Env
	Vendor   bool                         // the build uses vendor/
	Roots    []*packages.Package          // the packages the patterns named
	Extra    []*packages.Package          // hook packages, loaded besides the program
	All      map[string]*packages.Package // every package, by ID
	InBuild  map[string]bool              // IDs reachable from Roots
	ModFile  string                       // -modfile used to load, when otelgen had to add requirements
	Patterns []string
}

// Options control a load.
type Options struct {
	Dir      string   // module root
	Patterns []string // package patterns, as for go build
	Extra    []string // import paths to load besides, such as hook packages
	ModFile  string   // alternate go.mod passed as -modfile, or ""
	Env      *Env
	Platform string          // "GOOS/GOARCH" to load for, or "" for the host's
	Context  context.Context // stops the go command when done; nil: never
}

// Load lists the program's packages and their dependencies.
func Load(opt Options) (*Program, error) {
	cfg := &packages.Config{
		Mode:    packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps | packages.NeedModule | exportMode(),
		Dir:     opt.Dir,
		Env:     os.Environ(),
		Context: opt.Context,
	}
	if opt.Env.GOWORK == "" {
		cfg.Env = append(cfg.Env, "GOWORK=off")
	}
	if opt.Platform != "" {
		goos, goarch, _ := strings.Cut(opt.Platform, "/")
		cfg.Env = append(cfg.Env, "GOOS="+goos, "GOARCH="+goarch)
	}
	// Never let the go command write the module's go.mod or go.sum, even
	// when GOFLAGS asks for -mod=mod; vendor mode stays as the module has it.
	if _, err := os.Stat(filepath.Join(opt.Env.Root(), "vendor", "modules.txt")); err != nil {
		cfg.BuildFlags = []string{"-mod=readonly"}
	}
	// The runtime too: every program links it, imported or not.
	args := append(append(append([]string{}, opt.Patterns...), opt.Extra...), "runtime")
	if opt.ModFile != "" {
		// Resolve the hook packages as the instrumented build will: imported
		// by a package of the main module. A stub package, present only in
		// the overlay, imports them, so that the go command records every
		// requirement they need in the alternate go.mod and go.sum.
		cfg.BuildFlags = []string{"-mod=mod", "-modfile=" + opt.ModFile}
		var stub strings.Builder
		stub.WriteString("package otelgenrequirements\n\n")
		for _, e := range opt.Extra {
			fmt.Fprintf(&stub, "import _ %q\n", e)
		}
		cfg.Overlay = map[string][]byte{filepath.Join(opt.Dir, stubDir, "requirements.go"): []byte(stub.String())}
		args = append(args, "./"+stubDir)
	}
	pkgs, err := listDirect(cfg, args)
	if err == errFallBack {
		pkgs, err = packages.Load(cfg, args...)
	}
	if opt.ModFile != "" {
		// The stub is no part of the program.
		kept := pkgs[:0]
		for _, p := range pkgs {
			if !strings.HasSuffix(p.PkgPath, "/"+stubDir) {
				kept = append(kept, p)
			}
		}
		pkgs = kept
	}
	if err != nil {
		return nil, fmt.Errorf("loading packages: %w", err)
	}
	prog := &Program{Platform: opt.Platform, Env: opt.Env, All: map[string]*packages.Package{}, InBuild: map[string]bool{}, ModFile: opt.ModFile, Patterns: opt.Patterns}
	extraSet := map[string]bool{"runtime": true}
	for _, e := range opt.Extra {
		extraSet[e] = true
	}
	packages.Visit(pkgs, nil, func(p *packages.Package) { prog.All[p.ID] = p })
	for _, p := range pkgs {
		if extraSet[p.PkgPath] {
			prog.Extra = append(prog.Extra, p)
		} else {
			prog.Roots = append(prog.Roots, p)
		}
	}
	// A hook package that the patterns also name is both.
	for _, p := range prog.Extra {
		for _, pat := range opt.Patterns {
			if pat == p.PkgPath {
				prog.Roots = append(prog.Roots, p)
			}
		}
	}
	packages.Visit(prog.Roots, nil, func(p *packages.Package) { prog.InBuild[p.ID] = true })
	// Every program links the runtime, whether a package imports it or not.
	for _, p := range prog.Extra {
		if p.PkgPath == "runtime" && len(prog.Mains()) > 0 {
			packages.Visit([]*packages.Package{p}, nil, func(p *packages.Package) { prog.InBuild[p.ID] = true })
		}
	}
	vendorDir := filepath.Join(opt.Env.Root(), "vendor") + string(filepath.Separator)
	for _, p := range prog.All {
		if strings.HasPrefix(p.Dir, vendorDir) {
			prog.Vendor = true
			break
		}
	}
	var errs []string
	for _, p := range prog.Roots {
		for _, e := range p.Errors {
			errs = append(errs, e.Error())
		}
	}
	if len(errs) > 0 {
		slices.Sort(errs)
		return nil, errors.New("the program does not load:\n\t" + strings.Join(errs, "\n\t"))
	}
	if len(prog.Roots) == 0 {
		return nil, fmt.Errorf("no packages match %s", strings.Join(opt.Patterns, " "))
	}
	return prog, nil
}

// ExtraErrors returns the load errors of the hook packages, by import path.
func (p *Program) ExtraErrors() map[string][]string {
	m := map[string][]string{}
	for _, x := range p.Extra {
		// A module graph that does not load gives every package the
		// same error: say it once.
		seen := map[string]bool{}
		packages.Visit([]*packages.Package{x}, nil, func(q *packages.Package) {
			for _, e := range q.Errors {
				if !seen[e.Msg] {
					seen[e.Msg] = true
					m[x.PkgPath] = append(m[x.PkgPath], e.Msg)
				}
			}
		})
	}
	return m
}

// GOARCH is the architecture the program was loaded for.
func (p *Program) GOARCH() string {
	if _, arch, ok := strings.Cut(p.Platform, "/"); ok {
		return arch
	}
	if a := os.Getenv("GOARCH"); a != "" {
		return a
	}
	return runtime.GOARCH
}

// ByPath returns a loaded package by import path, or nil.
func (p *Program) ByPath(path string) *packages.Package {
	for _, x := range p.Extra {
		if x.PkgPath == path {
			return x
		}
	}
	var found *packages.Package
	for _, x := range p.All {
		if x.PkgPath == path && (found == nil || x.ID < found.ID) {
			found = x
		}
	}
	return found
}

// IsStd reports whether p belongs to the standard library.
func (p *Program) IsStd(pkg *packages.Package) bool {
	return pkg.Module == nil && len(pkg.GoFiles) > 0 && within(pkg.GoFiles[0], filepath.Join(p.Env.GOROOT, "src"))
}

// Mains returns the main packages among the roots, sorted.
func (p *Program) Mains() []*packages.Package {
	var out []*packages.Package
	for _, r := range p.Roots {
		if r.Name == "main" {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b *packages.Package) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Deps returns the IDs of every package that root depends on, root included.
func Deps(root *packages.Package) map[string]bool {
	m := map[string]bool{}
	packages.Visit([]*packages.Package{root}, nil, func(p *packages.Package) { m[p.ID] = true })
	return m
}

// exportMode asks the go command for each package's export data when
// OTELGEN_TYPES=export. Types then come from the build cache instead of
// source, which saves about a third of generate's time when the cache is
// warm, but compiles every dependency when it is cold; source is the
// default, whose cost does not depend on the cache.
func exportMode() packages.LoadMode {
	if os.Getenv("OTELGEN_TYPES") == "export" {
		return packages.NeedExportFile
	}
	return 0
}
