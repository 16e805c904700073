package rules

import (
	"fmt"
	"path/filepath"
)

// KindSpan puts a span around a function of the program's own. Only a
// //otel:span directive in the function's source makes such a rule (see
// package rewriter/directive, which reads it); rule files cannot.
const KindSpan Kind = "span"

// SpanPackage is the package that the code of a span rule calls.
const SpanPackage = Module + "/rules/otelspan"

// SpanSpec is the part of a span rule that its kind defines. Function names
// the function the directive documents.
type SpanSpec struct {
	SpanName   string   // the span's name
	SpanAttrs  []string // parameters recorded as attributes
	SpanMetric bool     // also record the function's duration histogram
}

type spanKind struct{}

func (spanKind) fields() []string { return nil }

func (spanKind) parse(r *Rule, f *ruleFields) error {
	return r.Errorf("kind", "only a //otel:span directive makes a span rule")
}

func (spanKind) target(r *Rule, pkg string) string { return funcTarget(r, pkg) }
func (spanKind) result() string                    { return "span" }

func (spanKind) why(r *Rule) string {
	return fmt.Sprintf("//otel:span at %s:%d: span %q", filepath.Base(r.Pos.File), r.Pos.Line, r.SpanName)
}

func (spanKind) refs(*Rule) []FieldRef  { return nil }
func (spanKind) imports(*Rule) []string { return []string{SpanPackage} }
func (spanKind) scope() Scope           { return ScopePackage }

// digest: a span rule comes from the program's source, which the inputs
// digest covers already.
func (spanKind) digest(*Rule) (map[string]string, []string) { return nil, nil }
