package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"
)

// TestTypeDeclParams checks that the record type's parameter list declares
// a generic type, not an array, whatever the constraints look like.
func TestTypeDeclParams(t *testing.T) {
	for _, c := range []struct {
		decl, names []string
		want        string
	}{
		{[]string{"T any"}, []string{"T"}, "[T any]"},
		{[]string{"T, U any"}, []string{"T", "U"}, "[T, U any]"},
		{[]string{"P *int"}, []string{"P"}, "[P *int,]"},
		{[]string{"P *C|Q"}, []string{"P"}, "[P *C|Q,]"},
		{[]string{"P (C)"}, []string{"P"}, "[P (C),]"},
		{[]string{"P *int", "C any"}, []string{"P", "C"}, "[P *int, C any]"},
		{[]string{"E comparable"}, []string{"E"}, "[E comparable]"},
	} {
		got := typeDeclParams(c.decl, c.names)
		if got != c.want {
			t.Errorf("typeDeclParams(%q, %q) = %q, want %q", c.decl, c.names, got, c.want)
		}
		src := "package p\ntype R" + got + " struct{}\n"
		f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, 0)
		if err != nil {
			t.Errorf("%s: %v", got, err)
			continue
		}
		if tp := typeSpecParams(f); tp != len(c.names) {
			t.Errorf("%s declares %d type parameters, want %d", got, tp, len(c.names))
		}
	}
}

// typeSpecParams counts the type parameters of the first type declared in f.
func typeSpecParams(f *ast.File) int {
	n := 0
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		ts := g.Specs[0].(*ast.TypeSpec)
		if ts.TypeParams != nil {
			for _, fl := range ts.TypeParams.List {
				n += len(fl.Names)
			}
		}
		return n
	}
	return n
}
