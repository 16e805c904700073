// Package templates holds the text/template sources of the code otelgen
// injects, and renders them gofmt-formatted.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	"go/format"
	"maps"
	"regexp"
	"slices"
	"sync"
	"text/template"
)

//go:embed *.tmpl
var files embed.FS

var all = template.Must(template.ParseFS(files, "*.tmpl"))

// Var is a receiver, parameter or result of an instrumented function.
type Var struct {
	Type     string // as written in the target's source
	HookType string // as the hook receives it: "*T", or "interface{}" when Opaque
	Opaque   bool   // the hook sees it as interface{}: Type mentions a type parameter, or a type the hook package cannot name
}

// Hook is one hook rule applied to one function.
type Hook struct {
	RuleID     string
	Ident      string // otelgen_<rule id>, the prefix of every name the rule adds
	FuncName   string // "net/http.(*Client).do"
	TypeParams string // "[T any]" for generic functions and methods, else ""
	TypeArgs   string // "[T]", or ""
	// TypeDecl is TypeParams as the record type's declaration spells them:
	// with a trailing comma when there is one type parameter whose
	// constraint starts with * or (, since "type R[P *C] struct" declares an
	// array type of length P*C.
	TypeDecl  string
	Recv      *Var
	Params    []Var
	Results   []Var
	HasBefore bool
	HasAfter  bool
	// Pooled: the call records come from a sync.Pool, so that a bound hook
	// allocates nothing. Not for a generic function (its record type is
	// generic too) or in a package that sync imports.
	Pooled bool
}

// HooksFile renders the file added to a target package: the call type, the
// linknamed hook variables, and the pools of call records.
func HooksFile(pkgName string, hooks []*Hook) ([]byte, error) {
	pooled := false
	for _, h := range hooks {
		pooled = pooled || h.Pooled
	}
	return render("hooks.go.tmpl", struct {
		Package string
		Hooks   []*Hook
		Pooled  bool
	}{pkgName, hooks, pooled}, false)
}

// Trampolines renders the declarations appended to a rewritten file.
func Trampolines(hooks []*Hook) ([]byte, error) {
	return render("trampolines.go.tmpl", hooks, true)
}

// Import is one import of a generated file.
type Import struct{ Name, Path string }

// Binding sets the hook variables of one rule from the main package.
type Binding struct {
	RuleID   string
	Ident    string
	FuncName string
	Before   struct{ Name string } // qualified expression of the hook, or ""
	After    struct{ Name string }
	Local    bool // the target is in the main package itself
}

// RegisterFile renders the file added to a main package that binds hooks.
func RegisterFile(imports []Import, bindings []*Binding) ([]byte, error) {
	local := false
	for _, b := range bindings {
		local = local || b.Local
	}
	return render("register.go.tmpl", struct {
		Imports  []Import
		Bindings []*Binding
		Local    bool
	}{imports, bindings, local}, false)
}

func render(name string, data any, fragment bool) ([]byte, error) {
	var b bytes.Buffer
	if fragment {
		b.WriteString("package p\n")
	}
	if err := all.ExecuteTemplate(&b, name, data); err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("template %s made invalid Go: %w\n%s", name, err, b.Bytes())
	}
	if fragment {
		out = bytes.TrimPrefix(out, []byte("package p\n"))
	}
	return out, nil
}

// importRE matches an import spec on a line of its own, in a block or not.
var importRE = regexp.MustCompile(`(?m)^(?:import\s+)?\s*(?:[A-Za-z_][A-Za-z0-9_]*\s+)?"([^"\s]+)"`)

// Imports returns the import paths that the templates may write into a
// package, sorted: what the injected code may name of other packages
// besides the hook packages.
var Imports = sync.OnceValue(func() []string {
	seen := map[string]bool{}
	entries, _ := files.ReadDir(".")
	for _, e := range entries {
		data, err := files.ReadFile(e.Name())
		if err != nil {
			continue
		}
		for _, m := range importRE.FindAllSubmatch(data, -1) {
			seen[string(m[1])] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
})
