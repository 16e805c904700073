package gitrepo

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// newRepo makes a git repository in a temporary directory with one commit,
// tagged v1, of files (paths relative to the top), and returns its top.
func newRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git command in PATH")
	}
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	for _, args := range [][]string{
		{"init", "-q"},
		{"add", "."},
		{"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one"},
		{"tag", "v1"},
	} {
		if _, err := Run(dir, args...); err != nil {
			t.Fatalf("git %s: %v", strings.Join(args, " "), err)
		}
	}
	return dir
}

func TestPrefix(t *testing.T) {
	top := newRepo(t, map[string]string{"a.txt": "a\n", "sub/mod/b.txt": "b\n"})
	for _, tc := range []struct{ dir, want string }{
		{top, ""},
		{filepath.Join(top, "sub"), "sub/"},
		{filepath.Join(top, "sub", "mod"), "sub/mod/"},
	} {
		got, err := Prefix(tc.dir)
		if err != nil || got != tc.want {
			t.Errorf("Prefix(%s) = %q, %v; want %q", tc.dir, got, err, tc.want)
		}
	}
	if _, err := Prefix(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a git repository") {
		t.Errorf("Prefix outside a repository: %v", err)
	}
}

func TestCommit(t *testing.T) {
	top := newRepo(t, map[string]string{"a.txt": "a\n"})
	head, err := Run(top, "rev-parse", "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	head = strings.TrimSpace(head)
	for _, tc := range []struct {
		ref, want string
		ok        bool
	}{
		{"HEAD", head, true},
		{"v1", head, true},
		{head[:10], head, true},
		{"no-such-ref", "", false},
		{"HEAD~1", "", false}, // one commit only
		{"--all", "", false},  // an option, not a revision
	} {
		got, err := Commit(top, tc.ref)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("Commit(%q) = %q, %v; want %q (ok %v)", tc.ref, got, err, tc.want, tc.ok)
		}
	}
}

func TestCatFiles(t *testing.T) {
	big := strings.Repeat("0123456789abcdef\n", 10000) // more than a pipe holds
	top := newRepo(t, map[string]string{
		"a.txt":         "a\n",
		"empty":         "",
		"noeol":         "no newline",
		"sub/big.txt":   big,
		"sub/dir/c.txt": "c\n",
	})
	commit, err := Commit(top, "v1")
	if err != nil {
		t.Fatal(err)
	}
	at := func(p string) string { return commit + ":" + p }
	got, err := CatFiles(filepath.Join(top, "sub"), []string{
		at("a.txt"), at("missing.txt"), at("empty"), at("sub/big.txt"), at("sub/dir"), at("noeol"), "nosuchcommit:a.txt", at("sub/dir/c.txt"),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		at("a.txt"):         "a\n",
		at("empty"):         "",
		at("sub/big.txt"):   big,
		at("noeol"):         "no newline",
		at("sub/dir/c.txt"): "c\n",
	}
	if len(got) != len(want) {
		var names []string
		for n := range got {
			names = append(names, n)
		}
		t.Errorf("got %d files %q, want %d", len(got), names, len(want))
	}
	for n, w := range want {
		if g, ok := got[n]; !ok || string(g) != w {
			t.Errorf("%s = %.40q (found %v), want %.40q", n, g, ok, w)
		}
	}

	if got, err := CatFiles(top, nil); err != nil || len(got) != 0 {
		t.Errorf("CatFiles(nil) = %v, %v", got, err)
	}
}
