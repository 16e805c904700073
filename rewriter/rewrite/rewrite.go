// Package rewrite is the third stage of the pipeline: it applies the matched
// rules to one package's source. For each hook rule it puts a one-line jump at
// the top of the target function, on the line of its opening brace, and
// appends the trampolines that the jump calls to the end of the same file; it
// adds the fields and files that other rules ask for.
//
// Each kind of rule has its own file here (hook.go, field.go, file.go,
// insert.go, span.go, ...), with the applier that applies its rules;
// rewrite.go is what they share: the loop over the matches, the edits and
// the files that come out.
package rewrite

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strings"

	"github.com/otelgen/otelgen/internal/readfile"
	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rewriter/match"
	"github.com/otelgen/otelgen/rewriter/typecheck"
	"github.com/otelgen/otelgen/rules"
	"golang.org/x/tools/go/packages"
)

// Files otelgen adds: to every package that has hook rules, and to every
// main package that binds hooks. Rules of kind file cannot use these names.
const (
	HooksFileName    = "otelgen_hooks.go"
	RegisterFileName = "otelgen_register.go"
)

// File is one file of the rewritten program: a changed original or an added
// file.
type File struct {
	Pkg      *packages.Package
	Path     string // absolute path of the original, or where an added file goes
	Original []byte // nil for an added file
	Output   []byte
	Rules    []string // ids of the rules that shaped it, sorted
	// Injections says what each rule put where, sorted by line, kind,
	// target and rule.
	Injections []emit.Injection
}

// Result is what rewriting one package produced.
type Result struct {
	Files []*File
	Hooks []*Hook
}

// An applier applies the rules of one kind to one package.
type applier interface {
	// add applies rule r, or keeps it for finish. Rules come in the
	// order of the matches.
	add(p *pkgState, r *rules.Rule) error
	// finish applies what add kept, once every rule has been added.
	finish(p *pkgState) error
}

// appliers make, for one package, the applier of each kind. Their finish
// runs in this order.
var appliers = []struct {
	kind rules.Kind
	new  func() applier
}{
	{rules.KindHook, func() applier {
		return &hooks{fns: map[*ast.FuncDecl][]*rules.Rule{}, file: map[*ast.FuncDecl]*srcFile{}}
	}},
	{rules.KindInsert, func() applier { return inserts{} }},
	{rules.KindField, func() applier { return fields{} }},
	{rules.KindFile, func() applier { return addFiles{} }},
	{rules.KindSpan, func() applier { return &spans{} }},
	{rules.KindCall, func() applier { return calls{} }},
}

// immediate is embedded by appliers that apply each rule in add.
type immediate struct{}

func (immediate) finish(*pkgState) error { return nil }

// pkgState is one package being rewritten, shared by the appliers.
type pkgState struct {
	pkg  *packages.Package
	tpkg *types.Package // the original package, type-checked
	// imported returns other packages of the program, type-checked.
	imported PackageFunc
	fset     *token.FileSet
	files    []*srcFile
	added    []*File // files that rules add to the package
	res      *Result
	// topped are the functions whose top a hook rule's jump takes, with
	// the first such rule's id: no other rule may take it too.
	topped map[*ast.FuncDecl]string
}

// PackageFunc returns the type-checked package with an import path.
type PackageFunc func(path string) (*types.Package, error)

// Parsed is a package's files parsed already without their function
// bodies, such as by its check from source: Package looks up what rules
// target in them rather than parse every file again. Their declarations
// may be simplified further, as long as a type declaration and a
// function's signature stay as written.
type Parsed struct {
	Fset  *token.FileSet
	Files []*ast.File
	// Short says that the files' positions are right by line only (they
	// were parsed from shortened text): Package parses again, whole, the
	// files it edits. Otherwise the bodies were blanked in place (see
	// typecheck.SkimBodies), and every offset is right.
	Short bool
	// Texts are the files' contents by name, when read already.
	Texts map[string][]byte
}

func (p *Parsed) short() bool { return p != nil && p.Short }

// Package rewrites one package with the rules that matched it. tpkg is the
// original package, type-checked; it is used to find methods and to render
// the constraints of a generic receiver. imported returns the other
// packages of the program, type-checked, such as the package of a call
// rule's wrapper. parsed, when not nil, is the package's files, parsed.
func Package(pkg *packages.Package, ms []*match.Match, tpkg *types.Package, imported PackageFunc, parsed *Parsed) (*Result, error) {
	fset := token.NewFileSet()
	have := map[string]*ast.File{}
	if parsed != nil {
		fset = parsed.Fset
		for _, f := range parsed.Files {
			have[fset.File(f.Pos()).Name()] = f
		}
	}
	p := &pkgState{pkg: pkg, tpkg: tpkg, imported: imported, fset: fset, res: &Result{}, topped: map[*ast.FuncDecl]string{}}
	for _, name := range pkg.GoFiles {
		src, ok := []byte(nil), false
		if parsed != nil {
			src, ok = parsed.Texts[name]
		}
		if !ok {
			var err error
			if src, err = readfile.ReadFile(name); err != nil {
				return nil, err
			}
		}
		// Function bodies are parsed only in the files whose functions
		// rules rewrite (see findFunc): most of a package's files need
		// only their declarations, and bodies are most of parsing.
		sf := &srcFile{fset: p.fset, name: name, src: src, ast: have[name], exact: !parsed.short(), rules: map[string]bool{}}
		if sf.ast == nil {
			sf.exact = true
			skim := typecheck.SkimBodies(src)
			f, err := parser.ParseFile(p.fset, name, skim, parser.SkipObjectResolution)
			if err != nil {
				return nil, err
			}
			sf.ast = f
			sf.full = len(skim) > 0 && &skim[0] == &src[0] // nothing was skimmed
		}
		p.files = append(p.files, sf)
	}
	byKind := map[rules.Kind]applier{}
	for _, a := range appliers {
		byKind[a.kind] = a.new()
	}
	for _, m := range ms {
		a, ok := byKind[m.Rule.Kind]
		if !ok {
			return nil, m.Rule.Errorf("kind", "rules of kind %q cannot be applied", m.Rule.Kind)
		}
		if err := a.add(p, m.Rule); err != nil {
			return nil, err
		}
	}
	for _, a := range appliers {
		if err := byKind[a.kind].finish(p); err != nil {
			return nil, err
		}
	}

	res := p.res
	for _, f := range p.files {
		if len(f.edits) == 0 && f.trailer == nil {
			continue
		}
		out := f.edits.apply(f.src)
		if f.trailer != nil {
			if !bytes.HasSuffix(out, []byte("\n")) {
				out = append(out, '\n')
			}
			out = append(out, f.trailer...)
		}
		if len(f.decls) > 0 {
			if !bytes.HasSuffix(out, []byte("\n")) {
				out = append(out, '\n')
			}
			out = append(out, "\n"+strings.Join(f.decls, "\n")+"\n"...)
		}
		for _, c := range f.copies {
			if !bytes.HasSuffix(out, []byte("\n")) {
				out = append(out, '\n')
			}
			out = append(out, "\n"+c.head...)
			out = append(out, f.edits.within(f.src, c.start, c.end, c.skip)...)
			out = append(out, '\n')
		}
		SortInjections(f.injections)
		res.Files = append(res.Files, &File{Pkg: pkg, Path: f.name, Original: f.src, Output: out, Rules: slices.Sorted(maps.Keys(f.rules)), Injections: f.injections})
	}
	res.Files = append(res.Files, p.added...)
	slices.SortFunc(res.Files, func(a, b *File) int { return strings.Compare(a.Path, b.Path) })
	return res, nil
}

// findFunc finds the declaration a rule's function names, in a file
// parsed with its function bodies.
func (p *pkgState) findFunc(r *rules.Rule) (*srcFile, *ast.FuncDecl, error) {
	var similar []string
	for _, f := range p.files {
		fd, names := f.findFunc(r.Function)
		similar = append(similar, names...)
		if fd == nil {
			continue
		}
		if fd.Body == nil {
			return nil, nil, r.Errorf("function", "%s.%s has no Go body (it is implemented in assembly or linked by name): it cannot be instrumented", p.pkg.PkgPath, r.Function)
		}
		if !f.full {
			if err := f.parseFull(); err != nil {
				return nil, nil, err
			}
			fd, _ = f.findFunc(r.Function)
		}
		return f, fd, nil
	}
	msg := fmt.Sprintf("%s has no function %s", p.pkg.PkgPath, r.Function)
	if len(similar) > 0 {
		msg += fmt.Sprintf(" (it has %s)", strings.Join(similar, ", "))
	}
	return nil, nil, r.Errorf("function", "%s", msg)
}

// Ident turns a rule id into the prefix of the names the rule adds.
func Ident(id string) string {
	return "otelgen_" + strings.NewReplacer("-", "_", ".", "_").Replace(id)
}

// AddedFile returns the injections of a file that otelgen adds for rules
// ids: one of kind per rule, at line 1.
func AddedFile(kind, name string, ids []string) []emit.Injection {
	var out []emit.Injection
	for _, id := range ids {
		out = append(out, emit.Injection{Rule: id, Kind: kind, Target: name, Line: 1})
	}
	return out
}

// SortInjections puts injections in their recorded order.
func SortInjections(ins []emit.Injection) {
	slices.SortFunc(ins, func(a, b emit.Injection) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Target, b.Target), cmp.Compare(a.Rule, b.Rule))
	})
}

func funcBase(name string) string {
	if i := strings.LastIndex(name, "."); i >= 0 {
		return name[i+1:]
	}
	return name
}
