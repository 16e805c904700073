package modsetup

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
)

func parseMod(t *testing.T, text string) *modfile.File {
	t.Helper()
	f, err := modfile.Parse("go.mod", []byte(text), nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// writeFiles writes files (by slash path) under a new temporary directory
// and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestToolCommand(t *testing.T) {
	const head = "module example.com/app\n\ngo 1.26.0\n"
	for _, tc := range []struct {
		name    string
		gomod   string
		own     string // "" for a development build
		args    string
		offline bool
		what    string
		err     string
	}{
		{
			name: "release, nothing in go.mod", gomod: head, own: "v1.2.3",
			args: "get -tool " + ToolPath + "@v1.2.3", what: Module + " v1.2.3",
		},
		{
			name: "required already: keeps that version", gomod: head + "require " + Module + " v1.0.0\n", own: "v1.2.3",
			args: "get -tool " + ToolPath + "@v1.0.0", what: Module + " v1.0.0, as required already",
		},
		{
			name: "required already, development build: offline", gomod: head + "require " + Module + " v1.0.0\n",
			args: "get -tool " + ToolPath + "@v1.0.0", offline: true, what: Module + " v1.0.0, as required already",
		},
		{
			name: "replaced for all versions", gomod: head + "replace " + Module + " => ../otelgen\n",
			args: "get -tool " + ToolPath + "@v0.0.0", offline: true, what: Module + " v0.0.0, replaced by ../otelgen",
		},
		{
			name: "replaced for all versions, required", gomod: head + "require " + Module + " v1.1.0\nreplace " + Module + " => ../otelgen\n", own: "v1.2.3",
			args: "get -tool " + ToolPath + "@v1.1.0", offline: true, what: Module + " v1.1.0, replaced by ../otelgen",
		},
		{
			name:  "the replace of the required version wins",
			gomod: head + "require " + Module + " v1.1.0\nreplace " + Module + " => ../all\nreplace " + Module + " v1.1.0 => example.com/fork v1.1.1\nreplace " + Module + " v0.9.0 => ../old\n",
			args:  "get -tool " + ToolPath + "@v1.1.0", offline: true, what: Module + " v1.1.0, replaced by example.com/fork v1.1.1",
		},
		{
			name: "a replace of another version: that version", gomod: head + "replace " + Module + " v0.9.0 => ../old\n",
			args: "get -tool " + ToolPath + "@v0.9.0", offline: true, what: Module + " v0.9.0, replaced by ../old",
		},
		{
			name: "otelgen's own module", gomod: "module " + Module + "\n\ngo 1.26.0\n",
			args: "mod edit -tool=" + ToolPath, offline: true, what: "a package of this module",
		},
		{
			name: "development build, nothing in go.mod", gomod: head,
			err: "this otelgen is a development build, so it cannot tell which version of " + Module + " to require.",
		},
	} {
		args, offline, what, err := toolCommand(parseMod(t, tc.gomod), tc.own, tc.own == "")
		if tc.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
				t.Errorf("%s: err = %v, want %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil || strings.Join(args, " ") != tc.args || offline != tc.offline || what != tc.what {
			t.Errorf("%s:\n got %q, offline %v, %q, %v\nwant %q, offline %v, %q", tc.name, strings.Join(args, " "), offline, what, err, tc.args, tc.offline, tc.what)
		}
	}
}

func TestReportModChanges(t *testing.T) {
	for _, tc := range []struct{ name, before, after, want string }{
		{"nothing", "module m\ngo 1.24\n", "module m\ngo 1.24\n", ""},
		{
			"go line, toolchain, upgrades and additions",
			"module m\ngo 1.24\nrequire (\n\tb.example/b v1.0.0\n\ta.example/a v1.0.0\n\tc.example/c v1.0.0\n)\n",
			"module m\ngo 1.26.0\ntoolchain go1.26.8\nrequire (\n\t" + Module + " v1.2.3\n\tb.example/b v1.1.0\n\ta.example/a v1.0.1\n\tc.example/c v1.0.0\n\td.example/d v0.1.0\n\te.example/e v0.1.0\n)\n",
			"go.mod: go 1.24 => 1.26.0 (otelgen needs it)\n" +
				"go.mod: toolchain (none) => go1.26.8\n" +
				"go.mod: upgraded a.example/a v1.0.0 => v1.0.1\n" +
				"go.mod: upgraded b.example/b v1.0.0 => v1.1.0\n" +
				"go.mod: added 2 requirements for what otelgen imports\n",
		},
		{"no go line before", "module m\n", "module m\ngo 1.26.0\n", "go.mod: go (none) => 1.26.0 (otelgen needs it)\n"},
	} {
		var b bytes.Buffer
		reportModChanges(&b, parseMod(t, tc.before), parseMod(t, tc.after))
		if b.String() != tc.want {
			t.Errorf("%s:\n%s\nwant\n%s", tc.name, b.String(), tc.want)
		}
	}
}

func TestMissingSums(t *testing.T) {
	root := writeFiles(t, map[string]string{"go.mod": "module m\n\ngo 1.26.0\n\nrequire (\n\tgolang.org/x/net v0.1.0\n\tgolang.org/x/net/http2 v0.0.1\n\texample.com/a v1.0.0\n\texample.com/ab v1.0.0\n)\n"})
	bad := []loadError{
		{pkg: "golang.org/x/net/http2/hpack", err: "missing go.sum entry for module providing package golang.org/x/net/http2/hpack"},
		{pkg: "example.com/a/sub", err: "missing go.sum entry for module providing package example.com/a/sub"},
		{pkg: "example.com/a", err: "missing go.sum entry"},
		{pkg: "example.com/ab", err: "no Go files in ..."},
	}
	got, err := missingSums(root, bad)
	want := "golang.org/x/net@v0.1.0 golang.org/x/net/http2@v0.0.1 example.com/a@v1.0.0"
	if err != nil || strings.Join(got, " ") != want {
		t.Errorf("missingSums = %q, %v; want %s", got, err, want)
	}
}

func TestLoadErrorString(t *testing.T) {
	for _, tc := range []struct {
		e    loadError
		want string
	}{
		{loadError{pkg: "a/b", err: "boom"}, "a/b: boom"},
		{loadError{pkg: "a/b", err: "boom", from: "a"}, "a/b (imported by a): boom"},
	} {
		if got := tc.e.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.e, got, tc.want)
		}
	}
}

func TestPackageName(t *testing.T) {
	for in, want := range map[string]string{
		"example.com/shop":           "shop",
		"example.com/shop/v2":        "shop",
		"github.com/acme/go-widgets": "widgets",
		"github.com/acme/widgets-go": "widgets",
		"github.com/acme/Widgets.go": "widgets",
		"example.com/my-app":         "myapp",
		"example.com/2fa":            "main",
		"example.com/func":           "main",
		"example.com/---":            "main",
		"gopkg.in/yaml.v3":           "yaml",
		"m":                          "m",
	} {
		if got := packageName(in); got != want {
			t.Errorf("packageName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFindDirective(t *testing.T) {
	for _, tc := range []struct {
		name       string
		files      map[string]string
		file, line string
	}{
		{"none", map[string]string{"main.go": "package main\n//go:generate stringer -type=T\n"}, "", ""},
		{"root", map[string]string{"gen.go": "package main\n\n  //go:generate go tool otelgen generate\n"}, "gen.go", "//go:generate go tool otelgen generate"},
		{"subdirectory, go run", map[string]string{"a/b/x.go": "package b\n//go:generate go run github.com/otelgen/otelgen/cmd/otelgen -C ../.. generate\n"}, "a/b/x.go", "//go:generate go run github.com/otelgen/otelgen/cmd/otelgen -C ../.. generate"},
		{"other commands of otelgen", map[string]string{"x.go": "package x\n//go:generate go tool otelgen check\n//go:generate otelgen generated\n"}, "", ""},
		{"skipped directories", map[string]string{
			"testdata/x.go": "//go:generate otelgen generate\n",
			"vendor/x.go":   "//go:generate otelgen generate\n",
			"_otel/x.go":    "//go:generate otelgen generate\n",
			".git/x.go":     "//go:generate otelgen generate\n",
			"nested/go.mod": "module nested\n",
			"nested/x.go":   "//go:generate otelgen generate\n",
			"x.txt":         "//go:generate otelgen generate\n",
		}, "", ""},
	} {
		root := writeFiles(t, tc.files)
		file, line, err := findDirective(root)
		if err != nil || file != tc.file || line != tc.line {
			t.Errorf("%s: findDirective = %q, %q, %v; want %q, %q", tc.name, file, line, err, tc.file, tc.line)
		}
	}
}

func TestRootPackage(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		pkg   string
		own   bool
	}{
		{"package main", map[string]string{"go.mod": "module example.com/app\n", "main.go": "package main\n"}, "main", true},
		{"a library", map[string]string{"go.mod": "module example.com/lib/v3\n", "lib.go": "package lib\n"}, "lib", true},
		{"only a generate file", map[string]string{"go.mod": "module example.com/app\n", "gen.go": "//go:build generate\n\npackage tools\n"}, "tools", true},
		{"no package", map[string]string{"go.mod": "module example.com/go-app\n", "cmd/app/main.go": "package main\n"}, "app", false},
		{"only tests: their package", map[string]string{"go.mod": "module example.com/app\n", "x_test.go": "package app\n"}, "app", true},
	} {
		pkg, own, err := rootPackage(writeFiles(t, tc.files))
		if err != nil || pkg != tc.pkg || own != tc.own {
			t.Errorf("%s: rootPackage = %q, %v, %v; want %q, %v", tc.name, pkg, own, err, tc.pkg, tc.own)
		}
	}
}

// TestConfigAndGenerate runs the two steps that need no go command twice:
// the first run writes, the second says "unchanged".
func TestConfigAndGenerate(t *testing.T) {
	root := writeFiles(t, map[string]string{"go.mod": "module example.com/app\n", "cmd/app/main.go": "package main\n"})
	var b bytes.Buffer
	for range 2 {
		if err := WriteConfig(root, &b); err != nil {
			t.Fatal(err)
		}
		if err := AddGenerate(root, &b); err != nil {
			t.Fatal(err)
		}
	}
	want := "otelgen.yaml: created\n" +
		"otelgen_generate.go: created (go:generate line; the module root has no Go package, so it starts package app, which only go generate sees)\n" +
		"otelgen.yaml: unchanged (exists)\n" +
		"otelgen_generate.go: unchanged (has //go:generate go tool otelgen generate)\n"
	if b.String() != want {
		t.Errorf("report:\n%s\nwant\n%s", b.String(), want)
	}
	src, err := os.ReadFile(filepath.Join(root, GenerateFile))
	if err != nil || !strings.Contains(string(src), "\npackage app\n\n"+Directive+"\n") || !strings.HasPrefix(string(src), "//go:build generate\n") {
		t.Errorf("%s:\n%s", GenerateFile, src)
	}
	if data, _ := os.ReadFile(filepath.Join(root, ConfigFile)); string(data) != configText {
		t.Errorf("%s is not the commented configuration", ConfigFile)
	}

	// A file of that name without the line is the user's to fix.
	root = writeFiles(t, map[string]string{"go.mod": "module example.com/app\n", GenerateFile: "package main\n"})
	if err := AddGenerate(root, &b); err == nil || !strings.Contains(err.Error(), "exists but runs no otelgen generate") {
		t.Errorf("AddGenerate over a file without the line: %v", err)
	}
}

func TestSourceRoot(t *testing.T) {
	dir := sourceRoot()
	if dir == "" {
		t.Skip("built with -trimpath")
	}
	if _, err := os.Stat(filepath.Join(dir, "internal", "modsetup", "modsetup.go")); err != nil {
		t.Errorf("sourceRoot() = %s, which is not otelgen's checkout: %v", dir, err)
	}
}
