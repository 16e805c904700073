package rules

import (
	"strconv"
	"strings"
)

// KindHook calls a before and/or after hook around a function.
const KindHook Kind = "hook"

// HookSpec is the part of a hook rule that its kind defines: the hooks.
// Function names the target, and Order ranks the rule among the hook rules
// of one function.
type HookSpec struct {
	Before HookRef // zero when absent
	After  HookRef // zero when absent
}

type hookKind struct{}

func (hookKind) fields() []string { return []string{"function", "before", "after", "order"} }

func (hookKind) parse(r *Rule, f *ruleFields) error {
	if err := f.function("the target function"); err != nil {
		return err
	}
	h := &HookSpec{}
	var err error
	if h.Before, err = f.ref("before"); err != nil {
		return err
	}
	if h.After, err = f.ref("after"); err != nil {
		return err
	}
	if h.Before.IsZero() && h.After.IsZero() {
		return r.Errorf("before", `a hook rule needs "before", "after" or both`)
	}
	if v := f.get("order"); v != "" {
		if r.Order, err = strconv.Atoi(v); err != nil {
			return r.Errorf("order", "%q is not an integer", v)
		}
	}
	r.HookSpec = h
	return nil
}

func (hookKind) target(r *Rule, pkg string) string { return funcTarget(r, pkg) }
func (hookKind) result() string                    { return "hooked" }

func (k hookKind) why(r *Rule) string {
	var hooks []string
	for _, ref := range k.refs(r) {
		hooks = append(hooks, ref.Ref.String())
	}
	return strings.Join(hooks, ", ")
}

func (hookKind) refs(r *Rule) []FieldRef {
	var out []FieldRef
	if !r.Before.IsZero() {
		out = append(out, FieldRef{"before", r.Before})
	}
	if !r.After.IsZero() {
		out = append(out, FieldRef{"after", r.After})
	}
	return out
}

func (hookKind) imports(*Rule) []string { return nil }

func (hookKind) digest(r *Rule) (map[string]string, []string) {
	return map[string]string{"before": r.Before.String(), "after": r.After.String()}, nil
}

func (hookKind) scope() Scope { return ScopePackage }
