package rewriter

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
)

func TestFindOtelgen(t *testing.T) {
	for _, c := range []struct {
		name, gomod, fallback string
		want                  otelgenSource
		err                   string
	}{
		{"required", "require github.com/otelgen/otelgen v1.2.0\n", "devel", otelgenSource{version: "v1.2.0"}, ""},
		{"replaced by a directory", "require github.com/otelgen/otelgen v0.0.0\nreplace github.com/otelgen/otelgen => ../otelgen\n", "devel", otelgenSource{version: "v0.0.0", dir: "../otelgen"}, ""},
		{"replaced by another version", "require github.com/otelgen/otelgen v1.2.0\nreplace github.com/otelgen/otelgen v1.2.0 => github.com/otelgen/otelgen v1.2.1\n", "devel", otelgenSource{version: "v1.2.1"}, ""},
		{"replace of another version", "require github.com/otelgen/otelgen v1.2.0\nreplace github.com/otelgen/otelgen v1.0.0 => ../old\n", "devel", otelgenSource{version: "v1.2.0"}, ""},
		{"not required, released otelgen", "", "v1.3.0", otelgenSource{version: "v1.3.0"}, ""},
		{"not required, devel otelgen", "", "devel", otelgenSource{}, "go.mod does not require github.com/otelgen/otelgen"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := modfile.Parse("go.mod", []byte("module example.com/app\n\ngo 1.26.0\n\n"+c.gomod), nil)
			if err != nil {
				t.Fatal(err)
			}
			got, err := findOtelgen(f, c.fallback)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Errorf("findOtelgen = %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}

// TestAddIntegrations checks the requirements and replacements that
// generate adds for the integrations of a module that replaces otelgen with a
// checkout: the integration, and the otelgen modules its go.mod requires,
// transitively, each once and sorted.
func TestAddIntegrations(t *testing.T) {
	root := t.TempDir()
	checkout := filepath.Join(root, "otelgen")
	write := func(rel, data string) {
		p := filepath.Join(checkout, filepath.FromSlash(rel), "go.mod")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("rules/a", "module github.com/otelgen/otelgen/rules/a\nrequire (\n\tgithub.com/otelgen/otelgen v0.0.0\n\tgithub.com/otelgen/otelgen/rules/b v0.0.0\n\tgithub.com/otelgen/otelgen/gls-runtime v0.0.0\n)\n")
	write("rules/b", "module github.com/otelgen/otelgen/rules/b\nrequire github.com/otelgen/otelgen/gls-runtime v0.0.0\n")
	write("gls-runtime", "module github.com/otelgen/otelgen/gls-runtime\n")
	app := filepath.Join(root, "app")

	f, err := modfile.Parse("go.mod", []byte("module example.com/app\n\ngo 1.26.0\n\nrequire github.com/otelgen/otelgen v0.0.0\n\nreplace github.com/otelgen/otelgen => ../otelgen\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	src, err := findOtelgen(f, "devel")
	if err != nil {
		t.Fatal(err)
	}
	reps, err := addIntegrations(f, []string{"github.com/otelgen/otelgen/rules/a"}, src, app)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"github.com/otelgen/otelgen/gls-runtime => ../otelgen/gls-runtime",
		"github.com/otelgen/otelgen/rules/a => ../otelgen/rules/a",
		"github.com/otelgen/otelgen/rules/b => ../otelgen/rules/b",
	}
	if strings.Join(reps, "\n") != strings.Join(want, "\n") {
		t.Errorf("replacements:\n%s\nwant:\n%s", strings.Join(reps, "\n"), strings.Join(want, "\n"))
	}
	var reqs []string
	for _, r := range f.Require {
		reqs = append(reqs, r.Mod.String())
	}
	if got := strings.Join(reqs, " "); got != "github.com/otelgen/otelgen@v0.0.0 github.com/otelgen/otelgen/rules/a@v0.0.0" {
		t.Errorf("requirements: %s", got)
	}

	// The go command spreads a block of replacements over single lines;
	// regroupReplaces gathers them again under one comment.
	for _, l := range reps {
		old, dir, _ := strings.Cut(l, " => ")
		f.AddReplace(old, "", dir, "")
	}
	data, err := f.Format()
	if err != nil {
		t.Fatal(err)
	}
	out, err := regroupReplaces(data, integrationsComment, reps)
	if err != nil {
		t.Fatal(err)
	}
	wantTail := "\n// " + integrationsComment + "\nreplace (\n\t" + strings.Join(want, "\n\t") + "\n)\n"
	if !strings.HasSuffix(string(out), wantTail) || strings.Count(string(out), "rules/a =>") != 1 {
		t.Errorf("regrouped go.mod:\n%s", out)
	}

	// A released otelgen: requirements only.
	f, _ = modfile.Parse("go.mod", []byte("module example.com/app\n\nrequire github.com/otelgen/otelgen v1.4.0\n"), nil)
	src, _ = findOtelgen(f, "devel")
	if reps, err := addIntegrations(f, []string{"github.com/otelgen/otelgen/rules/a"}, src, app); err != nil || len(reps) != 0 {
		t.Errorf("released otelgen: replacements %q, %v", reps, err)
	}
	if r := f.Require[len(f.Require)-1].Mod; r.Path != "github.com/otelgen/otelgen/rules/a" || r.Version != "v1.4.0" {
		t.Errorf("released otelgen: requirement %v", r)
	}

	// A checkout without the integration's module.
	f, _ = modfile.Parse("go.mod", []byte("module example.com/app\n\nrequire github.com/otelgen/otelgen v0.0.0\nreplace github.com/otelgen/otelgen => ../otelgen\n"), nil)
	src, _ = findOtelgen(f, "devel")
	if _, err := addIntegrations(f, []string{"github.com/otelgen/otelgen/rules/zzz"}, src, app); err == nil || !strings.Contains(err.Error(), "which has no module github.com/otelgen/otelgen/rules/zzz") {
		t.Errorf("missing module: %v", err)
	}
}
