package lockfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestOverlayReplaced checks the overlay of a module served from
// _otel/mod/: its rewritten file stands for itself; every other file of a
// directory holding one, or of a parent of one, maps to the module cache;
// every other directory is a link to the module cache's, with no entries;
// a directory left real by an older otelgen stays real, its files mapped; a
// link gone stale is made again; and a rewritten file gone from the tree is
// an error, not a silent original.
func TestOverlayReplaced(t *testing.T) {
	tmp := t.TempDir()
	pl := Places{Root: filepath.Join(tmp, "app"), GOROOT: filepath.Join(tmp, "goroot"), GOMODCACHE: filepath.Join(tmp, "modcache")}
	src := filepath.Join(pl.GOMODCACHE, "example.com", "!dep@v1.0.0")
	const orig = "package a\n"
	write(t, filepath.Join(src, "go.mod"), "module example.com/Dep\n")
	write(t, filepath.Join(src, "a", "a.go"), orig)
	write(t, filepath.Join(src, "a", "b.go"), "package a\n\nfunc B() {}\n")
	write(t, filepath.Join(src, "a", "sub", "c.go"), "package sub\n")
	write(t, filepath.Join(src, "a", "sub", "deep", "d.go"), "package deep\n")
	write(t, filepath.Join(src, "e", "e.go"), "package e\n")
	write(t, filepath.Join(src, "old", "o.go"), "package old\n")
	const rel = "mod/example.com/Dep@v1.0.0/a/a.go"
	tree := filepath.Join(pl.Root, Dir, filepath.FromSlash(rel))
	write(t, tree, "package a // rewritten\n")
	dst := filepath.Join(pl.Root, Dir, "mod", "example.com", "Dep@v1.0.0")
	if err := os.MkdirAll(filepath.Join(dst, "old"), 0o755); err != nil {
		t.Fatal(err)
	}
	lock := &Lock{
		Replaced: []string{"example.com/Dep@v1.0.0"},
		Files:    []LockEntry{{Path: rel, OriginalSHA256: Hash([]byte(orig))}},
	}
	m, err := pl.Overlay(lock)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		filepath.Join(dst, "go.mod"):      filepath.Join(src, "go.mod"),
		filepath.Join(dst, "a", "b.go"):   filepath.Join(src, "a", "b.go"),
		filepath.Join(dst, "old", "o.go"): filepath.Join(src, "old", "o.go"),
	}
	if len(m) != len(want) {
		t.Errorf("overlay has %d entries, want %d: %v", len(m), len(want), m)
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("overlay[%s] = %q, want %q", k, m[k], v)
		}
	}
	links := func() {
		t.Helper()
		for _, d := range []string{filepath.Join("a", "sub"), "e"} {
			if target, err := os.Readlink(filepath.Join(dst, d)); err != nil || target != filepath.Join(src, d) {
				t.Errorf("%s below _otel/mod/ links to %q (%v), want %q", d, target, err, filepath.Join(src, d))
			}
		}
		if data, err := os.ReadFile(filepath.Join(dst, "a", "sub", "deep", "d.go")); err != nil || string(data) != "package deep\n" {
			t.Errorf("a file below a link: %q, %v", data, err)
		}
		if fi, err := os.Lstat(filepath.Join(dst, "old")); err != nil || !fi.IsDir() {
			t.Errorf("the directory an older otelgen made: %v, %v", fi, err)
		}
	}
	links()
	// Again, with the links there already, and one pointing elsewhere.
	if err := os.Remove(filepath.Join(dst, "e")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(src, "a"), filepath.Join(dst, "e")); err != nil {
		t.Fatal(err)
	}
	if m2, err := pl.Overlay(lock); err != nil || len(m2) != len(want) {
		t.Errorf("second overlay: %d entries, %v", len(m2), err)
	}
	links()
	os.Remove(tree)
	if _, err := pl.Overlay(lock); err == nil || !strings.Contains(err.Error(), rel) || !strings.Contains(err.Error(), "otelgen generate") {
		t.Errorf("rewritten file removed: err = %v, want it named, with the fix", err)
	}
}
