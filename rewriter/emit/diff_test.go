package emit

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnifiedApplies checks the diff against git apply, for edits near each
// other (where go-udiff's own headers go wrong), at the start and end of a
// file, without a final newline, and for a new file.
func TestUnifiedApplies(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	var lines []string
	for i := 0; i < 40; i++ {
		lines = append(lines, "line "+strings.Repeat("x", i%5))
	}
	old := strings.Join(lines, "\n") + "\n"
	mod := append([]string(nil), lines...)
	mod[0] += " first"
	mod[10] += " ten"
	mod[15] += " fifteen" // within 2*context of line 10, and the insertion of 15: one hunk
	mod = append(mod[:20], append([]string{"inserted a", "inserted b"}, mod[20:]...)...)
	mod[len(mod)-1] += " last"
	cases := map[string][2]string{
		"near.go":      {old, strings.Join(mod, "\n") + "\n"},
		"nonewline.go": {"a\nb\nc", "a\nB\nc"},
		"appended.go":  {old, old + "\n// tail\nfunc x() {}\n"},
	}
	dir := t.TempDir()
	var files []*File
	for name, c := range cases {
		os.WriteFile(filepath.Join(dir, name), []byte(c[0]), 0o644)
		files = append(files, &File{Logical: name, Original: []byte(c[0]), Output: []byte(c[1])})
	}
	files = append(files, &File{Logical: "added.go", Output: []byte("package x\n")})
	patch := filepath.Join(t.TempDir(), "p.diff")
	os.WriteFile(patch, Diff(files), 0o644)
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s\n%s", args, err, out, Diff(files))
		}
	}
	git("init", "-q")
	git("apply", "--check", "--unidiff-zero", patch)
	git("apply", patch)
	for name, c := range cases {
		got, _ := os.ReadFile(filepath.Join(dir, name))
		if string(got) != c[1] {
			t.Errorf("%s after git apply:\n%s\nwant:\n%s", name, got, c[1])
		}
	}
	// Hunk headers must be exact, not just close enough for git's fuzz.
	d := Unified("a", "b", old, strings.Join(mod, "\n")+"\n")
	for _, want := range []string{"@@ -1,4 +1,4 @@", "@@ -8,16 +8,18 @@", "@@ -37,4 +39,4 @@"} {
		if !strings.Contains(d, want) {
			t.Errorf("diff lacks hunk %s:\n%s", want, d)
		}
	}
}
