package modsetup

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"go/build"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/mod/module"
)

// generateRE matches a go:generate line that runs otelgen generate.
var generateRE = regexp.MustCompile(`^//go:generate\s.*\botelgen\b.*\sgenerate\b`)

// AddGenerate adds the go:generate line, unless the module has one.
func AddGenerate(root string, w io.Writer) error {
	if file, line, err := findDirective(root); err != nil {
		return err
	} else if file != "" {
		fmt.Fprintf(w, "%s: unchanged (has %s)\n", file, line)
		return nil
	}
	name := filepath.Join(root, GenerateFile)
	if _, err := os.Stat(name); err == nil {
		return fmt.Errorf("%s exists but runs no otelgen generate: add the line\n\t%s\nto it, or remove it and run init again", GenerateFile, Directive)
	}
	pkg, own, err := rootPackage(root)
	if err != nil {
		return err
	}
	var note string
	if !own {
		note = fmt.Sprintf("\n//\n// The module root has no other Go package, so this file starts package %s\n// there, which only go generate sees.", pkg)
	}
	src := fmt.Sprintf(`//go:build generate

// "go generate ./..." runs otelgen here, at the module root: it rewrites the
// module into _otel/ (commit it), and then
//
//	go build -overlay=$PWD/_otel/overlay.json ./...
//
// builds the instrumented program. otelgen.yaml configures it. The build
// constraint keeps this file out of every build: only go generate, which
// sets the tag "generate", reads it.%s

package %s

%s
`, note, pkg, Directive)
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(src); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if own {
		fmt.Fprintf(w, "%s: created (go:generate line, package %s)\n", GenerateFile, pkg)
	} else {
		fmt.Fprintf(w, "%s: created (go:generate line; the module root has no Go package, so it starts package %s, which only go generate sees)\n", GenerateFile, pkg)
	}
	return nil
}

// findDirective finds a go:generate line that runs otelgen generate in
// the module's Go files; it returns the file, relative to root, and the line.
func findDirective(root string) (file, line string, err error) {
	stop := errors.New("found")
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p == root {
				return nil
			}
			n := d.Name()
			if strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") || n == "vendor" || n == "testdata" {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir // another module
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(data, []byte("//go:generate")) {
			return err
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, len(data)+1)
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); generateRE.MatchString(l) {
				rel, _ := filepath.Rel(root, p)
				file, line = filepath.ToSlash(rel), l
				return stop
			}
		}
		return nil
	})
	if errors.Is(err, stop) {
		err = nil
	}
	return file, line, err
}

// rootPackage is the name of the package at the module root as
// go generate sees it, and whether there is one; when there is none, a name
// made from the module path.
func rootPackage(root string) (string, bool, error) {
	ctxt := build.Default
	ctxt.BuildTags = append(append([]string(nil), ctxt.BuildTags...), "generate")
	p, err := ctxt.ImportDir(root, 0)
	var noGo *build.NoGoError
	switch {
	case err == nil && p.Name != "":
		return p.Name, true, nil
	case err != nil && !errors.As(err, &noGo):
		return "", false, fmt.Errorf("reading the package at the module root: %w", err)
	}
	f, err := readModFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", false, err
	}
	if f.Module == nil {
		return "", false, fmt.Errorf("go.mod has no module line")
	}
	return packageName(f.Module.Mod.Path), false, nil
}

// packageName makes a package name of a module path, as go doc would
// guess it: the last element, without a major version suffix and the usual
// "go-" and "-go" decorations, lower-case, letters, digits and underscores
// only; "main" when nothing usable is left.
func packageName(modPath string) string {
	prefix, _, ok := module.SplitPathVersion(modPath)
	if !ok {
		prefix = modPath
	}
	elem := strings.ToLower(path.Base(prefix))
	elem = strings.TrimPrefix(elem, "go-")
	for _, s := range []string{"-go", ".go", "_go"} {
		elem = strings.TrimSuffix(elem, s)
	}
	var b strings.Builder
	for _, r := range elem {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			b.WriteRune(r)
		}
	}
	name := b.String()
	if name == "" || name[0] >= '0' && name[0] <= '9' || token.IsKeyword(name) {
		return "main"
	}
	return name
}
