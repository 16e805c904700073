package rules

import (
	"fmt"
	"go/ast"
	goparser "go/parser"
	"go/token"
	"path"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

var (
	idRE       = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	functionRE = regexp.MustCompile(`^(?:\(\*?[A-Za-z_][A-Za-z0-9_]*\)\.|[A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*$`)
	fileNameRE = regexp.MustCompile(`^[A-Za-z0-9_]+\.go$`)
)

// fieldsByKind lists the fields each kind accepts, besides the common ones.
var fieldsByKind = map[Kind][]string{
	KindHook:   {"function", "before", "after", "order"},
	KindField:  {"struct", "name", "type"},
	KindFile:   {"file", "name"},
	KindInsert: {"function", "at", "code"},
}

var commonFields = []string{"id", "kind", "package", "version", "go", "feature", "needs", "option"}

// ReadFunc reads a file named relative to the rule file, for rules of kind
// "file".
type ReadFunc func(rel string) ([]byte, error)

// ParseRules parses a rule file: a mapping with the key "rules".
func ParseRules(filename string, data []byte, read ReadFunc) ([]*Rule, error) {
	cfg, err := parseDoc(filename, data, read, false)
	if err != nil {
		return nil, err
	}
	return cfg.Rules, nil
}

// ParseConfig parses a module's otelgen.yaml: the keys "rules", "disable",
// "settings", "gls" and "link".
func ParseConfig(filename string, data []byte, read ReadFunc) (*Config, error) {
	return parseDoc(filename, data, read, true)
}

func parseDoc(filename string, data []byte, read ReadFunc, isConfig bool) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(filename, err)
	}
	cfg := &Config{Pos: map[string]Pos{}}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return cfg, nil // an empty file holds no rules
	}
	top := doc.Content[0]
	p := parser{file: filename, read: read}
	if top.Kind != yaml.MappingNode {
		return nil, p.errorf(top, "", "", "want a mapping with the key %q", "rules")
	}
	seenIDs := map[string]*Rule{}
	var err error
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		switch {
		case k.Value == "rules":
			if v.Kind != yaml.SequenceNode {
				return nil, p.errorf(v, "", "rules", "want a list of rules")
			}
			for _, n := range v.Content {
				r, err := p.rule(n)
				if err != nil {
					return nil, err
				}
				if old, ok := seenIDs[r.ID]; ok {
					return nil, r.Errorf("id", "id %q is already used by the rule at %s", r.ID, old.Pos)
				}
				seenIDs[r.ID] = r
				cfg.Rules = append(cfg.Rules, r)
			}
		case k.Value == "settings" && !isConfig:
			if cfg.Declared, err = p.declarations(v); err != nil {
				return nil, err
			}
		case k.Value == "settings" && isConfig:
			if cfg.Settings, err = p.values(v); err != nil {
				return nil, err
			}
		case k.Value == "gls" && isConfig:
			b, err := strconv.ParseBool(v.Value)
			if v.Kind != yaml.ScalarNode || err != nil {
				return nil, p.errorf(v, "", "gls", "want true or false, got %q", v.Value)
			}
			cfg.GLS = &b
		case k.Value == "link" && isConfig:
			if v.Kind != yaml.SequenceNode {
				return nil, p.errorf(v, "", "link", "want a list of options: %s", strings.Join(OptionNames(), ", "))
			}
			for _, n := range v.Content {
				if _, ok := Options[n.Value]; n.Kind != yaml.ScalarNode || !ok {
					return nil, p.errorf(n, "", "link", "unknown option %q (known: %s)", n.Value, strings.Join(OptionNames(), ", "))
				}
				cfg.Link = append(cfg.Link, n.Value)
			}
		case k.Value == "disable" && isConfig:
			if v.Kind != yaml.SequenceNode {
				return nil, p.errorf(v, "", "disable", "want a list of rule ids or integration names")
			}
			for _, n := range v.Content {
				if n.Kind != yaml.ScalarNode || !idRE.MatchString(n.Value) {
					return nil, p.errorf(n, "", "disable", "want a rule id or an integration name, got %q", n.Value)
				}
				cfg.Disable = append(cfg.Disable, n.Value)
				cfg.Pos[n.Value] = p.pos(n)
			}
		default:
			want := `"rules" and "settings"`
			if isConfig {
				want = `"rules", "disable", "settings", "gls" and "link"`
			}
			return nil, p.errorf(k, "", k.Value, "unknown field (known: %s)", want)
		}
	}
	return cfg, nil
}

type parser struct {
	file string
	read ReadFunc
}

func (p *parser) pos(n *yaml.Node) Pos { return Pos{File: p.file, Line: n.Line, Col: n.Column} }

func (p *parser) errorf(n *yaml.Node, rule, field, format string, args ...any) error {
	return &Error{Pos: p.pos(n), Rule: rule, Field: field, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) rule(n *yaml.Node) (*Rule, error) {
	if n.Kind != yaml.MappingNode {
		return nil, p.errorf(n, "", "", "a rule must be a mapping of fields")
	}
	r := &Rule{Pos: p.pos(n), Fields: map[string]Pos{}}
	vals := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if _, dup := vals[k.Value]; dup {
			return nil, p.errorf(k, "", k.Value, "field given twice")
		}
		if v.Kind != yaml.ScalarNode {
			return nil, p.errorf(v, "", k.Value, "want a single value")
		}
		vals[k.Value] = v
		r.Fields[k.Value] = p.pos(v)
	}
	// The id first, so that later errors can name the rule.
	idN, ok := vals["id"]
	if !ok {
		return nil, p.errorf(n, "", "id", "missing (every rule needs an id)")
	}
	if !idRE.MatchString(idN.Value) {
		return nil, p.errorf(idN, "", "id", "%q is not a valid id: use lower-case letters, digits and dashes", idN.Value)
	}
	r.ID = idN.Value
	kindN, ok := vals["kind"]
	if !ok {
		return nil, r.Errorf("kind", "missing: want one of hook, field, file, insert")
	}
	r.Kind = Kind(kindN.Value)
	allowed, ok := fieldsByKind[r.Kind]
	if !ok {
		return nil, r.Errorf("kind", "unknown kind %q: want one of hook, field, file, insert", kindN.Value)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i].Value
		if !contains(commonFields, k) && !contains(allowed, k) {
			return nil, p.errorf(n.Content[i], r.ID, k, "unknown field for kind %q (allowed: %s)", r.Kind, strings.Join(append(append([]string{}, commonFields...), allowed...), ", "))
		}
	}
	get := func(f string) string {
		if v, ok := vals[f]; ok {
			return strings.TrimSpace(v.Value)
		}
		return ""
	}
	need := func(f, what string) (string, error) {
		v := get(f)
		if v == "" {
			return "", r.Errorf(f, "missing: %s", what)
		}
		return v, nil
	}

	var err error
	if r.Package, err = need("package", "the import path of the target package"); err != nil {
		return nil, err
	}
	if strings.ContainsAny(r.Package, " \t\\") || strings.HasPrefix(r.Package, ".") || strings.HasSuffix(r.Package, "/") {
		return nil, r.Errorf("package", "%q is not an import path", r.Package)
	}
	if v := get("version"); v != "" {
		if isStd(r.Package) {
			return nil, r.Errorf("version", "%s is in the standard library: constrain it with \"go\" instead", r.Package)
		}
		if r.Version, err = ParseModuleRange(v); err != nil {
			return nil, r.Errorf("version", "%v", err)
		}
	}
	if v := get("go"); v != "" {
		if r.Go, err = ParseGoRange(v); err != nil {
			return nil, r.Errorf("go", "%v", err)
		}
	}

	r.Feature = get("feature")
	if v := get("needs"); v != "" {
		for _, f := range strings.FieldsFunc(v, func(c rune) bool { return c == ',' || c == ' ' }) {
			if !contains(features, f) {
				return nil, r.Errorf("needs", "unknown feature %q (known: %s)", f, strings.Join(features, ", "))
			}
			r.Needs = append(r.Needs, f)
		}
	}
	for _, o := range strings.FieldsFunc(get("option"), func(c rune) bool { return c == ',' || c == ' ' }) {
		if _, ok := Options[o]; !ok {
			return nil, r.Errorf("option", "unknown option %q (known: %s)", o, strings.Join(OptionNames(), ", "))
		}
		r.Options = append(r.Options, o)
	}
	if r.Feature != "" && !contains(features, r.Feature) {
		return nil, r.Errorf("feature", "unknown feature %q (known: %s)", r.Feature, strings.Join(features, ", "))
	}

	switch r.Kind {
	case KindInsert:
		if r.Function, err = need("function", `the function to insert into: "Name", "T.Name" or "(*T).Name"`); err != nil {
			return nil, err
		}
		if !functionRE.MatchString(r.Function) {
			return nil, r.Errorf("function", `%q is not a function name: want "Name", "T.Name" or "(*T).Name"`, r.Function)
		}
		if r.At, err = need("at", "the statement to insert before, as Go source"); err != nil {
			return nil, err
		}
		if _, err := ParseStmt(r.At); err != nil {
			return nil, r.Errorf("at", "%q is not a Go statement: %v", r.At, err)
		}
		if r.Code, err = need("code", "the statement to insert, as Go source"); err != nil {
			return nil, err
		}
		if _, err := ParseStmt(r.Code); err != nil {
			return nil, r.Errorf("code", "%q is not a Go statement: %v", r.Code, err)
		}
	case KindHook:
		if r.Function, err = need("function", `the target function: "Name", "T.Name" or "(*T).Name"`); err != nil {
			return nil, err
		}
		if !functionRE.MatchString(r.Function) {
			return nil, r.Errorf("function", `%q is not a function name: want "Name", "T.Name" or "(*T).Name"`, r.Function)
		}
		for _, f := range []string{"before", "after"} {
			v := get(f)
			if v == "" {
				continue
			}
			h, err := parseHookRef(v)
			if err != nil {
				return nil, r.Errorf(f, "%v", err)
			}
			if f == "before" {
				r.Before = h
			} else {
				r.After = h
			}
		}
		if r.Before.IsZero() && r.After.IsZero() {
			return nil, r.Errorf("before", `a hook rule needs "before", "after" or both`)
		}
		if v := get("order"); v != "" {
			if r.Order, err = strconv.Atoi(v); err != nil {
				return nil, r.Errorf("order", "%q is not an integer", v)
			}
		}
	case KindField:
		if r.Struct, err = need("struct", "the name of the struct type"); err != nil {
			return nil, err
		}
		if !token.IsIdentifier(r.Struct) {
			return nil, r.Errorf("struct", "%q is not a type name", r.Struct)
		}
		if r.FieldName, err = need("name", "the name of the new field"); err != nil {
			return nil, err
		}
		if !token.IsIdentifier(r.FieldName) {
			return nil, r.Errorf("name", "%q is not a field name", r.FieldName)
		}
		if r.FieldType, err = need("type", "the type of the new field, as written in the target package"); err != nil {
			return nil, err
		}
	case KindFile:
		rel, err := need("file", "the Go file to add, relative to this rule file")
		if err != nil {
			return nil, err
		}
		if path.IsAbs(rel) || strings.HasPrefix(path.Clean(rel), "..") {
			return nil, r.Errorf("file", "%q must be relative to the rule file and below it", rel)
		}
		if p.read == nil {
			return nil, r.Errorf("file", "cannot read files here")
		}
		if r.Content, err = p.read(rel); err != nil {
			return nil, r.Errorf("file", "cannot read %s: %v", rel, err)
		}
		r.FileName = get("name")
		if r.FileName == "" {
			r.FileName = "otelgen_" + path.Base(rel)
		}
		r.FileName = strings.TrimSuffix(r.FileName, ".tmpl")
		if !fileNameRE.MatchString(r.FileName) || strings.HasSuffix(r.FileName, "_test.go") {
			return nil, r.Errorf("name", "%q is not a usable Go file name", r.FileName)
		}
	}
	return r, nil
}

func parseHookRef(s string) (HookRef, error) {
	slash := strings.LastIndex(s, "/")
	dot := strings.LastIndex(s, ".")
	if dot <= slash || dot == len(s)-1 {
		return HookRef{}, fmt.Errorf("%q does not name a hook: want <import path>.<Func>, as in example.com/app/hooks.Before", s)
	}
	h := HookRef{Package: s[:dot], Name: s[dot+1:]}
	if !token.IsIdentifier(h.Name) || !token.IsExported(h.Name) {
		return HookRef{}, fmt.Errorf("%q is not an exported function name", h.Name)
	}
	return h, nil
}

// isStd reports whether an import path belongs to the standard library: its
// first element has no dot.
func isStd(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ParseStmt parses one Go statement.
func ParseStmt(src string) (ast.Stmt, error) {
	f, err := goparser.ParseFile(token.NewFileSet(), "", "package p; func _() {\n"+src+"\n}", goparser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	body := f.Decls[0].(*ast.FuncDecl).Body.List
	if len(body) != 1 {
		return nil, fmt.Errorf("want exactly one statement, got %d", len(body))
	}
	return body[0], nil
}

var yamlLineRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// yamlError turns a YAML syntax error into an Error with the file and line.
func yamlError(filename string, err error) error {
	msg := strings.SplitN(err.Error(), "\n", 2)[0]
	pos := Pos{File: filename}
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	return &Error{Pos: pos, Msg: "invalid YAML: " + msg}
}
