package typecheck

import (
	"go/ast"
	"go/token"
)

// withoutUnreachable returns skimmed files without the package-level
// declarations that no root reaches, however indirectly, and the methods of
// types so dropped; the roots are the declarations whose names root
// accepts. Rooted at the exported names (ast.IsExported), that is what no
// other package can reach of a dependency: other packages see it through
// its exported names only, and what their types lead to. A type kept keeps
// every method, since methods make method sets. Dropping the rest drops
// what only it imported, such as the internal packages that crypto/tls's
// unexported functions take. A const block stays or goes whole (its specs
// share iota and repeat each other's values). A file that loses a
// declaration is a copy: files are unchanged.
func withoutUnreachable(files []*ast.File, root func(name string) bool) []*ast.File {
	// The declarations by name; a node is a *ast.FuncDecl, *ast.TypeSpec,
	// *ast.ValueSpec of a var, or the *ast.GenDecl of a const block.
	byName := map[string][]ast.Node{}
	methods := map[string][]ast.Node{} // by receiver base type name
	var roots []ast.Node
	for _, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv != nil {
					if name := recvName(d); name != "" {
						methods[name] = append(methods[name], d)
					} else {
						roots = append(roots, d)
					}
				} else {
					byName[d.Name.Name] = append(byName[d.Name.Name], d)
				}
			case *ast.GenDecl:
				switch d.Tok {
				case token.TYPE:
					for _, s := range d.Specs {
						ts := s.(*ast.TypeSpec)
						byName[ts.Name.Name] = append(byName[ts.Name.Name], ts)
					}
				case token.VAR:
					for _, s := range d.Specs {
						for _, n := range s.(*ast.ValueSpec).Names {
							byName[n.Name] = append(byName[n.Name], s)
						}
					}
				case token.CONST:
					for _, s := range d.Specs {
						for _, n := range s.(*ast.ValueSpec).Names {
							byName[n.Name] = append(byName[n.Name], d)
						}
					}
				}
			}
		}
	}
	for name, nodes := range byName {
		if root(name) {
			roots = append(roots, nodes...)
		}
	}
	kept := map[ast.Node]bool{}
	var keep func(n ast.Node)
	// names keeps what the identifiers under x name.
	var names func(x ast.Node) bool
	names = func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.Ident:
			keepNamed(byName, x, keep)
		case *ast.SelectorExpr:
			// x.Name names a field, a method or another package's
			// declaration, none of this package's.
			ast.Inspect(x.X, names)
			return false
		}
		return true
	}
	keep = func(n ast.Node) {
		if kept[n] {
			return
		}
		kept[n] = true
		if ts, ok := n.(*ast.TypeSpec); ok {
			for _, m := range methods[ts.Name.Name] {
				keep(m)
			}
		}
		ast.Inspect(n, names)
	}
	for _, n := range roots {
		keep(n)
	}
	return keepOnly(files, kept)
}

// keepNamed calls keep with the declarations of byName that identifier x
// names: "_" names none, so that a parameter so named does not reach the
// declarations of "_".
func keepNamed(byName map[string][]ast.Node, x *ast.Ident, keep func(ast.Node)) {
	if x.Name != "_" {
		for _, d := range byName[x.Name] {
			keep(d)
		}
	}
}

// keepOnly returns files with only the declarations kept holds: function
// declarations, const blocks, and type and var specs. A file that loses a
// declaration is a copy: files are unchanged.
func keepOnly(files []*ast.File, kept map[ast.Node]bool) []*ast.File {
	out := make([]*ast.File, 0, len(files))
	for _, f := range files {
		var decls []ast.Decl
		changed := false
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if !kept[d] {
					changed = true
					continue
				}
			case *ast.GenDecl:
				switch d.Tok {
				case token.CONST:
					if !kept[d] {
						changed = true
						continue
					}
				case token.TYPE, token.VAR:
					var specs []ast.Spec
					for _, s := range d.Specs {
						if kept[s] {
							specs = append(specs, s)
						}
					}
					if len(specs) < len(d.Specs) {
						changed = true
						if len(specs) == 0 {
							continue
						}
						g := *d
						g.Specs = specs
						d = &g
					}
				}
				decls = append(decls, d)
				continue
			}
			decls = append(decls, d)
		}
		if !changed {
			out = append(out, f)
			continue
		}
		cp := *f
		cp.Decls = decls
		out = append(out, &cp)
	}
	return out
}

// importsC reports whether a file of files imports "C": cgo's names are
// not declared in the files, so nothing is dropped from such a package.
func importsC(files []*ast.File) bool {
	for _, f := range files {
		for _, spec := range f.Imports {
			if spec.Path.Value == `"C"` {
				return true
			}
		}
	}
	return false
}

// recvName is the name of the type a method is declared on, or "" when the
// receiver is not one it can read.
func recvName(fd *ast.FuncDecl) string {
	if len(fd.Recv.List) != 1 {
		return ""
	}
	t := fd.Recv.List[0].Type
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// withoutUnneeded returns skimmed files without the package-level
// declarations that the check of a rewrite does not need: what no root
// reaches, as withoutUnreachable drops, and the methods of kept types
// that nothing may call or need. The roots are the declarations that
// root accepts (the code a rewrite changed or added), and every
// declaration of a name declared twice, so that a conflict still shows.
// A kept type keeps the methods whose names methods holds, or kept code
// selects (x.Name), or a kept interface declares, or a root declares on
// another type, and those are added to methods. The caller puts in
// methods those of the interfaces of other packages (see ifaceMethods):
// a kept type may have to implement one. What a method set is for is
// then all kept, since an interface is needed by name and its methods by
// name too; a method that only code left unchecked calls goes.
func withoutUnneeded(files []*ast.File, root func(ast.Decl) bool, methods map[string]bool) []*ast.File {
	byName := map[string][]ast.Node{}
	// The methods that are not roots, by receiver base type name and by
	// name.
	byRecv := map[string][]*ast.FuncDecl{}
	byMethod := map[string][]*ast.FuncDecl{}
	var roots []ast.Node
	for _, f := range files {
		for _, d := range f.Decls {
			r := root(d)
			switch d := d.(type) {
			case *ast.FuncDecl:
				switch {
				case d.Recv == nil:
					byName[d.Name.Name] = append(byName[d.Name.Name], d)
					if r {
						roots = append(roots, d)
					}
				case r || recvName(d) == "":
					roots = append(roots, d)
					methods[d.Name.Name] = true // a duplicate shows
				default:
					byRecv[recvName(d)] = append(byRecv[recvName(d)], d)
					byMethod[d.Name.Name] = append(byMethod[d.Name.Name], d)
				}
			case *ast.GenDecl:
				if d.Tok == token.IMPORT {
					continue
				}
				for _, s := range d.Specs {
					var node ast.Node = s
					var names []*ast.Ident
					switch s := s.(type) {
					case *ast.TypeSpec:
						names = []*ast.Ident{s.Name}
						if st, ok := s.Type.(*ast.StructType); ok && r {
							// A field and a method of the same name
							// conflict.
							for _, f := range st.Fields.List {
								for _, n := range f.Names {
									methods[n.Name] = true
								}
							}
						}
					case *ast.ValueSpec:
						names = s.Names
						if d.Tok == token.CONST {
							node = d // a const block stays or goes whole
						}
					}
					for _, n := range names {
						byName[n.Name] = append(byName[n.Name], node)
					}
					if r {
						roots = append(roots, node)
					}
				}
			}
		}
	}
	for name, nodes := range byName {
		if len(nodes) > 1 && name != "_" && name != "init" {
			roots = append(roots, nodes...)
		}
	}
	kept := map[ast.Node]bool{}
	keptTypes := map[string]bool{}
	var keep func(n ast.Node)
	want := func(name string) {
		if methods[name] {
			return
		}
		methods[name] = true
		for _, m := range byMethod[name] {
			if keptTypes[recvName(m)] {
				keep(m)
			}
		}
	}
	// names keeps what the identifiers under x name, and wants the
	// methods that x selects or declares in an interface.
	var names func(x ast.Node) bool
	names = func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.Ident:
			keepNamed(byName, x, keep)
		case *ast.SelectorExpr:
			want(x.Sel.Name)
			ast.Inspect(x.X, names) // x.Name names no declaration of the package
			return false
		case *ast.InterfaceType:
			for _, f := range x.Methods.List {
				for _, name := range f.Names {
					want(name.Name)
				}
			}
		}
		return true
	}
	keep = func(n ast.Node) {
		if kept[n] {
			return
		}
		kept[n] = true
		if ts, ok := n.(*ast.TypeSpec); ok && !keptTypes[ts.Name.Name] {
			keptTypes[ts.Name.Name] = true
			for _, m := range byRecv[ts.Name.Name] {
				if methods[m.Name.Name] {
					keep(m)
				}
			}
		}
		ast.Inspect(n, names)
	}
	for _, n := range roots {
		keep(n)
	}
	return keepOnly(files, kept)
}
