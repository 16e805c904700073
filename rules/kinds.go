package rules

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Kind says what a rule injects.
type Kind string

// kindDef is how rules of one kind are read and shown. Each kind has its
// own file (kind_hook.go, kind_field.go, ...) that declares the kind's part
// of a rule, its Spec, and the kindDef that reads and describes it;
// rewriter/rewrite has the matching file that applies it. A new kind is that
// pair of files and a line in kindDefs.
type kindDef interface {
	// fields lists the fields the kind accepts besides the common ones; nil
	// for a kind that rule files cannot write.
	fields() []string
	// parse reads the kind's fields into r, whose common fields are set.
	parse(r *Rule, f *ruleFields) error
	// target names what the rule changes, for a rule applied to package
	// pkg (the rule's own package when pkg is "").
	target(r *Rule, pkg string) string
	// result says in a few words what applying the rule did.
	result() string
	// why says what the rule applies, for explain: its hooks, its wrapper.
	why(r *Rule) string
	// refs are the functions of other packages that the rule makes the
	// program call, each with the field that names it.
	refs(r *Rule) []FieldRef
	// imports are packages, besides those of refs, that the rule makes the
	// program import.
	imports(r *Rule) []string
	// digest returns what of the kind's part can change what otelgen
	// writes: values of the first rules' keys (before, after, struct,
	// field, type, file, at, code), then key=value lines of any other.
	digest(r *Rule) (legacy map[string]string, extra []string)
	// scope says which packages the rule rewrites.
	scope() Scope
}

// kindDefs are the kinds, in the order error messages list them.
var kindDefs = []struct {
	kind Kind
	def  kindDef
}{
	{KindHook, hookKind{}},
	{KindField, fieldKind{}},
	{KindFile, fileKind{}},
	{KindInsert, insertKind{}},
	{KindSpan, spanKind{}},
	{KindCall, callKind{}},
}

// def returns the definition of a kind, or nil for an unknown one.
func def(k Kind) kindDef {
	for _, d := range kindDefs {
		if d.kind == k {
			return d.def
		}
	}
	return nil
}

func (r *Rule) def() kindDef {
	if d := def(r.Kind); d != nil {
		return d
	}
	return noKind{}
}

// fileKinds lists the kinds that rule files can write, for messages.
func fileKinds() string {
	var ks []string
	for _, d := range kindDefs {
		if d.def.fields() != nil {
			ks = append(ks, string(d.kind))
		}
	}
	return strings.Join(ks, ", ")
}

// Scope says which packages a rule rewrites.
type Scope int

const (
	// ScopePackage: the rule's package (or every main package).
	ScopePackage Scope = iota
	// ScopeCallers: every package of the main module (and of the
	// workspace's modules) that imports the rule's package, except the
	// packages of the functions the rule calls.
	ScopeCallers
)

// FieldRef is a function that a rule names in one of its fields.
type FieldRef struct {
	Field string // "before", "after", "wrapper"
	Ref   HookRef
}

// Target names what the rule changes in package pkg, as explain and
// otelgen rules show it: "net/http.(*Client).Do", "runtime.g.labels",
// "example.com/app +otelgen_x.go". pkg "" means the rule's own package.
func (r *Rule) Target(pkg string) string { return r.def().target(r, pkg) }

// Result says in a few words what applying the rule did: "hooked".
func (r *Rule) Result() string { return r.def().result() }

// Why says what the rule applies, for explain: its hooks, its wrapper, its
// directive; "" when there is nothing to add to the target.
func (r *Rule) Why() string { return r.def().why(r) }

// Refs are the functions of other packages that the rule makes the program
// call (hooks, wrappers), each with the field that names it.
func (r *Rule) Refs() []FieldRef { return r.def().refs(r) }

// Scope says which packages the rule rewrites.
func (r *Rule) Scope() Scope { return r.def().scope() }

// ruleFields are a rule's fields as written, for a kind's parse.
type ruleFields struct {
	r    *Rule
	vals map[string]*yaml.Node
	read ReadFunc
}

// get returns a field's value, trimmed, or "".
func (f *ruleFields) get(name string) string {
	if v, ok := f.vals[name]; ok {
		return strings.TrimSpace(v.Value)
	}
	return ""
}

// need returns a field's value, or an error saying what it must hold.
func (f *ruleFields) need(name, what string) (string, error) {
	v := f.get(name)
	if v == "" {
		return "", f.r.Errorf(name, "missing: %s", what)
	}
	return v, nil
}

// function reads the field "function" into the rule: what says what the
// function is to the kind.
func (f *ruleFields) function(what string) error {
	fn, err := f.need("function", what+`: "Name", "T.Name" or "(*T).Name"`)
	if err != nil {
		return err
	}
	if !functionRE.MatchString(fn) {
		return f.r.Errorf("function", `%q is not a function name: want "Name", "T.Name" or "(*T).Name"`, fn)
	}
	f.r.Function = fn
	return nil
}

// ref reads a field that names a function of another package, or returns
// the zero HookRef when the field is absent.
func (f *ruleFields) ref(name string) (HookRef, error) {
	v := f.get(name)
	if v == "" {
		return HookRef{}, nil
	}
	h, err := parseHookRef(v)
	if err != nil {
		return HookRef{}, f.r.Errorf(name, "%v", err)
	}
	return h, nil
}

// funcTarget is the target of a rule on a function of its package.
func funcTarget(r *Rule, pkg string) string {
	if pkg == "" {
		pkg = r.Package
	}
	return pkg + "." + r.Function
}

// noKind is the definition of a rule whose kind is unknown: a rule made in
// code, never parsed.
type noKind struct{}

func (noKind) fields() []string                           { return nil }
func (noKind) parse(*Rule, *ruleFields) error             { return fmt.Errorf("unknown kind") }
func (noKind) target(r *Rule, pkg string) string          { return cmp.Or(pkg, r.Package) }
func (noKind) result() string                             { return "" }
func (noKind) why(*Rule) string                           { return "" }
func (noKind) refs(*Rule) []FieldRef                      { return nil }
func (noKind) imports(*Rule) []string                     { return nil }
func (noKind) digest(*Rule) (map[string]string, []string) { return nil, nil }
func (noKind) scope() Scope                               { return ScopePackage }

// WriteDigest writes what of r can change what otelgen writes.
func (r *Rule) WriteDigest(w io.Writer) {
	legacy, extra := r.def().digest(r)
	fmt.Fprintf(w, "id=%q kind=%q pkg=%q version=%q go=%q fn=%q before=%q after=%q order=%d struct=%q field=%q type=%q file=%q at=%q code=%q feature=%q needs=%q\n",
		r.ID, r.Kind, r.Package, r.Version, r.Go, r.Function, legacy["before"], legacy["after"], r.Order,
		legacy["struct"], legacy["field"], legacy["type"], legacy["file"], legacy["at"], legacy["code"], r.Feature, r.Needs)
	if len(r.Options) > 0 {
		fmt.Fprintf(w, "options=%q\n", r.Options)
	}
	for _, line := range slices.Sorted(slices.Values(extra)) {
		fmt.Fprintln(w, line)
	}
}
