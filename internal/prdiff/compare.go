package prdiff

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/otelgen/otelgen/rewriter/emit"
)

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
			b.WriteString(lineDirective.ReplaceAllString(l, "${1}N$2"))
		}
	}
	return b.String()
}

// lineDirective matches the //line directive of a function's hooked copy
// (see rewrite.bodyCopy): its line number is the original function's, which
// moves with the original without changing what is injected.
var lineDirective = regexp.MustCompile(`^([-+]//line [^\n]*:)\d+(\n?)$`)

// Statuses of a file in a comparison.
const (
	statusAdded     = "added"     // instrumented now, not at the base
	statusChanged   = "changed"   // instrumented in both, differently
	statusRemoved   = "removed"   // instrumented at the base, not now
	statusUnchanged = "unchanged" // injects the same in both
)

// FileChange is one file of a comparison, with the section that shows it.
type FileChange struct {
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

// Comparison is what the current tree injects compared with a base.
type Comparison struct {
	Base       string        `json:"base,omitempty"`
	Files      []*FileChange `json:"files"`
	Injections []*Injection  `json:"injections"`
}

// compare compares head with base; a nil base, or one without a lock, is an
// uninstrumented program: everything in head is added.
func Compare(baseName string, base, head *Tree) *Comparison {
	if base == nil {
		base = newTree(nil, nil, head.modPath, nil)
	}
	c := &Comparison{Base: baseName}
	paths := maps.Clone(head.files)
	maps.Copy(paths, base.files)
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		h, b := head.files[p], base.files[p]
		fc := &FileChange{Path: p}
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
		fc.LinesAdded, fc.LinesRemoved = countSection(fc.section)
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
	slices.SortStableFunc(c.Injections, func(a, b *Injection) int {
		return cmp.Or(
			strings.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			strings.Compare(a.Change, b.Change),
			strings.Compare(a.key(), b.key()),
		)
	})
	if c.Injections == nil {
		c.Injections = []*Injection{}
	}
	if c.Files == nil {
		c.Files = []*FileChange{}
	}
	return c
}

// changed returns the files whose instrumentation differs.
func (c *Comparison) changed() []*FileChange {
	var out []*FileChange
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

// JSON renders the comparison as "otelgen diff --format json" prints it.
func JSON(c *Comparison) []byte {
	out := struct {
		Version int `json:"version"`
		*Comparison
	}{1, c}
	data, _ := json.MarshalIndent(out, "", "  ")
	return append(data, '\n')
}
