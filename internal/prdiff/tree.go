// Package prdiff is the model behind "otelgen diff --format" and "--base",
// and the comment "otelgen comment" posts: what a state of the _otel/ tree
// injects where, how two states differ, and how that renders as a unified
// diff, as JSON and as a pull-request comment in Markdown. Everything here
// reads committed files only (the lock, instrumentation.diff and the
// instrumented copies), so it works on a git ref as well as on the working
// tree, without loading any package.
package prdiff

import (
	"path"
	"strings"

	"github.com/otelgen/otelgen/rewriter/emit"
)

// Tree is one state of _otel/: the working tree's or a git ref's.
type Tree struct {
	lock    *emit.Lock // nil when there is no _otel/
	modPath string     // the module path, for the packages of main/ files
	// read returns an _otel/ file by its path relative to _otel/.
	read  func(p string) ([]byte, bool)
	files map[string]*instrFile // by logical path
}

// HasLock reports whether the state has an _otel/ tree with its lock.
func (s *Tree) HasLock() bool { return s.lock != nil }

// ModPath is the path of the module whose tree this is.
func (s *Tree) ModPath() string { return s.modPath }

// instrFile is one file of the tree and what it injects.
type instrFile struct {
	entry      emit.LockEntry
	pkg        string
	section    string // the file's part of instrumentation.diff
	injections []*Injection
}

// created reports whether otelgen adds the file (it has no original).
func (f *instrFile) created() bool { return f.entry.OriginalSHA256 == "" }

// Injection is one thing a rule injects somewhere: the unit of the summary
// table and of the JSON output.
type Injection struct {
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

func (in *Injection) key() string {
	return strings.Join([]string{in.File, in.Kind, in.Target, in.Rule}, "\x00")
}

// newTree indexes a tree: it splits the diff by file and finds the
// injections in every file of the lock.
func newTree(lock *emit.Lock, diff []byte, modPath string, read func(string) ([]byte, bool)) *Tree {
	s := &Tree{lock: lock, modPath: modPath, read: read, files: map[string]*instrFile{}}
	if lock == nil {
		return s
	}
	sections := splitDiff(diff)
	for _, e := range lock.Files {
		f := &instrFile{entry: e, pkg: emit.PackageOf(e.Path, modPath), section: sections[e.Path]}
		f.injections = injectionsOf(f)
		s.files[e.Path] = f
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

// countSection counts the added and removed lines of a file's section.
func countSection(section string) (plus, minus int) {
	inHunk := false
	for _, l := range strings.SplitAfter(section, "\n") {
		if hunkHeaderRE.MatchString(l) {
			inHunk = true
			continue
		}
		if !inHunk || l == "" {
			continue
		}
		switch l[0] {
		case '+':
			plus++
		case '-':
			minus++
		}
	}
	return plus, minus
}

// injectionsOf returns what each rule put into a file, as generate
// recorded it in the lock. A lock written before otelgen recorded them
// gives one entry per rule, of kind "edit", for the whole file.
func injectionsOf(f *instrFile) []*Injection {
	p := f.entry.Path
	var out []*Injection
	if len(f.entry.Injections) == 0 {
		for _, id := range f.entry.Rules {
			out = append(out, &Injection{Rule: id, Kind: injEdit, Package: f.pkg, Target: path.Base(p), File: p, Line: 1})
		}
		return out
	}
	for _, r := range f.entry.Injections {
		in := &Injection{Rule: r.Rule, Kind: r.Kind, Package: f.pkg, Target: r.Target, File: p, Line: max(r.Line, 1)}
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
