package rewriter

import (
	"slices"
	"testing"

	"github.com/otelgen/otelgen/rewriter/match"
	"github.com/otelgen/otelgen/rules"
)

func TestComparableType(t *testing.T) {
	for typ, want := range map[string]bool{
		"int": true, "any": true, "string": true, "error": true, "unsafe.Pointer": true,
		"*Conn": true, "chan int": true, "interface{ M() }": true,
		"[]byte": false, "map[string]int": false, "func()": false, "time.Time": false,
		"Local": false, "[2]int": false, "struct{}": false, "nil": false, "(": false,
	} {
		if got := comparableType(typ); got != want {
			t.Errorf("comparableType(%q) = %t, want %t", typ, got, want)
		}
	}
}

// TestTargetNames checks the names that the check of a rewritten package
// keeps for its rules: a function's, a method's type (generic or not), a
// struct given a field.
func TestTargetNames(t *testing.T) {
	ms := []*match.Match{
		{Rule: &rules.Rule{Kind: rules.KindHook, Function: "handle"}},
		{Rule: &rules.Rule{Kind: rules.KindHook, Function: "(*conn).send"}},
		{Rule: &rules.Rule{Kind: rules.KindInsert, Function: "ring.push"}},
		{Rule: &rules.Rule{Kind: rules.KindSpan, Function: "(*list[T]).add"}},
		{Rule: &rules.Rule{Kind: rules.KindField, FieldSpec: &rules.FieldSpec{Struct: "g", FieldName: "x", FieldType: "int"}}},
		{Rule: &rules.Rule{Kind: rules.KindFile}},
	}
	got := targetNames(ms)
	want := []string{"handle", "conn", "ring", "list", "g"}
	if !slices.Equal(got, want) {
		t.Errorf("targetNames = %q, want %q", got, want)
	}
}
