package rules

// KindInsert inserts a statement before a statement of a function, found by
// its structure.
const KindInsert Kind = "insert"

// InsertSpec is the part of an insert rule that its kind defines. Function
// names the function to insert into.
type InsertSpec struct {
	At   string // the statement to insert before, as Go source
	Code string // the statement to insert
}

type insertKind struct{}

func (insertKind) fields() []string { return []string{"function", "at", "code"} }

func (insertKind) parse(r *Rule, f *ruleFields) error {
	if err := f.function("the function to insert into"); err != nil {
		return err
	}
	s := &InsertSpec{}
	var err error
	if s.At, err = f.need("at", "the statement to insert before, as Go source"); err != nil {
		return err
	}
	if _, err := ParseStmt(s.At); err != nil {
		return r.Errorf("at", "%q is not a Go statement: %v", s.At, err)
	}
	if s.Code, err = f.need("code", "the statement to insert, as Go source"); err != nil {
		return err
	}
	if _, err := ParseStmt(s.Code); err != nil {
		return r.Errorf("code", "%q is not a Go statement: %v", s.Code, err)
	}
	r.InsertSpec = s
	return nil
}

func (insertKind) target(r *Rule, pkg string) string { return funcTarget(r, pkg) }
func (insertKind) result() string                    { return "inserted" }
func (insertKind) why(*Rule) string                  { return "" }
func (insertKind) refs(*Rule) []FieldRef             { return nil }
func (insertKind) imports(*Rule) []string            { return nil }
func (insertKind) scope() Scope                      { return ScopePackage }

func (insertKind) digest(r *Rule) (map[string]string, []string) {
	return map[string]string{"at": r.At, "code": r.Code}, nil
}
