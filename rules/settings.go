package rules

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A Setting is a choice that an integration offers its users, declared in
// the integration's rule file under "settings". A module sets it in
// otelgen.yaml:
//
//	settings:
//	  databasesql:
//	    query_text: raw
//
// otelgen compiles the value into the program (see Set.Settings); at run
// time the setting's environment variable, when set, wins over it.
type Setting struct {
	Integration string   // the folder of the rule file that declares it
	Name        string   // as otelgen.yaml writes it
	Env         string   // the variable the hooks read
	Values      []string // the values it accepts; none for a list
	Default     string   // what the hooks do when neither otelgen.yaml nor Env sets it
	Doc         string   // one sentence on what it changes
	// List says the setting is a list of names ("type: list"), such as
	// headers to record: otelgen.yaml gives a YAML list, Env and
	// hook.Setting a comma-separated one.
	List bool
	// Forbid are names a list may not hold, compared without case (such
	// as the Authorization header).
	Forbid []string
	Pos    Pos
}

// A SettingValue is a setting as otelgen.yaml gives it.
type SettingValue struct {
	Integration, Name string
	Value             string   // a list's names joined by commas
	IsList            bool     // given as a YAML list
	List              []string // the names of a list
	Pos               Pos
}

var (
	settingNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	envRE         = regexp.MustCompile(`^OTEL_GO_[A-Z0-9_]+$`)
)

// declarations parses a rule file's "settings": a list of mappings with the
// fields name, env, values, default and doc.
func (p *parser) declarations(v *yaml.Node) ([]*Setting, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, p.errorf(v, "", "settings", "want a list of settings, each with name, env, values, default and doc")
	}
	var out []*Setting
	for _, n := range v.Content {
		if n.Kind != yaml.MappingNode {
			return nil, p.errorf(n, "", "settings", "a setting must be a mapping of fields")
		}
		s := &Setting{Pos: p.pos(n), Integration: integrationOf(p.file)}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if seen[k.Value] {
				return nil, p.errorf(k, "", "settings."+k.Value, "field given twice")
			}
			seen[k.Value] = true
			switch k.Value {
			case "values":
				if val.Kind != yaml.SequenceNode || len(val.Content) == 0 {
					return nil, p.errorf(val, "", "settings.values", "want a list of the values the setting accepts")
				}
				for _, x := range val.Content {
					if x.Kind != yaml.ScalarNode || x.Value == "" {
						return nil, p.errorf(x, "", "settings.values", "want a plain value")
					}
					s.Values = append(s.Values, x.Value)
				}
				continue
			case "forbid":
				if val.Kind != yaml.SequenceNode {
					return nil, p.errorf(val, "", "settings.forbid", "want a list of names")
				}
				for _, x := range val.Content {
					s.Forbid = append(s.Forbid, x.Value)
				}
				continue
			case "name", "env", "default", "doc", "type":
			default:
				return nil, p.errorf(k, "", "settings."+k.Value, "unknown field (known: name, env, type, values, default, forbid, doc)")
			}
			if val.Kind != yaml.ScalarNode {
				return nil, p.errorf(val, "", "settings."+k.Value, "want a single value")
			}
			switch k.Value {
			case "name":
				s.Name = val.Value
			case "env":
				s.Env = val.Value
			case "default":
				s.Default = val.Value
			case "doc":
				s.Doc = strings.Join(strings.Fields(val.Value), " ")
			case "type":
				if val.Value != "list" {
					return nil, p.errorf(val, "", "settings.type", "unknown type %q: a setting is one of its values, or with type: list a list of names", val.Value)
				}
				s.List = true
			}
		}
		switch {
		case !settingNameRE.MatchString(s.Name):
			return nil, p.errorf(n, "", "settings.name", "%q is not a setting name: use lower-case letters, digits and underscores", s.Name)
		case !envRE.MatchString(s.Env):
			return nil, p.errorf(n, "", "settings.env", "%q is not a variable name of the form OTEL_GO_*", s.Env)
		case s.List && (len(s.Values) > 0 || s.Default != ""):
			return nil, p.errorf(n, "", "settings.values", "a list takes no values and no default: it is empty by default")
		case !s.List && len(s.Forbid) > 0:
			return nil, p.errorf(n, "", "settings.forbid", "only a list forbids names")
		case s.List:
		case len(s.Values) == 0:
			return nil, p.errorf(n, "", "settings.values", "missing: the values the setting accepts")
		case !slices.Contains(s.Values, s.Default):
			return nil, p.errorf(n, "", "settings.default", "%q is not one of the values %s", s.Default, strings.Join(s.Values, ", "))
		case s.Doc == "":
			return nil, p.errorf(n, "", "settings.doc", "missing: say what the setting changes")
		}
		if slices.ContainsFunc(out, func(o *Setting) bool { return o.Name == s.Name }) {
			return nil, p.errorf(n, "", "settings.name", "setting %q is declared twice", s.Name)
		}
		out = append(out, s)
	}
	return out, nil
}

// values parses otelgen.yaml's "settings": a mapping from integration names
// to mappings from setting names to values. The names are checked later,
// against the declarations (see Set.Configure).
func (p *parser) values(v *yaml.Node) ([]*SettingValue, error) {
	if v.Kind != yaml.MappingNode {
		return nil, p.errorf(v, "", "settings", "want a mapping from integration names to their settings, as in\n\tsettings:\n\t  databasesql:\n\t    query_text: raw")
	}
	var out []*SettingValue
	for i := 0; i+1 < len(v.Content); i += 2 {
		in, m := v.Content[i], v.Content[i+1]
		if m.Kind != yaml.MappingNode {
			return nil, p.errorf(m, "", "settings."+in.Value, "want a mapping from setting names to values")
		}
		for j := 0; j+1 < len(m.Content); j += 2 {
			k, val := m.Content[j], m.Content[j+1]
			sv := &SettingValue{Integration: in.Value, Name: k.Value, Value: val.Value, Pos: p.pos(k)}
			switch val.Kind {
			case yaml.ScalarNode:
			case yaml.SequenceNode:
				sv.Value, sv.IsList = "", true
				for _, x := range val.Content {
					if x.Kind != yaml.ScalarNode || x.Value == "" || strings.Contains(x.Value, ",") {
						return nil, p.errorf(x, "", "settings."+in.Value+"."+k.Value, "want a name")
					}
					sv.List = append(sv.List, x.Value)
				}
				sv.Value = strings.Join(sv.List, ",")
			default:
				return nil, p.errorf(val, "", "settings."+in.Value+"."+k.Value, "want a value, or a list of names")
			}
			out = append(out, sv)
		}
	}
	return out, nil
}

// integrationOf is the integration of a rule file named as the bundle names
// it: "rules/<integration>/<file>.yaml".
func integrationOf(file string) string {
	return (&Rule{Pos: Pos{File: file}}).Integration()
}

// SettingsPackage is the package whose file otelgen writes the module's
// settings into: every hook package imports it, so its init function runs
// before any of them reads a setting.
const SettingsPackage = Module + "/hook"

// SettingsRule is the id of the file rule that carries otelgen.yaml's
// settings into the program.
const SettingsRule = "otelgen-settings"

// Configure checks otelgen.yaml's settings against the declared ones and
// returns the set with a file rule that compiles them into the program, or
// s itself when cfg sets nothing. Values are keyed by variable: two
// integrations may share one (the go-redis and redigo integrations share
// OTEL_GO_REDIS_QUERY_TEXT), and then must not be given different values.
func (s *Set) Configure(declared []*Setting, cfg *Config) (*Set, error) {
	if cfg == nil || len(cfg.Settings) == 0 {
		return s, nil
	}
	byEnv := map[string]*SettingValue{}
	for _, v := range cfg.Settings {
		var names []string
		var d *Setting
		for _, x := range declared {
			if x.Integration == v.Integration {
				names = append(names, x.Name)
				if x.Name == v.Name {
					d = x
				}
			}
		}
		field := "settings." + v.Integration + "." + v.Name
		switch {
		case names == nil:
			return nil, &Error{Pos: v.Pos, Field: field, Msg: fmt.Sprintf("integration %q has no settings (see: otelgen rules -settings)", v.Integration)}
		case d == nil:
			return nil, &Error{Pos: v.Pos, Field: field, Msg: fmt.Sprintf("%s has no setting %q (known: %s)", v.Integration, v.Name, strings.Join(names, ", "))}
		case d.List && !v.IsList:
			return nil, &Error{Pos: v.Pos, Field: field, Msg: fmt.Sprintf("want a list of names, as in %s: [a, b]", v.Name)}
		case !d.List && v.IsList:
			return nil, &Error{Pos: v.Pos, Field: field, Msg: fmt.Sprintf("want one of %s, not a list", strings.Join(d.Values, ", "))}
		case !d.List && !slices.Contains(d.Values, v.Value):
			return nil, &Error{Pos: v.Pos, Field: field, Msg: fmt.Sprintf("%q is not one of %s", v.Value, strings.Join(d.Values, ", "))}
		}
		for _, name := range v.List {
			for _, f := range d.Forbid {
				if strings.EqualFold(name, f) {
					return nil, &Error{Pos: v.Pos, Field: field, Msg: fmt.Sprintf("%s is never recorded: it carries credentials (refused: %s)", name, strings.Join(d.Forbid, ", "))}
				}
			}
		}
		if old, ok := byEnv[d.Env]; ok {
			if old.Value != v.Value {
				return nil, &Error{Pos: v.Pos, Field: field, Msg: fmt.Sprintf("%s.%s sets %s too, to %q, at %s: give both the same value", old.Integration, old.Name, d.Env, old.Value, old.Pos)}
			}
			continue
		}
		byEnv[d.Env] = v
	}
	var b strings.Builder
	b.WriteString("// Code generated by otelgen from otelgen.yaml's settings. DO NOT EDIT.\n\npackage hook\n\nfunc init() {\n")
	for _, env := range slices.Sorted(maps.Keys(byEnv)) {
		v := byEnv[env]
		fmt.Fprintf(&b, "\tsettings[%s] = %s // %s.%s\n", strconv.Quote(env), strconv.Quote(v.Value), v.Integration, v.Name)
	}
	b.WriteString("}\n")
	r := &Rule{
		ID:       SettingsRule,
		Kind:     KindFile,
		Package:  SettingsPackage,
		FileName: "otelgen_settings.go",
		Content:  []byte(b.String()),
		Pos:      cfg.Settings[0].Pos,
	}
	out := s.With([]*Rule{r}) // a copy
	out.Values = cfg.Settings
	return out, nil
}
