package load

import (
	"errors"
	"fmt"
	"go/version"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// GoError is a failure of the go command that otelgen recognised: what
// otelgen needed and why it could not have it, the command that fixes it,
// and the go command's own words, kept in full.
type GoError struct {
	Why string // one line: what failed, and why
	Fix string // the command (or edit) that fixes it
	Err error  // the error as the go command reported it
}

func (e *GoError) Error() string {
	return "the go command cannot load the packages: " + e.Why + "\n\tfix: " + e.Fix + "\n\tthe go command said: " + strings.ReplaceAll(strings.TrimRight(e.Err.Error(), "\n"), "\n", "\n\t")
}

func (e *GoError) Unwrap() error { return e.Err }

// goModule is what the explanations read about the module.
type goModule struct {
	root       string        // the module root
	gomodcache string        // where to find the go.mod files of requirements
	file       *modfile.File // go.mod, or nil when it does not parse
}

// goProblem is one kind of failure of the go command, recognised by a
// pattern in what it printed.
type goProblem struct {
	name    string
	re      *regexp.Regexp
	explain func(m []string, mod *goModule) (why, fix string)
}

// goProblems are checked in order; the first that matches and explains
// (an explain function can return "" for a match that is not its problem)
// is the one.
var goProblems = []goProblem{
	{
		name: "toolchain too old",
		re:   regexp.MustCompile(`(\S+) requires go >= (\S+) \(running go (\S+); GOTOOLCHAIN=(\S+)\)`),
		explain: func(m []string, mod *goModule) (string, string) {
			return fmt.Sprintf("%s needs Go %s, but the go command in use is Go %s and GOTOOLCHAIN=%s forbids switching", m[1], m[2], m[3], m[4]),
				fmt.Sprintf("install Go %s or newer (go install golang.org/dl/go%s@latest && go%s download) and put it first in PATH", m[2], m[2], m[2])
		},
	},
	{
		name: "go.mod needs updates",
		re:   regexp.MustCompile(`updates to go\.mod needed`),
		explain: func(m []string, mod *goModule) (string, string) {
			if need, by := mod.goLineTooOld(); need != "" {
				return fmt.Sprintf("go.mod says go %s, but %s, which it requires, needs go %s: the go command will not load the module until the go line is raised, and otelgen never edits your go.mod", mod.file.Go.Version, by, need),
					fmt.Sprintf("go get go@%s (otelgen init does it too, when it adds otelgen as a tool)", need)
			}
			return "go.mod is not consistent with its requirements (a requirement is missing, or older than another module needs): the go command will not load the module as it is, and otelgen never edits your go.mod",
				"go mod tidy"
		},
	},
	{
		name: "missing go.sum line for a package's module",
		re:   regexp.MustCompile(`missing go\.sum entry for module providing package (\S+)(?: \(imported by (\S+)\))?`),
		explain: func(m []string, mod *goModule) (string, string) {
			modPath := mod.provider(m[1])
			if modPath == "" {
				modPath = m[1]
			}
			why := fmt.Sprintf("go.sum has no checksum for module %s, which provides package %s: the go command will not read the module without it, and otelgen never edits your go.sum", modPath, m[1])
			fix := "go mod download " + modPath
			if m[2] != "" {
				fix += " (or go get " + m[2] + ")"
			}
			return why, fix
		},
	},
	{
		name: "missing go.sum line for a go.mod file",
		re:   regexp.MustCompile(`(\S+)@(\S+): missing go\.sum entry for go\.mod file`),
		explain: func(m []string, mod *goModule) (string, string) {
			return fmt.Sprintf("go.sum has no checksum for the go.mod file of %s@%s, which the module's requirements need: the go command will not read it without one, and otelgen never edits your go.sum", m[1], m[2]),
				"go mod download " + m[1]
		},
	},
	{
		name: "replace to a missing directory",
		re:   regexp.MustCompile(`(\S+)@\S+(?: \(replaced by (\S+)\): reading \S+: (?:open \S+: )?(?:no such file or directory|The system cannot find the (?:file|path) specified\.)|: replacement directory (\S+) does not exist)`),
		explain: func(m []string, mod *goModule) (string, string) {
			dir := m[2] + m[3]
			return fmt.Sprintf("go.mod replaces %s with the directory %s, which does not exist or has no go.mod: the go command cannot load %s", m[1], dir, m[1]),
				fmt.Sprintf("restore %s, or change the replace directive (go mod edit -dropreplace=%s)", dir, m[1])
		},
	},
	{
		name: "inconsistent vendoring",
		re:   regexp.MustCompile(`inconsistent vendoring`),
		explain: func(m []string, mod *goModule) (string, string) {
			return "vendor/modules.txt does not match go.mod, and the go command builds from vendor/ (a vendor/ directory, or -mod=vendor in GOFLAGS): it will not load the module until they agree",
				"go mod vendor (or, to build without vendor/, remove -mod=vendor from GOFLAGS and delete vendor/)"
		},
	},
	{
		name: "no module provides a package",
		re:   regexp.MustCompile(`no required module provides package (\S+?);`),
		explain: func(m []string, mod *goModule) (string, string) {
			return fmt.Sprintf("no module that go.mod requires provides package %s, which the program (or a rule's hook) imports", m[1]),
				"go get " + m[1]
		},
	},
	{
		name: "a package of the main module that does not exist",
		re:   regexp.MustCompile(`cannot find module providing package (\S+?):`),
		explain: func(m []string, mod *goModule) (string, string) {
			if mod.file == nil || mod.file.Module == nil {
				return "", ""
			}
			if p := mod.file.Module.Mod.Path; m[1] != p && !strings.HasPrefix(m[1], p+"/") {
				return "", "" // another module's: the go command looked it up
			}
			return fmt.Sprintf("package %s is in this module's path, but no directory of the module holds it", m[1]),
				"correct the import path (or the hook's package in otelgen.yaml), or create the package"
		},
	},
	{
		name: "module download failed",
		re:   regexp.MustCompile(`(?:module lookup disabled by GOPROXY=off|dial tcp|no such host|i/o timeout|connection refused|server response:)`),
		explain: func(m []string, mod *goModule) (string, string) {
			return "the go command needed to download a module (a dependency, or one that otelgen's injected code requires) and could not",
				"check GOPROXY, GOPRIVATE and the network, or fill the module cache on a machine that can (go mod download), then run otelgen again"
		},
	},
}

// Explain returns err with an explanation ahead of it when it reports a
// failure of the go command that otelgen recognises, and err unchanged
// otherwise. root is the module root (go.mod is read from it), gomodcache
// the module cache, or "" when unknown.
func Explain(err error, root, gomodcache string) error {
	if err == nil {
		return nil
	}
	var ge *GoError
	if errors.As(err, &ge) {
		return err
	}
	text := err.Error()
	for _, p := range goProblems {
		m := p.re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		mod := &goModule{root: root, gomodcache: gomodcache}
		if data, err := os.ReadFile(filepath.Join(root, "go.mod")); err == nil {
			mod.file, _ = modfile.Parse("go.mod", data, nil)
		}
		why, fix := p.explain(m, mod)
		if why == "" {
			continue // not this problem after all
		}
		return &GoError{Why: why, Fix: fix, Err: err}
	}
	return err
}

// provider is the module of go.mod's requirements that provides the
// package: the longest module path that is a prefix of it, or "".
func (mod *goModule) provider(pkg string) string {
	if mod.file == nil {
		return ""
	}
	best := ""
	for _, r := range mod.file.Require {
		p := r.Mod.Path
		if (pkg == p || strings.HasPrefix(pkg, p+"/")) && len(p) > len(best) {
			best = p
		}
	}
	return best
}

// goLineTooOld returns the highest go version that a requirement's go.mod
// asks for above the main module's go line, and which requirement asks for
// it; or "" when none does (or their go.mod files cannot be read).
func (mod *goModule) goLineTooOld() (need, by string) {
	f := mod.file
	if f == nil || f.Go == nil {
		return "", ""
	}
	have := "go" + f.Go.Version
	for _, r := range f.Require {
		gomod, label := mod.requirementGoMod(r.Mod)
		if gomod == "" {
			continue
		}
		data, err := os.ReadFile(gomod)
		if err != nil {
			continue
		}
		rf, err := modfile.ParseLax(gomod, data, nil)
		if err != nil || rf.Go == nil {
			continue
		}
		v := rf.Go.Version
		if version.Compare("go"+v, have) > 0 && (need == "" || version.Compare("go"+v, "go"+need) > 0) {
			need, by = v, label
		}
	}
	return need, by
}

// requirementGoMod finds the go.mod file of a requirement: in the directory
// that replaces it, or in the module cache's download cache.
func (mod *goModule) requirementGoMod(req module.Version) (path, label string) {
	label = req.Path + " " + req.Version
	for _, r := range mod.file.Replace {
		if r.Old.Path != req.Path || (r.Old.Version != "" && r.Old.Version != req.Version) {
			continue
		}
		if r.New.Version == "" {
			dir := filepath.FromSlash(r.New.Path)
			if !filepath.IsAbs(dir) {
				dir = filepath.Join(mod.root, dir)
			}
			return filepath.Join(dir, "go.mod"), label + " (replaced by " + r.New.Path + ")"
		}
		req = r.New
		label += " (replaced by " + r.New.Path + " " + r.New.Version + ")"
	}
	if mod.gomodcache == "" {
		return "", ""
	}
	ep, err1 := module.EscapePath(req.Path)
	ev, err2 := module.EscapeVersion(req.Version)
	if err1 != nil || err2 != nil {
		return "", ""
	}
	return filepath.Join(mod.gomodcache, "cache", "download", filepath.FromSlash(ep), "@v", ev+".mod"), label
}
