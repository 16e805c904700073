package rules

import (
	"fmt"
	"go/token"
)

// KindCall wraps the calls of a function: in every package of the main
// module (and of the workspace's modules) that imports the rule's package,
// each call of the function calls the rule's wrapper instead, a function of
// the same signature that calls it in turn. It is for what a hook on the
// function cannot do, such as returning another value altogether (a
// wrapped *sql.DB), or instrumenting a function of the standard library
// without rewriting it.
const KindCall Kind = "call"

// CallSpec is the part of a call rule that its kind defines. Function names
// the function whose calls are wrapped, a function of the rule's package.
type CallSpec struct {
	Wrapper HookRef // the function called instead
}

type callKind struct{}

func (callKind) fields() []string { return []string{"function", "wrapper"} }

func (callKind) parse(r *Rule, f *ruleFields) error {
	if err := f.function("the function whose calls are wrapped"); err != nil {
		return err
	}
	if !token.IsIdentifier(r.Function) {
		return r.Errorf("function", "%q is a method: a call rule wraps a function of the package, as in Open", r.Function)
	}
	if r.Package == MainPackages {
		return r.Errorf("package", "a call rule wraps a function of an importable package, not of %q", MainPackages)
	}
	w, err := f.ref("wrapper")
	if err != nil {
		return err
	}
	if w.IsZero() {
		return r.Errorf("wrapper", "missing: the function to call instead, with the same parameters and results: <import path>.<Func>")
	}
	if w.Package == r.Package {
		return r.Errorf("wrapper", "%s is in the package whose calls are wrapped: put it in a package of its own", w)
	}
	r.CallSpec = &CallSpec{Wrapper: w}
	return nil
}

func (callKind) target(r *Rule, pkg string) string {
	t := "calls of " + r.Package + "." + r.Function
	if pkg != "" && pkg != r.Package {
		t += " in " + pkg
	}
	return t
}

func (callKind) result() string          { return "calls wrapped" }
func (callKind) why(r *Rule) string      { return r.Wrapper.String() }
func (callKind) refs(r *Rule) []FieldRef { return []FieldRef{{"wrapper", r.Wrapper}} }
func (callKind) imports(*Rule) []string  { return nil }
func (callKind) scope() Scope            { return ScopeCallers }

func (callKind) digest(r *Rule) (map[string]string, []string) {
	return nil, []string{fmt.Sprintf("wrapper=%q", r.Wrapper.String())}
}
