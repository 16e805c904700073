package prdiff

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rewriter/rewrite"
)

// fakeTree builds a tree state as generate would lay it out: for each
// function name, a file of package p<i> with a hook of rule r<i> on it, and
// extra lines of trampolines.
func fakeTree(t *testing.T, extra map[string]int) *Tree {
	t.Helper()
	var files []*emit.File
	lock := &emit.Lock{}
	out := map[string][]byte{}
	for name, n := range extra {
		id := "rule-" + strings.ToLower(name)
		orig := fmt.Sprintf("package p\n\n// %s does things.\nfunc %s(x int) int {\n\treturn x\n}\n", name, name)
		var tramp strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&tramp, "\n// trampoline line %d of %s, padded to make it longer than it needs to be\n", i, name)
		}
		instr := strings.Replace(orig, "func "+name+"(x int) int {", "func "+name+"(x int) int { if "+rewrite.Ident(id)+"_before != nil { };", 1) + tramp.String()
		logical := emit.MainPath(path.Join(strings.ToLower(name), "f.go"))
		files = append(files, &emit.File{Logical: logical, Original: []byte(orig), Output: []byte(instr), Rules: []string{id},
			Injections: []emit.Injection{{Rule: id, Kind: emit.InjHook, Target: name, Line: 4}}})
		out[logical] = []byte(instr)
	}
	tree, err := emit.Build(lock, files, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return newTree(lock, tree[emit.DiffFile], "example.com/m", func(p string) ([]byte, bool) {
		d, ok := out[p]
		return d, ok
	})
}

func TestInjectionsOfHooks(t *testing.T) {
	s := fakeTree(t, map[string]int{"Alpha": 1, "Beta": 2})
	c := Compare("", nil, s)
	data, _ := json.Marshal(c.Injections)
	want := `[{"rule":"rule-alpha","kind":"hook","package":"example.com/m/alpha","target":"Alpha","function":"Alpha","file":"main/alpha/f.go","line":4,"change":"added"},` +
		`{"rule":"rule-beta","kind":"hook","package":"example.com/m/beta","target":"Beta","function":"Beta","file":"main/beta/f.go","line":4,"change":"added"}]`
	if string(data) != want {
		t.Errorf("injections:\n%s\nwant\n%s", data, want)
	}
	if f := c.Files[1]; f.LinesAdded != 5 || f.LinesRemoved != 1 || f.Status != statusAdded {
		t.Errorf("file: %+v", f)
	}
}

// TestInjectionsOfOldLock reads a lock written before generate recorded
// injections: each rule of a file is one "edit" of the whole file.
func TestInjectionsOfOldLock(t *testing.T) {
	s := fakeTree(t, map[string]int{"Alpha": 1})
	for _, f := range s.files {
		f.entry.Injections = nil
		f.injections = injectionsOf(f)
	}
	data, _ := json.Marshal(Compare("", nil, s).Injections)
	want := `[{"rule":"rule-alpha","kind":"edit","package":"example.com/m/alpha","target":"f.go","file":"main/alpha/f.go","line":1,"change":"added"}]`
	if string(data) != want {
		t.Errorf("injections:\n%s\nwant\n%s", data, want)
	}
}

func TestMarkdownCut(t *testing.T) {
	// 40 files of about 2 to 10 kB of diff each: far more than a comment
	// takes.
	extra := map[string]int{}
	for i := 0; i < 40; i++ {
		extra[fmt.Sprintf("F%02d", i)] = 20 + (i*37)%80
	}
	c := Compare("", nil, fakeTree(t, extra))
	md := Markdown(c, "otelgen diff --format markdown", CommentBudget)
	if len(md) > CommentBudget || utf8.RuneCountInString(md) >= CommentLimit {
		t.Fatalf("markdown has %d bytes", len(md))
	}
	if !strings.HasPrefix(md, CommentMarker+"\n") {
		t.Errorf("no marker at the top")
	}
	m := regexp.MustCompile(`The diffs of (\d+) files are left out \(the largest first\)`).FindStringSubmatch(md)
	if m == nil {
		t.Fatalf("no note on the files left out:\n%s", md[len(md)-500:])
	}
	shown := strings.Count(md, "<details>")
	if shown+atoi(m[1]) != 40 || shown < 10 {
		t.Errorf("%d files shown, %s left out", shown, m[1])
	}
	if strings.Count(md, "</details>") != shown || strings.Count(md, "```diff\n")*2 != strings.Count(md, "```") {
		t.Errorf("a section was cut in the middle")
	}
	// Every file has its row in the table.
	if n := strings.Count(md, "| `rule-f"); n != 40 {
		t.Errorf("%d table rows, want 40", n)
	}
	// The files left out are the largest: every file shown is no larger
	// than every file left out.
	largestShown, smallestLeft := 0, 1<<30
	for _, f := range c.Files {
		if strings.Contains(md, "<code>"+f.Path+"</code>") {
			largestShown = max(largestShown, len(f.section))
		} else {
			smallestLeft = min(smallestLeft, len(f.section))
		}
	}
	if largestShown > smallestLeft {
		t.Errorf("a file of %d bytes is shown, one of %d left out", largestShown, smallestLeft)
	}

	// With a few files, nothing is left out.
	md = Markdown(Compare("", nil, fakeTree(t, map[string]int{"A": 1, "B": 2})), "x", CommentBudget)
	if strings.Contains(md, "left out") || strings.Count(md, "<details>") != 2 {
		t.Errorf("small comment:\n%s", md)
	}

	// A table too long for half the budget is cut too.
	md = Markdown(c, "x", 3000)
	if len(md) > 3000 || !strings.Contains(md, "rows of this table left out") {
		t.Errorf("tiny budget: %d bytes:\n%s", len(md), md)
	}
}

func atoi(s string) int {
	var n int
	fmt.Sscan(s, &n)
	return n
}

func TestReverseSection(t *testing.T) {
	files := []*emit.File{
		{Logical: "main/a.go", Original: []byte("package a\n\nfunc A() {\n\tx()\n}\n"), Output: []byte("package a\n\nfunc A() { hook() };\n\tx()\n}\n\nfunc t() {}"), Rules: []string{"r"}},
		{Logical: "main/new.go", Output: []byte("package a\n\nvar v = 1\n"), Rules: []string{"r"}},
	}
	secs := splitDiff(emit.Diff(files))
	for p, s := range secs {
		r := reverseSection(s)
		if back := reverseSection(r); back != s {
			t.Errorf("%s: reversing twice:\n%s\nwant\n%s", p, back, s)
		}
		plus, minus := countSection(s)
		rp, rm := countSection(r)
		if rp != minus || rm != plus {
			t.Errorf("%s: reversed counts %d/%d, want %d/%d", p, rp, rm, minus, plus)
		}
	}
	want := "diff --git a/main/new.go b/main/new.go\ndeleted file mode 100644\n--- a/main/new.go\n+++ /dev/null\n@@ -1,3 +0,0 @@\n-package a\n-\n-var v = 1\n"
	if got := reverseSection(secs["main/new.go"]); got != want {
		t.Errorf("reversed new file:\n%s\nwant\n%s", got, want)
	}
}

func TestInjectionsOfOtherKinds(t *testing.T) {
	orig := "package p\n\ntype g struct {\n\ta int\n}\n\nfunc clear(gp *g) {\n\tgp.a = 0\n}\n"
	instr := "package p\n\ntype g struct {\n\ta int\notelgen_x any; }\n\nfunc clear(gp *g) {\n\tgp.otelgen_x = nil; gp.a = 0\n}\n"
	files := []*emit.File{
		{Logical: "std/p/p.go", Original: []byte(orig), Output: []byte(instr), Rules: []string{"x-clear", "x-field"},
			Injections: []emit.Injection{{Rule: "x-field", Kind: emit.InjField, Target: "g.otelgen_x", Line: 5}, {Rule: "x-clear", Kind: emit.InjInsert, Target: "clear", Line: 8}}},
		{Logical: "std/p/otelgen_x.go", Output: []byte("package p\n"), Rules: []string{"x-file"},
			Injections: []emit.Injection{{Rule: "x-file", Kind: emit.InjFile, Target: "otelgen_x.go", Line: 1}}},
	}
	lock := &emit.Lock{}
	tree, err := emit.Build(lock, files, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	read := func(p string) ([]byte, bool) { d, ok := tree[p]; return d, ok }
	var out []string
	for _, in := range Compare("", nil, newTree(lock, tree[emit.DiffFile], "", read)).Injections {
		out = append(out, fmt.Sprintf("%s %s %s %s/%s/%s %s:%d", in.Rule, in.Kind, in.Target, in.Function, in.Struct, in.Field, in.File, in.Line))
	}
	got := strings.Join(out, "\n")
	want := "x-file file otelgen_x.go // std/p/otelgen_x.go:1\nx-field field g.otelgen_x /g/otelgen_x std/p/p.go:5\nx-clear insert clear clear// std/p/p.go:8"
	if got != want {
		t.Errorf("injections:\n%s\nwant\n%s", got, want)
	}
}
