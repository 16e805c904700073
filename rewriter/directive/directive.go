// Package directive is the stage between load and match: it finds the
// //otel:span directives in the program's own packages and turns each into a
// rule of kind span on the function it documents, so that the rest of the
// pipeline treats it like any other rule.
//
//	//otel:span
//	//otel:span name="checkout" attrs=orderID,userID metric
//
// name sets the span's name (default: the package name and the function's,
// as in orders.Service.Place); attrs lists parameters to record as
// attributes; metric also records the function's duration histogram.
package directive

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"github.com/otelgen/otelgen/internal/readfile"
	"github.com/otelgen/otelgen/rewriter/load"
	"github.com/otelgen/otelgen/rules"
	"golang.org/x/tools/go/packages"
)

// Prefix starts a directive line.
const Prefix = "//otel:span"

// RuleID is the id of the rule a directive makes: one per function, named
// after it.
func RuleID(pkgPath, function string) string {
	return "otel-span/" + pkgPath + "." + function
}

// Find returns the rules of the directives in the packages of the main
// module (and of the workspace's modules) that are in prog's build, sorted
// by id. A directive it cannot read is an error naming its file and line.
func Find(prog *load.Program) ([]*rules.Rule, error) {
	var pkgs []*packages.Package
	for id := range prog.InBuild {
		p := prog.All[id]
		if p.Module != nil && p.Module.Main {
			pkgs = append(pkgs, p)
		}
	}
	slices.SortFunc(pkgs, func(a, b *packages.Package) int { return strings.Compare(a.ID, b.ID) })
	var out []*rules.Rule
	seen := map[string]bool{}
	for _, p := range pkgs {
		for _, name := range p.GoFiles {
			src, err := readfile.ReadFile(name)
			if err != nil {
				return nil, err
			}
			if !bytes.Contains(src, []byte(Prefix)) {
				continue
			}
			rs, err := inFile(p, name, src)
			if err != nil {
				return nil, err
			}
			for _, r := range rs {
				// A package loaded twice (its tests) has one rule.
				if !seen[r.ID] {
					seen[r.ID] = true
					out = append(out, r)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b *rules.Rule) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// inFile returns the rules of the directives in one file.
func inFile(p *packages.Package, name string, src []byte) ([]*rules.Rule, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	funcs := map[*ast.CommentGroup]*ast.FuncDecl{}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Doc != nil {
			funcs[fd.Doc] = fd
		}
	}
	var out []*rules.Rule
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if c.Text != Prefix && !strings.HasPrefix(c.Text, Prefix+" ") {
				continue
			}
			pos := fset.Position(c.Slash)
			at := rules.Pos{File: name, Line: pos.Line, Col: pos.Column}
			fd := funcs[cg]
			if fd == nil {
				return nil, &rules.Error{Pos: at, Field: Prefix, Msg: "a directive must be in the doc comment of a function or method"}
			}
			if fd.Body == nil {
				return nil, &rules.Error{Pos: at, Field: Prefix, Msg: fmt.Sprintf("%s has no Go body", fd.Name.Name)}
			}
			fn := rules.FuncName(fd)
			r := &rules.Rule{
				ID:       RuleID(p.PkgPath, fn),
				Kind:     rules.KindSpan,
				Package:  p.PkgPath,
				Function: fn,
				SpanSpec: &rules.SpanSpec{SpanName: p.Name + "." + strings.NewReplacer("(", "", "*", "", ")", "").Replace(fn)},
				Needs:    []string{rules.FeatureGLS},
				Pos:      at,
				Fields:   map[string]rules.Pos{},
			}
			if err := parseArgs(r, strings.TrimPrefix(c.Text, Prefix), at); err != nil {
				return nil, err
			}
			if err := checkAttrs(r, fd); err != nil {
				return nil, err
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// parseArgs reads the directive's arguments into r: name="..." (or a bare
// word), attrs=a,b and metric.
func parseArgs(r *rules.Rule, args string, at rules.Pos) error {
	bad := func(format string, a ...any) error {
		return &rules.Error{Pos: at, Rule: r.ID, Field: Prefix, Msg: fmt.Sprintf(format, a...)}
	}
	seen := map[string]bool{}
	for rest := strings.TrimSpace(args); rest != ""; rest = strings.TrimSpace(rest) {
		key, val, hasVal := "", "", false
		i := strings.IndexAny(rest, "= \t")
		if i < 0 {
			key, rest = rest, ""
		} else {
			key = rest[:i]
			if rest[i] == '=' {
				hasVal = true
				rest = rest[i+1:]
				if strings.HasPrefix(rest, `"`) {
					q, err := strconv.QuotedPrefix(rest)
					if err != nil {
						return bad("%s: the quoted value does not end", key)
					}
					val, _ = strconv.Unquote(q)
					rest = rest[len(q):]
				} else {
					j := strings.IndexAny(rest, " \t")
					if j < 0 {
						j = len(rest)
					}
					val, rest = rest[:j], rest[j:]
				}
			} else {
				rest = rest[i:]
			}
		}
		if seen[key] {
			return bad("%s given twice", key)
		}
		seen[key] = true
		switch key {
		case "name":
			if !hasVal || strings.TrimSpace(val) == "" {
				return bad(`name needs a value, as in name="checkout"`)
			}
			r.SpanName = val
		case "attrs":
			if !hasVal || val == "" {
				return bad("attrs needs a list of parameter names, as in attrs=orderID,userID")
			}
			r.SpanAttrs = strings.Split(val, ",")
		case "metric":
			if hasVal {
				return bad("metric takes no value")
			}
			r.SpanMetric = true
		default:
			return bad("unknown argument %q (known: name, attrs, metric)", key)
		}
	}
	return nil
}

// checkAttrs checks that each attribute names a parameter of fd.
func checkAttrs(r *rules.Rule, fd *ast.FuncDecl) error {
	params := map[string]bool{}
	var names []string
	for _, fl := range fd.Type.Params.List {
		for _, n := range fl.Names {
			if n.Name != "_" {
				params[n.Name] = true
				names = append(names, n.Name)
			}
		}
	}
	for _, a := range r.SpanAttrs {
		if !params[a] {
			have := "it has no named parameters"
			if len(names) > 0 {
				have = "its parameters: " + strings.Join(names, ", ")
			}
			return &rules.Error{Pos: r.Pos, Rule: r.ID, Field: Prefix, Msg: fmt.Sprintf("attrs: %s is not a parameter of %s (%s)", a, r.Function, have)}
		}
	}
	return nil
}
