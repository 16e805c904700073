package rules

import (
	"cmp"
	"go/token"
)

// KindField adds a field to a struct type.
const KindField Kind = "field"

// FieldSpec is the part of a field rule that its kind defines.
type FieldSpec struct {
	Struct    string // the struct type's name
	FieldName string
	FieldType string // as written in the target package
}

type fieldKind struct{}

func (fieldKind) fields() []string { return []string{"struct", "name", "type"} }

func (fieldKind) parse(r *Rule, f *ruleFields) error {
	s := &FieldSpec{}
	var err error
	if s.Struct, err = f.need("struct", "the name of the struct type"); err != nil {
		return err
	}
	if !token.IsIdentifier(s.Struct) {
		return r.Errorf("struct", "%q is not a type name", s.Struct)
	}
	if s.FieldName, err = f.need("name", "the name of the new field"); err != nil {
		return err
	}
	if !token.IsIdentifier(s.FieldName) {
		return r.Errorf("name", "%q is not a field name", s.FieldName)
	}
	if s.FieldType, err = f.need("type", "the type of the new field, as written in the target package"); err != nil {
		return err
	}
	r.FieldSpec = s
	return nil
}

func (fieldKind) target(r *Rule, pkg string) string {
	return cmp.Or(pkg, r.Package) + "." + r.Struct + "." + r.FieldName
}

func (fieldKind) result() string         { return "field added" }
func (fieldKind) why(*Rule) string       { return "" }
func (fieldKind) refs(*Rule) []FieldRef  { return nil }
func (fieldKind) imports(*Rule) []string { return nil }
func (fieldKind) scope() Scope           { return ScopePackage }

func (fieldKind) digest(r *Rule) (map[string]string, []string) {
	return map[string]string{"struct": r.Struct, "field": r.FieldName, "type": r.FieldType}, nil
}
