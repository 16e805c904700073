package main

// The model behind "otelgen diff --format" and "--base": what a state of the
// _otel/ tree injects where, and how two states differ. Everything here
// reads committed files only (the lock, instrumentation.diff and the
// instrumented copies), so it works on a git ref as well as on the working
// tree, without loading any package.

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/otelgen/otelgen/rewriter/emit"
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

// injEdit is the kind of what a rule changed in a file whose lock entry
// does not record its injections (a lock older than that record); the other
// kinds are emit's (emit.InjHook, ...).
const injEdit = "edit"

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
		f := &instrFile{entry: e, pkg: emit.PackageOf(e.Path, modPath), section: s.sections[e.Path]}
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

// findInjections returns what each rule put into a file, as generate
// recorded it in the lock. A lock written before otelgen recorded them
// gives one entry per rule, of kind "edit", for the whole file.
func (s *treeState) findInjections(f *instrFile) []*injection {
	p := f.entry.Path
	var out []*injection
	if len(f.entry.Injections) == 0 {
		for _, id := range f.entry.Rules {
			out = append(out, &injection{Rule: id, Kind: injEdit, Package: f.pkg, Target: path.Base(p), File: p, Line: 1})
		}
		return out
	}
	for _, r := range f.entry.Injections {
		in := &injection{Rule: r.Rule, Kind: r.Kind, Package: f.pkg, Target: r.Target, File: p, Line: max(r.Line, 1)}
		switch r.Kind {
		case emit.InjHook, emit.InjInsert:
			in.Function = r.Target
		case emit.InjField:
			in.Struct, in.Field, _ = strings.Cut(r.Target, ".")
		}
		out = append(out, in)
	}
	return out
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
	slices.Sort(sorted)
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
