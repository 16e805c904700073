package main

// The model behind "otelgen diff --format" and "--base": what a state of the
// _otel/ tree injects where, and how two states differ. Everything here
// reads committed files only (the lock, instrumentation.diff and the
// instrumented copies), so it works on a git ref as well as on the working
// tree, without loading any package.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rewriter/rewrite"
	"github.com/otelgen/otelgen/rules"
)

// treeState is one state of _otel/: the working tree's or a git ref's.
type treeState struct {
	lock    *emit.Lock // nil when there is no _otel/
	modPath string     // the module path, for the packages of main/ files
	// read returns an _otel/ file by its path relative to _otel/.
	read func(p string) ([]byte, bool)
	// rules are the rules known for this state, by id; a rule missing here
	// is still reported, with less detail.
	rules map[string]*rules.Rule

	files    map[string]*instrFile // by logical path
	sections map[string]string     // instrumentation.diff, split by file
}

// instrFile is one file of the tree and what it injects.
type instrFile struct {
	entry      emit.LockEntry
	pkg        string
	section    string // the file's part of instrumentation.diff
	plus       int    // '+' and '-' lines of section
	minus      int
	addedLines []int // new-side line numbers of the '+' lines
	injections []*injection
}

// created reports whether otelgen adds the file (it has no original).
func (f *instrFile) created() bool { return f.entry.OriginalSHA256 == "" }

// injection is one thing a rule injects somewhere: the unit of the summary
// table and of the JSON output.
type injection struct {
	Rule     string `json:"rule"`
	Kind     string `json:"kind"`
	Package  string `json:"package"`
	Target   string `json:"target"`
	Function string `json:"function,omitempty"`
	Struct   string `json:"struct,omitempty"`
	Field    string `json:"field,omitempty"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Change   string `json:"change"`
}

// Kinds of injection, as the JSON output names them.
const (
	injHook     = "hook"     // a jump to a rule's trampolines at the top of a function
	injInsert   = "insert"   // a statement inserted into a function
	injField    = "field"    // a field added to a struct type
	injFile     = "file"     // a file a rule of kind "file" adds to a package
	injHooks    = "hooks"    // otelgen_hooks.go: the hook variables of a package
	injRegister = "register" // otelgen_register.go: binds the hooks in a main package
	injEdit     = "edit"     // a change by a rule that this otelgen does not know
)

func (in *injection) key() string {
	return strings.Join([]string{in.File, in.Kind, in.Target, in.Rule}, "\x00")
}

// newTreeState indexes a tree: it splits the diff by file and finds the
// injections in every file of the lock.
func newTreeState(lock *emit.Lock, diff []byte, modPath string, read func(string) ([]byte, bool), known map[string]*rules.Rule) *treeState {
	s := &treeState{lock: lock, modPath: modPath, read: read, rules: known, files: map[string]*instrFile{}}
	s.sections = splitDiff(diff)
	if lock == nil {
		return s
	}
	for _, e := range lock.Files {
		f := &instrFile{entry: e, pkg: packageOf(e.Path, modPath), section: s.sections[e.Path]}
		f.plus, f.minus, f.addedLines = countSection(f.section)
		s.files[e.Path] = f
		f.injections = s.findInjections(f)
	}
	return s
}

// splitDiff cuts instrumentation.diff into its files' sections, each from
// its "diff --git" line to the next.
func splitDiff(diff []byte) map[string]string {
	out := map[string]string{}
	text := string(diff)
	var cur string
	start := -1
	flush := func(end int) {
		if start >= 0 {
			out[cur] = text[start:end]
		}
	}
	for off := 0; off < len(text); {
		end := strings.IndexByte(text[off:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += off + 1
		}
		line := text[off:end]
		if rest, ok := strings.CutPrefix(line, "diff --git a/"); ok {
			flush(off)
			rest = strings.TrimSuffix(rest, "\n")
			if i := strings.Index(rest, " b/"); i >= 0 {
				cur = rest[:i]
			} else {
				cur = rest
			}
			start = off
		}
		off = end
	}
	flush(len(text))
	return out
}

var hunkRE = regexp.MustCompile(`^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@`)

// countSection counts the added and removed lines of a file's section and
// returns the new-side line numbers of the added ones.
func countSection(section string) (plus, minus int, added []int) {
	inHunk := false
	newLine := 0
	for _, l := range strings.SplitAfter(section, "\n") {
		if m := hunkRE.FindStringSubmatch(l); m != nil {
			inHunk = true
			newLine, _ = strconv.Atoi(m[1])
			continue
		}
		if !inHunk || l == "" {
			continue
		}
		switch l[0] {
		case '+':
			plus++
			added = append(added, newLine)
			newLine++
		case '-':
			minus++
		case ' ':
			newLine++
		}
	}
	return plus, minus, added
}

// fingerprint is what a file's section injects, without positions or
// context: two states inject the same into a file when these are equal,
// even if the original moved around the injected code.
func fingerprint(f *instrFile) string {
	var b strings.Builder
	b.WriteString(strings.Join(f.entry.Rules, ",") + "\n")
	inHunk := false
	for _, l := range strings.SplitAfter(f.section, "\n") {
		if strings.HasPrefix(l, "@@") {
			inHunk = true
			b.WriteString("@@\n")
			continue
		}
		if inHunk && l != "" && (l[0] == '+' || l[0] == '-' || l[0] == '\\') {
			b.WriteString(l)
		}
	}
	return b.String()
}

// packageOf returns the import path of the package a logical path is in.
func packageOf(logical, modPath string) string {
	dir := path.Dir(logical)
	switch {
	case strings.HasPrefix(logical, "std/"):
		return strings.TrimPrefix(dir, "std/")
	case strings.HasPrefix(logical, "mod/"):
		if mod, _, rel, ok := emit.SplitMod(logical); ok {
			if d := path.Dir(rel); d != "." {
				return mod + "/" + d
			}
			return mod
		}
	case strings.HasPrefix(logical, "main/"):
		d := strings.TrimPrefix(dir, "main")
		d = strings.TrimPrefix(d, "/")
		if modPath == "" {
			return d
		}
		if d == "" {
			return modPath
		}
		return modPath + "/" + d
	}
	return dir
}

// jumpRE finds the jumps into trampolines on the line of a function's
// opening brace: "if otelgen_<rule>_before != nil {".
var jumpRE = regexp.MustCompile(`if (otelgen_\w+)_(?:before|after) != nil \{`)

// findInjections finds what each rule of the lock entry injects in a file.
func (s *treeState) findInjections(f *instrFile) []*injection {
	p := f.entry.Path
	base := path.Base(p)
	var out []*injection
	add := func(in *injection) {
		in.Package, in.File = f.pkg, p
		if in.Line == 0 {
			in.Line = 1
		}
		out = append(out, in)
	}
	if f.created() {
		for _, id := range f.entry.Rules {
			kind := injFile
			switch r := s.rules[id]; {
			case r != nil && r.Kind == rules.KindFile && r.FileName == base:
			case base == rewrite.HooksFileName:
				kind = injHooks
			case base == rewrite.RegisterFileName:
				kind = injRegister
			}
			add(&injection{Rule: id, Kind: kind, Target: base})
		}
		return out
	}
	src, ok := s.read(p)
	if !ok {
		for _, id := range f.entry.Rules {
			add(&injection{Rule: id, Kind: injEdit, Target: base})
		}
		return out
	}
	fset := token.NewFileSet()
	file, _ := parser.ParseFile(fset, p, src, parser.SkipObjectResolution)
	if file == nil {
		for _, id := range f.entry.Rules {
			add(&injection{Rule: id, Kind: injEdit, Target: base})
		}
		return out
	}
	lines := bytes.Split(src, []byte("\n"))
	lineText := func(n int) string {
		if n < 1 || n > len(lines) {
			return ""
		}
		return string(lines[n-1])
	}
	byIdent := map[string]string{}
	for _, id := range f.entry.Rules {
		byIdent[rewrite.Ident(id)] = id
	}

	// Hooks: the jumps on the lines of opening braces.
	found := map[string]bool{}
	jumpLines := map[int]bool{}
	var funcs []*ast.FuncDecl
	for _, d := range file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil || strings.HasPrefix(fd.Name.Name, "otelgen_") {
			continue
		}
		funcs = append(funcs, fd)
		ln := fset.Position(fd.Body.Lbrace).Line
		for _, m := range jumpRE.FindAllStringSubmatch(lineText(ln), -1) {
			id, ok := byIdent[m[1]]
			if !ok {
				id = strings.ReplaceAll(strings.TrimPrefix(m[1], "otelgen_"), "_", "-")
			}
			if found[id+"\x00"+rewrite.FuncName(fd)] {
				continue
			}
			found[id] = true
			found[id+"\x00"+rewrite.FuncName(fd)] = true
			jumpLines[ln] = true
			add(&injection{Rule: id, Kind: injHook, Target: rewrite.FuncName(fd), Function: rewrite.FuncName(fd), Line: ln})
		}
	}

	funcAt := func(name string) *ast.FuncDecl {
		for _, fd := range funcs {
			if rewrite.FuncName(fd) == name {
				return fd
			}
		}
		return nil
	}
	addedIn := func(n ast.Node) []int {
		from, to := fset.Position(n.Pos()).Line, fset.Position(n.End()).Line
		var in []int
		for _, l := range f.addedLines {
			if l >= from && l <= to && !jumpLines[l] {
				in = append(in, l)
			}
		}
		return in
	}
	var unknown []string
	for _, id := range f.entry.Rules {
		if found[id] {
			continue
		}
		r := s.rules[id]
		if r == nil {
			unknown = append(unknown, id)
			continue
		}
		switch r.Kind {
		case rules.KindField:
			in := &injection{Rule: id, Kind: injField, Target: r.Struct + "." + r.FieldName, Struct: r.Struct, Field: r.FieldName}
			if ln := fieldLine(fset, file, r.Struct, r.FieldName); ln > 0 {
				in.Line = ln
			} else if len(f.addedLines) > 0 {
				in.Line = f.addedLines[0]
			}
			add(in)
		case rules.KindInsert, rules.KindHook:
			kind := injInsert
			if r.Kind == rules.KindHook {
				kind = injHook
			}
			in := &injection{Rule: id, Kind: kind, Target: r.Function, Function: r.Function}
			if fd := funcAt(r.Function); fd != nil {
				in.Line = fset.Position(fd.Body.Lbrace).Line
				code := strings.Join(strings.Fields(r.Code), "")
				for i, l := range addedIn(fd) {
					if i == 0 || (code != "" && strings.Contains(strings.Join(strings.Fields(lineText(l)), ""), code)) {
						in.Line = l
					}
					if code != "" && strings.Contains(strings.Join(strings.Fields(lineText(l)), ""), code) {
						break
					}
				}
			}
			add(in)
		default:
			unknown = append(unknown, id)
		}
	}
	if len(unknown) == 0 {
		return out
	}
	// Rules this otelgen does not know (removed since, or from another
	// otelgen.yaml): report the declarations with added lines that no
	// known rule explains.
	type place struct {
		kind, target, fn, st string
		line                 int
	}
	var places []place
	explained := map[int]bool{}
	for _, in := range out {
		explained[in.Line] = true
	}
	for _, d := range file.Decls {
		var pl place
		switch d := d.(type) {
		case *ast.FuncDecl:
			if strings.HasPrefix(d.Name.Name, "otelgen_") {
				continue
			}
			pl = place{kind: injEdit, target: rewrite.FuncName(d), fn: rewrite.FuncName(d)}
		case *ast.GenDecl:
			if d.Tok != token.TYPE || len(d.Specs) != 1 {
				continue
			}
			ts := d.Specs[0].(*ast.TypeSpec)
			if strings.HasPrefix(ts.Name.Name, "otelgen_") {
				continue
			}
			pl = place{kind: injEdit, target: ts.Name.Name, st: ts.Name.Name}
		default:
			continue
		}
		for _, l := range addedIn(d) {
			if !explained[l] {
				pl.line = l
				places = append(places, pl)
				break
			}
		}
	}
	for _, id := range unknown {
		if len(places) == 0 {
			add(&injection{Rule: id, Kind: injEdit, Target: base})
		}
		for _, pl := range places {
			add(&injection{Rule: id, Kind: pl.kind, Target: pl.target, Function: pl.fn, Struct: pl.st, Line: pl.line})
		}
	}
	return out
}

// fieldLine returns the line of a field of a struct type, or 0.
func fieldLine(fset *token.FileSet, file *ast.File, typ, field string) int {
	for _, d := range file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, sp := range gd.Specs {
			ts := sp.(*ast.TypeSpec)
			st, ok := ts.Type.(*ast.StructType)
			if !ok || ts.Name.Name != typ {
				continue
			}
			for _, fl := range st.Fields.List {
				for _, n := range fl.Names {
					if n.Name == field {
						return fset.Position(n.Pos()).Line
					}
				}
			}
		}
	}
	return 0
}

// Statuses of a file in a comparison.
const (
	statusAdded     = "added"     // instrumented now, not at the base
	statusChanged   = "changed"   // instrumented in both, differently
	statusRemoved   = "removed"   // instrumented at the base, not now
	statusUnchanged = "unchanged" // injects the same in both
)

// fileChange is one file of a comparison, with the section that shows it.
type fileChange struct {
	Path         string   `json:"path"`
	Package      string   `json:"package"`
	Created      bool     `json:"created"` // otelgen adds the file: it has no original
	Status       string   `json:"status"`
	Rules        []string `json:"rules"`
	LinesAdded   int      `json:"lines_added"`
	LinesRemoved int      `json:"lines_removed"`
	section      string
	// sinceBase is set when section goes from the base's instrumented
	// copy to the current one (rather than from the original).
	sinceBase bool
}

// comparison is what the current tree injects compared with a base.
type comparison struct {
	Base       string        `json:"base,omitempty"`
	Files      []*fileChange `json:"files"`
	Injections []*injection  `json:"injections"`
}

// compare compares head with base; a nil base, or one without a lock, is an
// uninstrumented program: everything in head is added.
func compare(baseName string, base, head *treeState) *comparison {
	if base == nil {
		base = newTreeState(nil, nil, head.modPath, func(string) ([]byte, bool) { return nil, false }, nil)
	}
	c := &comparison{Base: baseName}
	paths := map[string]bool{}
	for p := range head.files {
		paths[p] = true
	}
	for p := range base.files {
		paths[p] = true
	}
	var sorted []string
	for p := range paths {
		sorted = append(sorted, p)
	}
	sort.Strings(sorted)
	for _, p := range sorted {
		h, b := head.files[p], base.files[p]
		fc := &fileChange{Path: p}
		switch {
		case b == nil:
			fc.Status, fc.section = statusAdded, h.section
		case h == nil:
			fc.Status, fc.section = statusRemoved, reverseSection(b.section)
		case fingerprint(h) == fingerprint(b):
			fc.Status = statusUnchanged
		default:
			fc.Status, fc.section = statusChanged, h.section
			if h.entry.OriginalSHA256 == b.entry.OriginalSHA256 {
				// Same original: show exactly what changed in the
				// instrumented copy.
				bo, ok1 := base.read(p)
				ho, ok2 := head.read(p)
				if ok1 && ok2 {
					fc.section = fmt.Sprintf("diff --git a/%s b/%s\n", p, p) + emit.Unified("a/"+p, "b/"+p, string(bo), string(ho))
					fc.sinceBase = true
				}
			}
		}
		f := h
		if f == nil {
			f = b
		}
		fc.Package, fc.Created, fc.Rules = f.pkg, f.created(), f.entry.Rules
		if fc.Rules == nil {
			fc.Rules = []string{}
		}
		fc.LinesAdded, fc.LinesRemoved, _ = countSection(fc.section)
		c.Files = append(c.Files, fc)

		// Injections: by identity, not by line, since lines move when the
		// original changes.
		had := map[string]bool{}
		if b != nil {
			for _, in := range b.injections {
				had[in.key()] = true
			}
		}
		has := map[string]bool{}
		if h != nil {
			for _, in := range h.injections {
				has[in.key()] = true
				cp := *in
				cp.Change = statusAdded
				if had[in.key()] {
					cp.Change = statusUnchanged
				}
				c.Injections = append(c.Injections, &cp)
			}
		}
		if b != nil {
			for _, in := range b.injections {
				if !has[in.key()] {
					cp := *in
					cp.Change = statusRemoved
					c.Injections = append(c.Injections, &cp)
				}
			}
		}
	}
	sort.SliceStable(c.Injections, func(i, j int) bool {
		a, b := c.Injections[i], c.Injections[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Change != b.Change {
			return a.Change < b.Change
		}
		return a.key() < b.key()
	})
	if c.Injections == nil {
		c.Injections = []*injection{}
	}
	if c.Files == nil {
		c.Files = []*fileChange{}
	}
	return c
}

// changed returns the files whose instrumentation differs.
func (c *comparison) changed() []*fileChange {
	var out []*fileChange
	for _, f := range c.Files {
		if f.Status != statusUnchanged {
			out = append(out, f)
		}
	}
	return out
}

// reverseSection turns a file's section around: from instrumented to
// original, so that a file no longer instrumented shows what goes away.
func reverseSection(section string) string {
	if section == "" {
		return ""
	}
	var b strings.Builder
	type op struct {
		text      string // the line with its marker
		noNewline bool
	}
	var minus, plus []op
	flush := func() {
		for _, o := range append(minus, plus...) {
			b.WriteString(o.text)
			if o.noNewline {
				b.WriteString("\\ No newline at end of file\n")
			}
		}
		minus, plus = nil, nil
	}
	var last *op
	var from string
	inHunk := false
	for _, l := range strings.SplitAfter(section, "\n") {
		if l == "" {
			continue
		}
		if !inHunk {
			switch {
			case strings.HasPrefix(l, "new file mode "):
				b.WriteString("deleted file mode " + strings.TrimPrefix(l, "new file mode "))
				continue
			case strings.HasPrefix(l, "deleted file mode "):
				b.WriteString("new file mode " + strings.TrimPrefix(l, "deleted file mode "))
				continue
			case strings.HasPrefix(l, "--- "):
				from = strings.TrimSuffix(strings.TrimPrefix(l, "--- "), "\n")
				continue
			case strings.HasPrefix(l, "+++ "):
				to := strings.TrimSuffix(strings.TrimPrefix(l, "+++ "), "\n")
				fmt.Fprintf(&b, "--- %s\n+++ %s\n", flipSide(to), flipSide(from))
				continue
			}
		}
		if m := hunkHeaderRE.FindStringSubmatch(l); m != nil {
			flush()
			inHunk = true
			fmt.Fprintf(&b, "@@ -%s +%s @@%s", m[2], m[1], m[3])
			continue
		}
		if !inHunk {
			b.WriteString(l)
			continue
		}
		switch l[0] {
		case '+':
			minus = append(minus, op{text: "-" + l[1:]})
			last = &minus[len(minus)-1]
		case '-':
			plus = append(plus, op{text: "+" + l[1:]})
			last = &plus[len(plus)-1]
		case '\\':
			if last != nil {
				last.noNewline = true
			}
		default:
			flush()
			b.WriteString(l)
			last = nil
		}
	}
	flush()
	return b.String()
}

// flipSide turns "a/x" into "b/x" and back.
func flipSide(name string) string {
	switch {
	case strings.HasPrefix(name, "a/"):
		return "b/" + name[2:]
	case strings.HasPrefix(name, "b/"):
		return "a/" + name[2:]
	}
	return name
}

var hunkHeaderRE = regexp.MustCompile(`^@@ -(\d+(?:,\d+)?) \+(\d+(?:,\d+)?) @@(.*\n?)$`)

// marshalComparison renders the JSON output.
func marshalComparison(c *comparison) []byte {
	out := struct {
		Version int `json:"version"`
		*comparison
	}{1, c}
	data, _ := json.MarshalIndent(out, "", "  ")
	return append(data, '\n')
}
