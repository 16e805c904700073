package rewrite

import (
	"go/ast"

	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rules"
)

// fields applies field rules: the field goes last in the struct type, on
// the line of the closing brace, so that the layout of the existing fields
// and every line number stay as they were.
type fields struct{ immediate }

func (fields) add(p *pkgState, r *rules.Rule) error {
	var st *ast.StructType
	var sf *srcFile
	for _, f := range p.files {
		if st = structType(f.ast, r.Struct); st != nil {
			sf = f
			break
		}
	}
	if st == nil {
		return r.Errorf("struct", "%s has no struct type %s", p.pkg.PkgPath, r.Struct)
	}
	if !sf.exact {
		if err := sf.parseFull(); err != nil {
			return err
		}
		st = structType(sf.ast, r.Struct)
	}
	for _, fl := range st.Fields.List {
		for _, n := range fl.Names {
			if n.Name == r.FieldName {
				return r.Errorf("name", "%s.%s already has a field %s", p.pkg.PkgPath, r.Struct, r.FieldName)
			}
		}
	}
	ins := r.FieldName + " " + r.FieldType + "; "
	if n := len(st.Fields.List); n > 0 && p.fset.Position(st.Fields.List[n-1].End()).Line == p.fset.Position(st.Fields.Closing).Line {
		ins = "; " + ins
	}
	sf.edits.insert(sf.off(st.Fields.Closing), ins)
	sf.rules[r.ID] = true
	sf.inject(r.ID, emit.InjField, r.Struct+"."+r.FieldName, st.Fields.Closing)
	return nil
}

// structType returns f's declaration of struct type name, or nil.
func structType(f *ast.File, name string) *ast.StructType {
	var st *ast.StructType
	ast.Inspect(f, func(n ast.Node) bool {
		if ts, ok := n.(*ast.TypeSpec); ok && ts.Name.Name == name {
			if s, ok := ts.Type.(*ast.StructType); ok {
				st = s
			}
		}
		_, isFunc := n.(*ast.FuncDecl)
		return !isFunc && st == nil
	})
	return st
}
