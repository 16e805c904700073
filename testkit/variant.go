package testkit

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var variants struct {
	mu   sync.Mutex
	made map[[2]string]*variant
}

// variant is a copy of a test module with some files changed.
type variant struct {
	once sync.Once
	dir  string
	err  error
}

// BuildVariant builds a variant of module as Build builds the module: a
// copy of it in which each file that files names (a path relative to the
// module, such as "otelgen.yaml") has the content given, or is removed when
// the content is empty. name tells the variants of one module apart; each
// is written once per test binary, and built once per set of options. It
// is for a test of what a program built otherwise gets, such as an
// integration's rules behind an option when otelgen.yaml does not link it:
//
//	bin := testkit.BuildVariant(t, "testdata/app", "nologs", map[string]string{"otelgen.yaml": ""})
func BuildVariant(t testing.TB, module, name string, files map[string]string, opts ...Option) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: no build of an instrumented program")
	}
	requireMain(t)
	abs, err := filepath.Abs(module)
	if err != nil {
		t.Fatal(err)
	}
	variants.mu.Lock()
	if variants.made == nil {
		variants.made = map[[2]string]*variant{}
	}
	v := variants.made[[2]string{abs, name}]
	if v == nil {
		v = &variant{}
		variants.made[[2]string{abs, name}] = v
	}
	variants.mu.Unlock()
	v.once.Do(func() {
		var tmp string
		if tmp, v.err = tempDir("variant-" + name + "-"); v.err != nil {
			return
		}
		// The copy keeps the module's directory name, which names the
		// program Build makes of it.
		v.dir = filepath.Join(tmp, filepath.Base(abs))
		if v.err = copyTree(abs, v.dir); v.err != nil {
			return
		}
		for rel, content := range files {
			p := filepath.Join(v.dir, filepath.FromSlash(rel))
			if content == "" {
				if v.err = os.Remove(p); v.err != nil && !os.IsNotExist(v.err) {
					return
				}
				v.err = nil
				continue
			}
			if v.err = os.MkdirAll(filepath.Dir(p), 0o755); v.err != nil {
				return
			}
			if v.err = os.WriteFile(p, []byte(content), 0o644); v.err != nil {
				return
			}
		}
	})
	if v.err != nil {
		t.Fatalf("writing the variant %s of %s: %v", name, module, v.err)
	}
	return Build(t, v.dir, opts...)
}

// copyTree copies the files of src to dst as they are, without an _otel/
// that a generate run in src left there.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			if rel == "_otel" {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

var symbols struct {
	mu  sync.Mutex
	bin map[string][]string
}

// Links reports whether the program bin holds code or data of the package
// pkg (an import path), by the symbols go tool nm lists: whether otelgen
// linked a hook package, or what it imports, into the program.
func Links(t testing.TB, bin, pkg string) bool {
	t.Helper()
	symbols.mu.Lock()
	defer symbols.mu.Unlock()
	syms, ok := symbols.bin[bin]
	if !ok {
		out, err := command("", nil, "go", "tool", "nm", bin)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(out) {
			// address, type, then the name, which may hold spaces
			// (a function type's).
			if f := strings.SplitN(strings.TrimSpace(line), " ", 3); len(f) == 3 {
				syms = append(syms, f[2])
			}
		}
		if symbols.bin == nil {
			symbols.bin = map[string][]string{}
		}
		symbols.bin[bin] = syms
	}
	for _, s := range syms {
		if ofPackage(s, pkg) {
			return true
		}
	}
	return false
}

// ofPackage reports whether the symbol names something of pkg: pkg and a
// dot, at the start or after a character that cannot end an import path
// ("*", "(", "[", ",", ":" of "type:", a space), so that "x/log." is not found in
// "x/log/global." nor in "y/x/log.".
func ofPackage(sym, pkg string) bool {
	for i := 0; ; {
		j := strings.Index(sym[i:], pkg+".")
		if j < 0 {
			return false
		}
		at := i + j
		if at == 0 || strings.IndexByte("*([,;: {", sym[at-1]) >= 0 {
			return true
		}
		i = at + 1
	}
}

// WantLinked fails the test unless the program bin links each package of
// pkgs.
func WantLinked(t testing.TB, bin string, pkgs ...string) {
	t.Helper()
	for _, p := range pkgs {
		if !Links(t, bin, p) {
			t.Errorf("%s does not link %s", filepath.Base(bin), p)
		}
	}
}

// WantNotLinked fails the test if the program bin links any package of
// pkgs.
func WantNotLinked(t testing.TB, bin string, pkgs ...string) {
	t.Helper()
	for _, p := range pkgs {
		if Links(t, bin, p) {
			t.Errorf("%s links %s", filepath.Base(bin), p)
		}
	}
}
