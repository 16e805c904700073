package rewriter

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/otelgen/otelgen/internal/readfile"
	"github.com/otelgen/otelgen/rewriter/directive"
	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rewriter/load"
	"github.com/otelgen/otelgen/rules"
	"golang.org/x/mod/modfile"
	"golang.org/x/tools/go/packages"
)

// The targets digest lets a fresh clone's first check or generate tell,
// without type-checking anything, that the committed _otel/ is what generate
// would write. What generate writes depends on the program only through the
// packages that rules name: whether they are in the build, which files they
// have, at which module version, and which main package reaches them; and
// through the files that hold //otel:span directives. The lock records a
// digest of exactly that, so it changes only when the output may, and a
// check recomputes it from one "go list -deps", a fraction of a load.

// listed is what the digest needs of one package, from go/packages at
// generate time or from go list at check time.
type listed struct {
	Path    string
	Name    string
	Ident   string   // "std", "path@version" (with "=>path@version" when replaced), or "local"
	Files   []string // absolute paths of its Go files, cgo files included
	Deps    []string // import paths of everything it depends on, sorted (from a load: root main packages only)
	Imports []string // import paths it imports directly (go list only)
	Main    bool     // in the main module or a workspace module
	Root    bool     // named by the patterns
}

// targets is the set of import paths that a rule of set can apply to, or
// whose presence turns a rule's option on.
func targets(set *rules.Set) map[string]bool {
	t := map[string]bool{}
	for _, r := range set.Rules {
		if r.Package != rules.MainPackages {
			t[r.Package] = true
		}
	}
	for _, pkg := range rules.Options {
		t[pkg] = true
	}
	return t
}

// platformLines describes, for one platform's program, everything the
// digest covers, one line a fact, sorted.
func platformLines(set *rules.Set, pkgs map[string]*listed) ([]string, error) {
	t := targets(set)
	var lines []string
	for _, p := range pkgs {
		if t[p.Path] {
			// Neither the files nor the content of a package are here:
			// a module version (or the Go version) fixes a dependency's,
			// and which of them a platform compiles must not make the
			// lock differ between the machines of a team. A local
			// package's content would change the lock at every edit:
			// freshByLock instead requires its files to be originals
			// that the lock records.
			lines = append(lines, fmt.Sprintf("pkg %s %s", p.Path, p.Ident))
		}
		if p.Root && p.Name == "main" {
			var reach []string
			for _, d := range p.Deps {
				if t[d] {
					reach = append(reach, d)
				}
			}
			lines = append(lines, fmt.Sprintf("main %s %s", p.Path, strings.Join(reach, ",")))
		}
		if p.Main {
			for _, f := range p.Files {
				src, err := readfile.ReadFile(f)
				if err != nil {
					return nil, err
				}
				if bytes.Contains(src, []byte(directive.Prefix)) {
					lines = append(lines, fmt.Sprintf("directive %s %s %s", p.Path, filepath.Base(f), emit.Hash(src)))
				}
			}
		}
	}
	slices.Sort(lines)
	return lines, nil
}

// digestLines hashes the lines of every platform, in platform order, and
// how the module is built: from vendor/, in a workspace.
func digestLines(byPlatform [][]string, names []string, vendor, workspace bool) string {
	h := sha256.New()
	fmt.Fprintf(h, "vendor=%t workspace=%t\n", vendor, workspace)
	for i, lines := range byPlatform {
		fmt.Fprintf(h, "platform %q\n", names[i])
		for _, l := range lines {
			io.WriteString(h, l+"\n")
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// fromProgram gives the packages of a load as the digest sees them.
func fromProgram(prog *load.Program) map[string]*listed {
	roots := map[string]bool{}
	for _, r := range prog.Roots {
		roots[r.ID] = true
	}
	out := map[string]*listed{}
	for _, p := range prog.All {
		l := &listed{Path: p.PkgPath, Name: p.Name, Ident: identOf(p.Module), Files: p.GoFiles, Root: roots[p.ID]}
		l.Main = p.Module != nil && p.Module.Main
		if l.Root && l.Name == "main" {
			// Only a root main package's dependencies are in the digest
			// (platformLines): every package's would cost a walk of the
			// graph from each.
			for id := range load.Deps(p) {
				if id != p.ID {
					l.Deps = append(l.Deps, prog.All[id].PkgPath)
				}
			}
			slices.Sort(l.Deps)
		}
		out[p.PkgPath] = l
	}
	return out
}

func identOf(m *packages.Module) string {
	switch {
	case m == nil:
		return "std"
	case m.Main, m.Replace != nil && m.Replace.Version == "":
		return "local"
	case m.Replace != nil:
		return m.Path + "@" + m.Version + "=>" + m.Replace.Path + "@" + m.Replace.Version
	}
	return m.Path + "@" + m.Version
}

// hookPackagesOf returns the hook packages a load asked for besides the
// program, sorted.
func hookPackagesOf(prog *load.Program) []string {
	var out []string
	for _, p := range prog.Extra {
		if p.PkgPath != "runtime" {
			out = append(out, p.PkgPath)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// listTimeout bounds the go list of the quick check: it is an optimisation,
// and a go command that waits (on the network, on a lock) must not make the
// check wait with it.
const listTimeout = 20 * time.Second

// goList lists patterns and the hook packages for one platform as generate
// loaded them, with "go list -deps".
func goList(env *load.Env, lock *emit.Lock, platform string) (map[string]*listed, error) {
	root := env.Root()
	args := []string{"list", "-deps", "-e", "-json=ImportPath,Name,DepOnly,Module,GoFiles,CgoFiles,Dir,Imports,Deps,Error"}
	_, vendorErr := os.Stat(filepath.Join(root, "vendor", "modules.txt"))
	switch {
	case vendorErr == nil:
	case lock.GoMod != nil && !env.Workspace():
		modFile, cleanup, err := loadModFile(root)
		if err != nil {
			return nil, err
		}
		defer cleanup()
		args = append(args, "-mod=readonly", "-modfile="+modFile)
	default:
		args = append(args, "-mod=readonly")
	}
	args = append(args, lock.Patterns...)
	args = append(args, lock.HookPackages...)
	args = append(args, "runtime")
	ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Env = os.Environ()
	if !env.Workspace() {
		cmd.Env = append(cmd.Env, "GOWORK=off")
	}
	if platform != "" {
		goos, goarch, _ := strings.Cut(platform, "/")
		cmd.Env = append(cmd.Env, "GOOS="+goos, "GOARCH="+goarch)
	}
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w", err)
	}
	extra := map[string]bool{"runtime": true}
	for _, h := range lock.HookPackages {
		extra[h] = true
	}
	patterns := map[string]bool{}
	for _, p := range lock.Patterns {
		patterns[p] = true
	}
	pkgs := map[string]*listed{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct {
			ImportPath, Name, Dir string
			DepOnly               bool
			Module                *struct {
				Path, Version string
				Main          bool
				Replace       *struct{ Path, Version string }
			}
			GoFiles, CgoFiles, Imports, Deps []string
			Error                            *struct{ Err string }
		}
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("go list: %w", err)
		}
		if p.Error != nil {
			return nil, fmt.Errorf("go list: %s", p.Error.Err)
		}
		var m *packages.Module
		if p.Module != nil {
			m = &packages.Module{Path: p.Module.Path, Version: p.Module.Version, Main: p.Module.Main}
			if r := p.Module.Replace; r != nil {
				m.Replace = &packages.Module{Path: r.Path, Version: r.Version}
			}
		}
		l := &listed{Path: p.ImportPath, Name: p.Name, Ident: identOf(m), Main: m != nil && m.Main, Deps: p.Deps, Imports: p.Imports}
		// As load.Load: a hook package is a root only when a pattern names it.
		l.Root = !p.DepOnly && (!extra[p.ImportPath] || patterns[p.ImportPath])
		for _, f := range append(p.GoFiles, p.CgoFiles...) {
			l.Files = append(l.Files, filepath.Join(p.Dir, f))
		}
		slices.Sort(l.Deps)
		pkgs[p.ImportPath] = l
	}
	return pkgs, nil
}

// loadModFile writes, to a temporary directory, the go.mod and go.sum that
// generate loaded with: _otel/go.mod without the replace directives that
// serve rewritten dependencies from _otel/mod/, which only the overlay
// completes.
func loadModFile(root string) (string, func(), error) {
	path := filepath.Join(root, emit.Dir, emit.GoModFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	f, err := modfile.Parse(path, data, nil)
	if err != nil {
		return "", nil, err
	}
	for _, r := range f.Replace {
		if strings.HasPrefix(r.New.Path, "./"+emit.Dir+"/mod/") {
			if err := f.DropReplace(r.Old.Path, r.Old.Version); err != nil {
				return "", nil, err
			}
		}
	}
	out, err := f.Format()
	if err != nil {
		return "", nil, err
	}
	sum, _ := os.ReadFile(filepath.Join(root, emit.Dir, emit.GoSumFile))
	tmp, err := os.MkdirTemp("", "otelgen-check-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(tmp) }
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), out, 0o644); err != nil {
		cleanup()
		return "", nil, err
	}
	if err := os.WriteFile(filepath.Join(tmp, "go.sum"), sum, 0o644); err != nil {
		cleanup()
		return "", nil, err
	}
	return filepath.Join(tmp, "go.mod"), cleanup, nil
}

// freshByLock reports whether the committed tree is what generate would
// write, from the lock alone: same otelgen, Go, rules and patterns; every
// committed file as the lock records it; every original and go.mod as it was;
// and the same targets digest. A devel build of otelgen never trusts it,
// since its code can change under the same version.
func freshByLock(env *load.Env, version string, lock *emit.Lock, set *rules.Set, patterns, platforms []string) bool {
	if version == "devel" || lock.TargetsDigest == "" || lock.Otelgen != version || lock.Go != env.GOVERSION ||
		lock.RulesDigest != set.Digest() || !slices.Equal(patterns, lock.Patterns) || !slices.Equal(platforms, lock.Platforms) {
		return false
	}
	have, err := emit.ReadTree(env.Root())
	if err != nil || have == nil || !treeMatchesLock(have, lock) {
		return false
	}
	if _, err := os.Stat(filepath.Join(env.Root(), "vendor", "modules.txt")); (err == nil) != lock.Vendor {
		return false
	}
	pl := emit.Places{Root: env.Root(), GOROOT: env.GOROOT, GOMODCACHE: env.GOMODCACHE}
	if _, err := pl.Overlay(lock); err != nil {
		return false // an original or go.mod changed
	}
	names := platforms
	if len(names) == 0 {
		names = []string{""}
	}
	originals := map[string]bool{}
	for _, e := range lock.Files {
		if p, _, err := pl.Original(lock, e.Path); err == nil && e.OriginalSHA256 != "" {
			originals[p] = true
		}
	}
	t := targets(set)
	// Rules that rewrite the callers of a function rewrite the main
	// module's packages that import its package: like a local target,
	// each such package must be wholly among the originals.
	called := map[string][]string{} // package: its functions whose calls rules rewrite
	wrappers := map[string]bool{}   // packages whose calls no rule rewrites
	for _, r := range set.Rules {
		if r.Scope() == rules.ScopeCallers {
			called[r.Package] = append(called[r.Package], r.Function)
			wrappers[r.Wrapper.Package] = true
		}
	}
	var all [][]string
	for _, name := range names {
		pkgs, err := goList(env, lock, name)
		if err != nil {
			return false
		}
		for _, p := range pkgs {
			if t[p.Path] && p.Ident == "local" && !allIn(p.Files, originals) {
				return false // a file the lock has no hash of
			}
			if p.Main && !wrappers[p.Path] && !mayNotCall(p, called, originals) {
				return false
			}
		}
		lines, err := platformLines(set, pkgs)
		if err != nil {
			return false
		}
		all = append(all, lines)
	}
	if digestLines(all, names, lock.Vendor, env.Workspace()) != lock.TargetsDigest {
		return false
	}
	// A lock edited by hand, or merged by git from two generates, is not
	// the one generate wrote: only a full check may judge that tree.
	canonical, err := json.MarshalIndent(lock, "", "  ")
	return err == nil && bytes.Equal(append(canonical, '\n'), have[emit.LockFile])
}

// mayNotCall reports whether a package of the main module surely holds no
// call that a call rule would rewrite, besides those in files the lock
// records as originals: every other file that imports the function's
// package does not even spell the function's name. (A call must; the
// rules leave dot imports and function values alone.)
func mayNotCall(p *listed, called map[string][]string, originals map[string]bool) bool {
	var names []string
	for _, imp := range p.Imports {
		names = append(names, called[imp]...)
	}
	if len(names) == 0 {
		return true
	}
	for _, f := range p.Files {
		if originals[f] {
			continue
		}
		src, err := readfile.ReadFile(f)
		if err != nil {
			return false
		}
		for _, name := range names {
			if spells(src, name) {
				return false
			}
		}
	}
	return true
}

// spells reports whether src holds name as a whole identifier.
func spells(src []byte, name string) bool {
	isIdent := func(c byte) bool {
		return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
	}
	for i := 0; ; {
		j := bytes.Index(src[i:], []byte(name))
		if j < 0 {
			return false
		}
		at := i + j
		end := at + len(name)
		if (at == 0 || !isIdent(src[at-1])) && (end == len(src) || !isIdent(src[end])) {
			return true
		}
		i = at + 1
	}
}

func allIn(files []string, set map[string]bool) bool {
	for _, f := range files {
		if !set[f] {
			return false
		}
	}
	return true
}

// treeMatchesLock reports whether the files on disk are those the lock
// lists, with the recorded hashes, and nothing else.
func treeMatchesLock(have emit.Tree, lock *emit.Lock) bool {
	want := map[string]string{emit.DiffFile: lock.DiffSHA256}
	for _, e := range lock.Files {
		want[e.Path] = e.OutputSHA256
	}
	if lock.GoMod != nil {
		want[emit.GoModFile] = lock.GoMod.OutModSHA256
		want[emit.GoSumFile] = lock.GoMod.OutSumSHA256
	}
	for p, data := range have {
		if p == emit.LockFile {
			continue
		}
		if p == emit.IgnoreFile {
			if !bytes.Equal(data, emit.Ignore) {
				return false
			}
			continue
		}
		if h, ok := want[p]; !ok || h != emit.Hash(data) {
			return false
		}
	}
	for p := range want {
		if _, ok := have[p]; !ok {
			return false
		}
	}
	_, ok := have[emit.IgnoreFile]
	return ok
}
