package rules

import (
	"cmp"
	"crypto/sha256"
	"fmt"
	"path"
	"regexp"
	"strings"
)

// KindFile adds a Go file to a package.
const KindFile Kind = "file"

// FileSpec is the part of a file rule that its kind defines.
type FileSpec struct {
	FileName string // base name of the added file in the target package
	Content  []byte
}

var fileNameRE = regexp.MustCompile(`^[A-Za-z0-9_]+\.go$`)

type fileKind struct{}

func (fileKind) fields() []string { return []string{"file", "name"} }

func (fileKind) parse(r *Rule, f *ruleFields) error {
	rel, err := f.need("file", "the Go file to add, relative to this rule file")
	if err != nil {
		return err
	}
	if path.IsAbs(rel) || strings.HasPrefix(path.Clean(rel), "..") {
		return r.Errorf("file", "%q must be relative to the rule file and below it", rel)
	}
	if f.read == nil {
		return r.Errorf("file", "cannot read files here")
	}
	s := &FileSpec{}
	if s.Content, err = f.read(rel); err != nil {
		return r.Errorf("file", "cannot read %s: %v", rel, err)
	}
	s.FileName = f.get("name")
	if s.FileName == "" {
		s.FileName = "otelgen_" + path.Base(rel)
	}
	s.FileName = strings.TrimSuffix(s.FileName, ".tmpl")
	if !fileNameRE.MatchString(s.FileName) || strings.HasSuffix(s.FileName, "_test.go") {
		return r.Errorf("name", "%q is not a usable Go file name", s.FileName)
	}
	r.FileSpec = s
	return nil
}

func (fileKind) target(r *Rule, pkg string) string { return cmp.Or(pkg, r.Package) + " +" + r.FileName }
func (fileKind) result() string                    { return "file added" }
func (fileKind) why(*Rule) string                  { return "" }
func (fileKind) refs(*Rule) []FieldRef             { return nil }
func (fileKind) scope() Scope                      { return ScopePackage }

// imports are the packages outside the standard library that the file
// imports, such as the SDK that sdk-start starts.
func (fileKind) imports(r *Rule) []string {
	var out []string
	for _, p := range FileImports(r.Content) {
		if !isStd(p) {
			out = append(out, p)
		}
	}
	return out
}

func (fileKind) digest(r *Rule) (map[string]string, []string) {
	var extra []string
	if r.Content != nil {
		extra = append(extra, fmt.Sprintf("content=%x", sha256.Sum256(r.Content)))
	}
	return map[string]string{"file": r.FileName}, extra
}
