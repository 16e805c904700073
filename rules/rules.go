// Package rules reads otelgen's rule files: the built-in ones embedded in the
// binary (one folder per integration under rules/) and a module's own
// otelgen.yaml.
//
// A rule file holds a list of rules under the key "rules". Every rule has an id,
// a kind and a target package; the other fields depend on the kind. See
// schema.json for the full format and README.md for examples.
package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	goparser "go/parser"
	"go/token"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
)

// MainPackages, as a rule's package, targets every main package of the
// build, whatever its import path.
const MainPackages = "main"

// Pos is where something was written in a rule file.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Rule is one parsed rule.
type Rule struct {
	ID      string
	Kind    Kind
	Package string // import path of the target package
	Version Range  // module version range of the target; empty matches all
	Go      Range  // Go version range of the toolchain; empty matches all

	// Function names the function that a rule of kind hook, insert or span
	// targets ("Name", "T.Name" or "(*T).Name"), or whose calls a rule of
	// kind call wraps.
	Function string
	Order    int // lower runs first; ties break by id

	// The part that the rule's kind defines: only the one of its kind is
	// set (see kinds.go), so that r.Before reads a hook rule's hook, and
	// panics for a rule of another kind. Code that handles every kind asks
	// the rule instead: Target, Result, Why, Refs, HookPackages, Scope.
	*HookSpec
	*FieldSpec
	*FileSpec
	*InsertSpec
	*SpanSpec
	*CallSpec

	// Feature names the runtime feature a rule is part of (such as "gls");
	// such a rule applies only when a matched rule Needs that feature.
	Feature string
	Needs   []string
	// Options are the optional parts of the build a rule belongs to (such as
	// "otlp-grpc"); it applies only when every one is linked (see Options).
	Options []string

	Pos    Pos            // where the rule starts
	Fields map[string]Pos // where each field was written, for error messages
}

// HookRef names a hook function: its package import path and its name.
type HookRef struct {
	Package string
	Name    string
}

// IsZero reports whether h names no hook.
func (h HookRef) IsZero() bool { return h.Package == "" && h.Name == "" }

func (h HookRef) String() string {
	if h.IsZero() {
		return ""
	}
	return h.Package + "." + h.Name
}

// Integration names the built-in integration that a rule belongs to: the
// folder of its rule file under rules/ ("nethttp"), or "" for the module's
// own rules and the runtime patch's.
func (r *Rule) Integration() string {
	rest, ok := strings.CutPrefix(r.Pos.File, "rules/")
	if !ok {
		return ""
	}
	name, _, ok := strings.Cut(rest, "/")
	if !ok {
		return ""
	}
	return name
}

// FieldPos returns where field was written, or where the rule starts.
func (r *Rule) FieldPos(field string) Pos {
	if p, ok := r.Fields[field]; ok {
		return p
	}
	return r.Pos
}

// Errorf returns an error that points at a field of the rule.
func (r *Rule) Errorf(field, format string, args ...any) error {
	return &Error{Pos: r.FieldPos(field), Rule: r.ID, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Error is a problem in a rule file. It names the file, line and field.
type Error struct {
	Pos   Pos
	Rule  string // rule id, when known
	Field string // field name, when known
	Msg   string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Pos.String())
	b.WriteString(": ")
	if e.Rule != "" {
		fmt.Fprintf(&b, "rule %q: ", e.Rule)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "field %q: ", e.Field)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Set is the rules in force for one module: the built-ins that were not
// disabled plus the module's own.
type Set struct {
	Rules    []*Rule  // sorted by id
	Disabled []string // ids of built-ins turned off, sorted
	// Off lists the features turned off, such as "gls".
	Off []string
	// Link lists the options otelgen.yaml asks to link, sorted.
	Link []string
	// Values are otelgen.yaml's settings, checked (see Configure).
	Values []*SettingValue
}

// With returns the set with more rules, such as those of the program's
// directives; s itself is unchanged.
func (s *Set) With(more []*Rule) *Set {
	if len(more) == 0 {
		return s
	}
	c := *s
	c.Rules = append(slices.Clone(s.Rules), more...)
	slices.SortFunc(c.Rules, func(a, b *Rule) int { return strings.Compare(a.ID, b.ID) })
	return &c
}

// Digest is a hash of everything in the set that can change what otelgen
// writes. It goes into otelgen.lock.
func (s *Set) Digest() string {
	h := sha256.New()
	fmt.Fprintf(h, "off=%q link=%q\n", s.Off, s.Link)
	for _, r := range s.Rules {
		r.WriteDigest(h)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// Config is a module's otelgen.yaml.
type Config struct {
	Disable []string // ids of built-in rules, or names of integrations, to turn off
	Rules   []*Rule
	Pos     map[string]Pos // where each disabled id was written
	GLS     *bool          // "gls: false" turns the goroutine-local storage patch off
	Link    []string       // options to link (see Options)
	// Settings are otelgen.yaml's values for integrations' settings.
	Settings []*SettingValue
	// Declared are the settings a rule file declares (never otelgen.yaml).
	Declared []*Setting
}

// Options are the optional parts of the SDK, by name, each with the package
// that turns it on by itself: otelgen links an option's exporters when
// otelgen.yaml's "link" lists it, or when the program (before otelgen adds
// anything) already links that package, so that a program pays for gRPC,
// Prometheus or the logs SDK only when it uses them.
var Options = map[string]string{
	"otlp-grpc":  "google.golang.org/grpc",
	"prometheus": "github.com/prometheus/client_golang/prometheus",
	"logs":       "go.opentelemetry.io/otel/sdk/log",
}

// OptionUse says what each option is for, in the environment's terms.
var OptionUse = map[string]string{
	"otlp-grpc":  "OTEL_EXPORTER_OTLP_PROTOCOL=grpc",
	"prometheus": "OTEL_METRICS_EXPORTER=prometheus",
	"logs":       "OTEL_LOGS_EXPORTER",
}

// OptionNames lists the options, sorted.
func OptionNames() []string { return slices.Sorted(maps.Keys(Options)) }

// Features that rules can need, and that otelgen.yaml can turn off.
const (
	FeatureGLS = "gls"
	// FeatureSDK is the SDK that sdk-start starts: the rules of what only
	// works with it (runtime metrics) apply only when sdk-start does.
	FeatureSDK = "sdk"
)

// features are the known features.
var features = []string{FeatureGLS, FeatureSDK}

// Load combines the built-in rules with a module's config into the set in
// force. cfg may be nil.
func Load(builtin []*Rule, cfg *Config, cfgName string) (*Set, error) {
	byID := map[string]*Rule{}
	for _, r := range builtin {
		byID[r.ID] = r
	}
	set := &Set{}
	disabled := map[string]bool{}
	if cfg != nil && cfg.GLS != nil && !*cfg.GLS {
		set.Off = append(set.Off, FeatureGLS)
	}
	if cfg != nil {
		set.Link = slices.Clone(cfg.Link)
		slices.Sort(set.Link)
		set.Link = slices.Compact(set.Link)
		for _, id := range cfg.Disable {
			if _, ok := byID[id]; ok {
				disabled[id] = true
				continue
			}
			// An integration's name turns all of its rules off.
			found := false
			for _, r := range builtin {
				if r.Integration() == id {
					disabled[r.ID], found = true, true
				}
			}
			if !found {
				return nil, &Error{Pos: cfg.Pos[id], Field: "disable", Msg: fmt.Sprintf("no built-in rule or integration is named %q (see: otelgen rules)", id)}
			}
		}
		set.Disabled = slices.Sorted(maps.Keys(disabled))
		for _, r := range cfg.Rules {
			if old, ok := byID[r.ID]; ok {
				return nil, r.Errorf("id", "id %q is already used by the rule at %s", r.ID, old.Pos)
			}
			byID[r.ID] = r
		}
	}
	off := map[string]bool{}
	for _, f := range set.Off {
		off[f] = true
	}
	for id, r := range byID {
		if !disabled[id] && !off[r.Feature] {
			set.Rules = append(set.Rules, r)
		}
	}
	slices.SortFunc(set.Rules, func(a, b *Rule) int { return strings.Compare(a.ID, b.ID) })
	return set, nil
}

// parseFS parses every *.yaml file found one level below root in fsys, as
// the built-in rules are laid out (rules/<integration>/<integration>.yaml),
// and returns their rules and the settings they declare.
func parseFS(fsys fs.FS, root string) ([]*Rule, []*Setting, error) {
	names, err := fs.Glob(fsys, path.Join(root, "*", "*.yaml"))
	if err != nil {
		return nil, nil, err
	}
	slices.Sort(names)
	var all []*Rule
	var settings []*Setting
	seen := map[string]*Rule{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, nil, err
		}
		doc, err := parseDoc(name, data, func(rel string) ([]byte, error) {
			return fs.ReadFile(fsys, path.Join(path.Dir(name), rel))
		}, false)
		if err != nil {
			return nil, nil, err
		}
		for _, r := range doc.Rules {
			if old, ok := seen[r.ID]; ok {
				return nil, nil, r.Errorf("id", "id %q is already used by the rule at %s", r.ID, old.Pos)
			}
			seen[r.ID] = r
		}
		all = append(all, doc.Rules...)
		settings = append(settings, doc.Declared...)
	}
	return all, settings, nil
}

// HookPackages returns the packages that rule r makes the program import:
// those of the functions it calls (before and after hooks, wrappers) and
// any other its kind needs (the packages outside the standard library that
// the file of a file rule imports, such as the SDK that sdk-start starts).
func (r *Rule) HookPackages() []string {
	var out []string
	for _, ref := range r.Refs() {
		out = append(out, ref.Ref.Package)
	}
	return append(out, r.def().imports(r)...)
}

// FileImports returns the import paths of a Go file, or nil if it does not
// parse.
func FileImports(src []byte) []string {
	f, err := goparser.ParseFile(token.NewFileSet(), "", src, goparser.ImportsOnly)
	if err != nil {
		return nil
	}
	var out []string
	for _, imp := range f.Imports {
		if p, err := strconv.Unquote(imp.Path.Value); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// FuncName renders a declaration's name as rules write it: "F", "T.M" or
// "(*T).M".
func FuncName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	ptr := false
	if st, ok := t.(*ast.StarExpr); ok {
		ptr, t = true, st.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	id, _ := t.(*ast.Ident)
	if id == nil {
		return fd.Name.Name
	}
	if ptr {
		return "(*" + id.Name + ")." + fd.Name.Name
	}
	return id.Name + "." + fd.Name.Name
}
