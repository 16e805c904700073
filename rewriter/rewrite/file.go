package rewrite

import (
	"path/filepath"
	"slices"

	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rules"
)

// addFiles applies file rules: the rule's file is added to the package as
// it is.
type addFiles struct{ immediate }

func (addFiles) add(p *pkgState, r *rules.Rule) error {
	if name := packageClause(r.Content); name != p.pkg.Name {
		return r.Errorf("file", "the file declares package %s, but %s is package %s", name, p.pkg.PkgPath, p.pkg.Name)
	}
	if r.FileName == HooksFileName || r.FileName == RegisterFileName {
		return r.Errorf("name", "%s is reserved for the code otelgen generates: name the file otherwise", r.FileName)
	}
	path := filepath.Join(p.pkg.Dir, r.FileName)
	if slices.Contains(p.pkg.GoFiles, path) {
		return r.Errorf("name", "%s already has a file %s", p.pkg.PkgPath, r.FileName)
	}
	p.added = append(p.added, &File{Pkg: p.pkg, Path: path, Output: r.Content, Rules: []string{r.ID},
		Injections: []emit.Injection{{Rule: r.ID, Kind: emit.InjFile, Target: r.FileName, Line: 1}}})
	return nil
}
