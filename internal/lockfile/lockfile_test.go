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
// _otel/mod/: its rewritten file stands for itself, every other file maps
// to the module cache, each directory exists below _otel/mod/, and a
// rewritten file gone from the tree is an error, not a silent original.
func TestOverlayReplaced(t *testing.T) {
	tmp := t.TempDir()
	pl := Places{Root: filepath.Join(tmp, "app"), GOROOT: filepath.Join(tmp, "goroot"), GOMODCACHE: filepath.Join(tmp, "modcache")}
	src := filepath.Join(pl.GOMODCACHE, "example.com", "!dep@v1.0.0")
	const orig = "package a\n"
	write(t, filepath.Join(src, "go.mod"), "module example.com/Dep\n")
	write(t, filepath.Join(src, "a", "a.go"), orig)
	write(t, filepath.Join(src, "a", "b.go"), "package a\n\nfunc B() {}\n")
	write(t, filepath.Join(src, "a", "sub", "c.go"), "package sub\n")
	const rel = "mod/example.com/Dep@v1.0.0/a/a.go"
	tree := filepath.Join(pl.Root, Dir, filepath.FromSlash(rel))
	write(t, tree, "package a // rewritten\n")
	lock := &Lock{
		Replaced: []string{"example.com/Dep@v1.0.0"},
		Files:    []LockEntry{{Path: rel, OriginalSHA256: Hash([]byte(orig))}},
	}
	m, err := pl.Overlay(lock)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(pl.Root, Dir, "mod", "example.com", "Dep@v1.0.0")
	want := map[string]string{
		filepath.Join(dst, "go.mod"):           filepath.Join(src, "go.mod"),
		filepath.Join(dst, "a", "b.go"):        filepath.Join(src, "a", "b.go"),
		filepath.Join(dst, "a", "sub", "c.go"): filepath.Join(src, "a", "sub", "c.go"),
	}
	if len(m) != len(want) {
		t.Errorf("overlay has %d entries, want %d: %v", len(m), len(want), m)
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("overlay[%s] = %q, want %q", k, m[k], v)
		}
	}
	if fi, err := os.Stat(filepath.Join(dst, "a", "sub")); err != nil || !fi.IsDir() {
		t.Errorf("directory a/sub below _otel/mod/: %v", err)
	}
	// Again, the directories there already.
	if _, err := pl.Overlay(lock); err != nil {
		t.Errorf("second overlay: %v", err)
	}
	os.Remove(tree)
	if _, err := pl.Overlay(lock); err == nil || !strings.Contains(err.Error(), rel) || !strings.Contains(err.Error(), "otelgen generate") {
		t.Errorf("rewritten file removed: err = %v, want it named, with the fix", err)
	}
}
