package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/build"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/otelgen/otelgen/rewriter/load"
)

const (
	initModule    = "github.com/otelgen/otelgen"
	initToolPath  = initModule + "/cmd/otelgen"
	initConfig    = "otelgen.yaml"
	initGenFile   = "otelgen_generate.go"
	initDirective = "//go:generate go tool otelgen generate"
)

func init() {
	commands = append(commands, &command{
		name:    "init",
		summary: "prepare the module: go tool, otelgen.yaml, go:generate line",
		help: `
Init prepares the module for its first generate, in three steps. Each step
checks first and says "unchanged" when there is nothing to do, so running
init again changes nothing.

go.mod: adds otelgen as a tool (the tool directive of Go 1.24) with
	go get -tool ` + initToolPath + `@<version>
where <version> is the one go.mod requires already, else this otelgen's.
The tool requirement brings what otelgen itself imports into go.mod and
go.sum, nothing of the OpenTelemetry SDK or of the libraries otelgen
instruments (generate adds those to the build's own go.mod, _otel/go.mod,
when their rules apply), and raises the go line to the one
otelgen needs. When go.mod replaces ` + initModule + ` (with a local
checkout, say), <version> is the one the replace applies to (v0.0.0 when it
applies to all), and go get works offline, from the module cache
(GOPROXY=off). So it does for a development build of otelgen, which needs
such a replace, or a requirement, in go.mod. A vendor directory is brought
up to date with go mod vendor.

go.sum: init then checks that the module's packages and their tests load
(go list -deps -test ./...), which go build and go test need. go get -tool
can upgrade a module that the program imports, when otelgen needs a newer
version, and record only the go.mod hash of the new version; init adds the
missing hashes with go mod download of those modules, at the versions
go.mod requires, which changes go.sum only and may download them. When the
packages still do not load, init names them, says why and what to run, and
exits 2. Run again, init repeats the check.

otelgen.yaml: written at the module root when there is none: every key
commented out, with an example rule. See 'otelgen rules' and
'otelgen rules -schema'.

otelgen_generate.go: a file at the module root with the line
	` + initDirective + `
in the root's package. Only go generate reads it (build constraint
"generate"), so it never changes a build. When the root has no Go package
the file starts one, named after the module path, that only go generate
sees. Nothing is written when a //go:generate line of the module already
runs otelgen generate.

Then, at the module root:
	go generate ./...
	go build -overlay=$PWD/_otel/overlay.json ./...`,
		run: runInit,
	})
}

func runInit(c *cli, fs *flag.FlagSet, args []string) int {
	if len(args) > 0 {
		return c.usageError("init takes no arguments")
	}
	env, err := load.ReadEnv(c.absDir())
	if err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	root := env.Root()
	for _, step := range []func(string) error{c.initTool, c.initConfig, c.initGenerate} {
		if err := step(root); err != nil {
			c.errorf("init: %v", err)
			return exitUsage
		}
	}
	fmt.Fprintln(c.stdout, "next steps:")
	if wd, err := os.Getwd(); err != nil || !initSameDir(wd, root) {
		dir := root
		if err == nil {
			if rel, err := filepath.Rel(wd, root); err == nil {
				dir = rel
			}
		}
		fmt.Fprintf(c.stdout, "\tcd %s\n", dir)
	}
	fmt.Fprintln(c.stdout, "\tgo generate ./...")
	fmt.Fprintln(c.stdout, "\tgo build -overlay=$PWD/_otel/overlay.json ./...")
	return exitOK
}

func initSameDir(a, b string) bool {
	if a == b {
		return true
	}
	ia, err1 := os.Stat(a)
	ib, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(ia, ib)
}

// initTool adds otelgen as a tool of the module at root.
func (c *cli) initTool(root string) error {
	gomod := filepath.Join(root, "go.mod")
	before, err := initReadModFile(gomod)
	if err != nil {
		return err
	}
	for _, t := range before.Tool {
		if t.Path == initToolPath {
			fmt.Fprintf(c.stdout, "go.mod: unchanged (has tool %s)\n", initToolPath)
			if err := initCheckTool(root); err != nil {
				return err
			}
			// An earlier init, or go get -tool run by hand, may have left
			// go.sum without hashes the program needs.
			return c.initCheckModule(root)
		}
	}

	// Choose the version to require, and whether the go command may use
	// the network.
	var req *modfile.Require
	for _, r := range before.Require {
		if r.Mod.Path == initModule {
			req = r
		}
	}
	// The replace that applies: the one of the required version, else the
	// one of all versions, else one of some version (which init requires).
	var rep *modfile.Replace
	for _, r := range before.Replace {
		switch {
		case r.Old.Path != initModule:
		case req != nil && r.Old.Version == req.Mod.Version:
			rep = r
		case r.Old.Version == "" && (rep == nil || req == nil || rep.Old.Version != req.Mod.Version):
			rep = r
		case rep == nil:
			rep = r
		}
	}
	own, devel := initOwnVersion()
	var (
		args    []string
		offline bool
		what    string // how the requirement came about, for the report
	)
	switch {
	case before.Module != nil && before.Module.Mod.Path == initModule:
		// otelgen's own module: the tool is one of its packages.
		args = []string{"mod", "edit", "-tool=" + initToolPath}
		offline = true
		what = "a package of this module"
	case rep != nil:
		v := rep.Old.Version
		if v == "" && req != nil {
			v = req.Mod.Version
		}
		if v == "" {
			v = "v0.0.0"
		}
		args = []string{"get", "-tool", initToolPath + "@" + v}
		offline = true
		target := rep.New.Path
		if rep.New.Version != "" {
			target += " " + rep.New.Version
		}
		what = fmt.Sprintf("%s %s, replaced by %s", initModule, v, target)
	case req != nil:
		// Keep the version the module requires already.
		args = []string{"get", "-tool", initToolPath + "@" + req.Mod.Version}
		offline = devel
		what = fmt.Sprintf("%s %s, as required already", initModule, req.Mod.Version)
	case !devel:
		args = []string{"get", "-tool", initToolPath + "@" + own}
		what = fmt.Sprintf("%s %s", initModule, own)
	default:
		hint := "go mod edit -replace=" + initModule + "=/path/to/your/otelgen/checkout"
		if dir := initSourceRoot(); dir != "" {
			hint = "go mod edit -replace=" + initModule + "=" + dir
		}
		return fmt.Errorf("this otelgen is a development build, so it cannot tell which version of %s to require.\n"+
			"For a local checkout of otelgen, replace the module with it, then run init again:\n"+
			"\t%s\n"+
			"For a release, add the tool yourself, then run init again:\n"+
			"\tgo get -tool %s@latest", initModule, hint, initToolPath)
	}

	sumBefore, _ := os.ReadFile(filepath.Join(root, "go.sum"))
	if out, err := initGo(root, offline, args...); err != nil {
		msg := fmt.Sprintf("go %s: %v\n%s", strings.Join(args, " "), err, bytes.TrimSpace(out))
		if offline && args[0] == "get" {
			msg += fmt.Sprintf("\ninit works offline here (GOPROXY=off), from the module cache. If the cache lacks modules that otelgen needs, download them:\n"+
				"\tgo %s\nthen run init again", strings.Join(args, " "))
		}
		return errors.New(msg)
	}
	after, err := initReadModFile(gomod)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "go.mod: added tool %s (%s)\n", initToolPath, what)
	initReportModChanges(c, before, after)
	if err := c.initCheckModule(root); err != nil {
		return err
	}
	if sumAfter, _ := os.ReadFile(filepath.Join(root, "go.sum")); !bytes.Equal(sumBefore, sumAfter) {
		fmt.Fprintln(c.stdout, "go.sum: updated")
	}
	if _, err := os.Stat(filepath.Join(root, "vendor", "modules.txt")); err == nil {
		if out, err := initGo(root, offline, "mod", "vendor"); err != nil {
			return fmt.Errorf("go mod vendor: %v\n%s", err, bytes.TrimSpace(out))
		}
		fmt.Fprintln(c.stdout, "vendor/: updated (go mod vendor)")
	}
	return initCheckTool(root)
}

// initReportModChanges prints what else the go command changed in go.mod:
// the go and toolchain lines, upgraded requirements one by one, and the
// number of requirements added.
func initReportModChanges(c *cli, before, after *modfile.File) {
	goLine := func(f *modfile.File) string {
		if f.Go == nil {
			return "(none)"
		}
		return f.Go.Version
	}
	if a, b := goLine(before), goLine(after); a != b {
		fmt.Fprintf(c.stdout, "go.mod: go %s => %s (otelgen needs it)\n", a, b)
	}
	toolchain := func(f *modfile.File) string {
		if f.Toolchain == nil {
			return "(none)"
		}
		return f.Toolchain.Name
	}
	if a, b := toolchain(before), toolchain(after); a != b {
		fmt.Fprintf(c.stdout, "go.mod: toolchain %s => %s\n", a, b)
	}
	old := map[string]string{}
	for _, r := range before.Require {
		old[r.Mod.Path] = r.Mod.Version
	}
	added := 0
	var changed []string
	for _, r := range after.Require {
		v, ok := old[r.Mod.Path]
		switch {
		case r.Mod.Path == initModule:
		case !ok:
			added++
		case v != r.Mod.Version:
			changed = append(changed, fmt.Sprintf("go.mod: upgraded %s %s => %s", r.Mod.Path, v, r.Mod.Version))
		}
	}
	slices.Sort(changed)
	for _, l := range changed {
		fmt.Fprintln(c.stdout, l)
	}
	if added > 0 {
		fmt.Fprintf(c.stdout, "go.mod: added %d requirements for what otelgen imports\n", added)
	}
}

// initCheckTool makes sure that the go command can build the tool from
// go.mod and go.sum as they are, without the network.
func initCheckTool(root string) error {
	out, err := initGo(root, true, "list", "-deps", "-f", "{{.ImportPath}}", initToolPath)
	if err == nil {
		return nil
	}
	// The errors come after the packages, often many times over: show the
	// first few.
	var lines []string
	for _, l := range strings.Split(string(bytes.TrimSpace(out)), "\n") {
		if strings.Contains(l, " ") && !slices.Contains(lines, l) {
			lines = append(lines, l)
		}
	}
	if len(lines) > 6 {
		lines = append(lines[:6], "...")
	}
	return fmt.Errorf("go.mod has the tool %s, but the go command cannot load it:\n%s\nRun go mod tidy (and go mod vendor, with a vendor directory), then init again", initToolPath, strings.Join(lines, "\n"))
}

// initCheckModule makes sure that the module's packages and their tests
// load from go.mod and go.sum as they are, so that go build and go test
// work after init. go get -tool can upgrade a module whose packages the
// program imports, because otelgen's dependency graph requires a newer
// version, and record only that version's go.mod hash in go.sum, since the
// tool imports none of its packages; go build then fails with "missing
// go.sum entry". initCheckModule adds those hashes with go mod download of
// the modules at the versions go.mod selects, which changes go.sum and
// nothing else, and checks again. It may download modules, as go build
// would.
func (c *cli) initCheckModule(root string) error {
	bad, err := initLoadErrors(root)
	if err != nil {
		return err
	}
	if len(bad) == 0 {
		return nil
	}
	mods, err := initMissingSums(root, bad)
	if err != nil {
		return err
	}
	var downloadErr string
	if len(mods) > 0 {
		sum, _ := os.ReadFile(filepath.Join(root, "go.sum"))
		got, out, err := initDownload(root, mods)
		for _, m := range got {
			if !bytes.Contains(append([]byte("\n"), sum...), []byte("\n"+m+" h1:")) {
				fmt.Fprintf(c.stdout, "go.sum: added the hash of %s, for the packages this module imports from it\n", m)
			}
		}
		if err != nil {
			downloadErr = out
		}
		if bad, err = initLoadErrors(root); err != nil {
			return err
		}
		if len(bad) == 0 {
			return nil
		}
	}

	var b strings.Builder
	b.WriteString("this module's packages do not load with go.mod and go.sum as they are, so go build would fail:\n")
	for i, e := range bad {
		if i == 6 {
			b.WriteString("\t...\n")
			break
		}
		fmt.Fprintf(&b, "\t%s\n", strings.ReplaceAll(e.String(), "\n", "\n\t"))
	}
	if downloadErr != "" {
		fmt.Fprintf(&b, "init could not download the modules whose hashes go.sum lacks:\n\t%s\n", strings.ReplaceAll(downloadErr, "\n", "\n\t"))
	}
	if mods, _ := initMissingSums(root, bad); len(mods) > 0 {
		fmt.Fprintf(&b, "Add their hashes to go.sum, then run init again:\n\tgo mod download %s", strings.Join(mods, " "))
	} else {
		b.WriteString("Fix that (go list -deps -test ./... shows the errors), then run init again")
	}
	return errors.New(b.String())
}

// initLoadError is a package that does not load, why, and the package
// that imports it when err does not say.
type initLoadError struct {
	pkg, err, from string
}

func (e initLoadError) String() string {
	if e.from == "" {
		return e.pkg + ": " + e.err
	}
	return fmt.Sprintf("%s (imported by %s): %s", e.pkg, e.from, e.err)
}

// initLoadErrors lists the errors of the module's packages, their tests and
// their dependencies, as go build and go test would meet them. With a vendor
// directory, which init brings up to date only afterwards, it checks go.mod
// and go.sum instead (-mod=readonly, which the go command otherwise
// implies).
func initLoadErrors(root string) ([]initLoadError, error) {
	args := []string{"list", "-e", "-deps", "-test", "-json=ImportPath,Error", "./..."}
	if _, err := os.Stat(filepath.Join(root, "vendor", "modules.txt")); err == nil {
		args = slices.Insert(args, 1, "-mod=readonly")
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, bytes.TrimSpace(stderr.Bytes()))
	}
	var bad []initLoadError
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath string
			Error      *struct {
				ImportStack []string
				Err         string
			}
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
		}
		if p.Error == nil {
			continue
		}
		e := initLoadError{pkg: p.ImportPath, err: strings.TrimSpace(p.Error.Err)}
		if st := p.Error.ImportStack; len(st) > 0 && !strings.Contains(e.err, "imported by") {
			e.from = st[len(st)-1]
		}
		// A package's error repeats in its copies for tests, named
		// "path [path.test]": keep one.
		if i := strings.Index(e.pkg, " ["); i >= 0 {
			e.pkg = e.pkg[:i]
		}
		if !slices.Contains(bad, e) {
			bad = append(bad, e)
		}
	}
	return bad, nil
}

// initMissingSums returns the modules, as path@version, that provide the
// packages whose errors say go.sum lacks an entry: every module go.mod
// requires whose path is the package's or a prefix of it, since the go
// command needs the hash of each to tell which one provides the package.
func initMissingSums(root string, bad []initLoadError) ([]string, error) {
	f, err := initReadModFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	var mods []string
	for _, e := range bad {
		if !strings.Contains(e.err, "missing go.sum entry") {
			continue
		}
		for _, r := range f.Require {
			p := r.Mod.Path
			if e.pkg != p && !strings.HasPrefix(e.pkg, p+"/") {
				continue
			}
			if m := p + "@" + r.Mod.Version; !slices.Contains(mods, m) {
				mods = append(mods, m)
			}
		}
	}
	return mods, nil
}

// initDownload runs go mod download for mods, which records their hashes in
// go.sum. It returns the modules downloaded, as "path version", and on
// failure the go command's output.
func initDownload(root string, mods []string) ([]string, string, error) {
	args := append([]string{"mod", "download", "-json"}, mods...)
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var (
		got  []string
		errs []string
	)
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var m struct{ Path, Version, Error string }
		if dec.Decode(&m) != nil {
			break
		}
		if m.Error != "" {
			if !strings.HasPrefix(m.Error, m.Path) {
				m.Error = m.Path + "@" + m.Version + ": " + m.Error
			}
			errs = append(errs, m.Error)
		} else {
			got = append(got, m.Path+" "+m.Version)
		}
	}
	if err == nil {
		return got, "", nil
	}
	if s := strings.TrimSpace(stderr.String()); s != "" {
		errs = append(errs, s)
	}
	if len(errs) == 0 {
		errs = append(errs, err.Error())
	}
	return got, strings.Join(errs, "\n"), err
}

// initGo runs the go command in dir; offline, with GOPROXY=off. It returns
// what the command wrote.
func initGo(dir string, offline bool, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = os.Environ()
	if offline {
		cmd.Env = append(cmd.Env, "GOPROXY=off")
	}
	return cmd.CombinedOutput()
}

func initReadModFile(name string) (*modfile.File, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return modfile.Parse(name, data, nil)
}

// initOwnVersion is the version of otelgen's module in this binary, and
// whether it is a development build (no version a module can require).
func initOwnVersion() (string, bool) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "", true
	}
	m := &bi.Main
	if m.Path != initModule {
		m = nil
		for _, d := range bi.Deps {
			if d.Path == initModule {
				m = d
			}
		}
	}
	if m == nil || m.Replace != nil || m.Version == "" || m.Version == "(devel)" || strings.Contains(m.Version, "+dirty") {
		return "", true
	}
	return m.Version, false
}

// initSourceRoot is the root of the otelgen checkout this binary was built
// from, when it is still there, or "".
func initSourceRoot() string {
	bi, ok := debug.ReadBuildInfo()
	if ok && bi.Main.Path == initModule && bi.Main.Replace != nil && filepath.IsAbs(bi.Main.Replace.Path) {
		return bi.Main.Replace.Path
	}
	// The source file's directory, unless built with -trimpath.
	dir := filepath.Dir(filepath.Dir(filepath.Dir(initSourceFile())))
	if !filepath.IsAbs(dir) {
		return ""
	}
	if f, err := initReadModFile(filepath.Join(dir, "go.mod")); err == nil && f.Module != nil && f.Module.Mod.Path == initModule {
		return dir
	}
	return ""
}

func initSourceFile() string {
	_, file, _, _ := runtime.Caller(0)
	return file
}

// initConfig writes a commented otelgen.yaml when there is none.
func (c *cli) initConfig(root string) error {
	f, err := os.OpenFile(filepath.Join(root, initConfig), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(c.stdout, "%s: unchanged (exists)\n", initConfig)
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := f.WriteString(initConfigText); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%s: created\n", initConfig)
	return nil
}

const initConfigText = `# otelgen.yaml: this module's otelgen configuration, read by
# "go tool otelgen generate" (which "go generate ./..." runs). Every key is
# optional: as it is, with everything commented out, otelgen applies all of
# its built-in rules. After a change here, run "go generate ./..." again and
# commit _otel/.
#
# "go tool otelgen rules" lists the rules in force, with their ids;
# "go tool otelgen rules -schema" prints the JSON schema of a rule.

# disable: turns built-in rules off, by id, or a whole integration by its
# name (the folder under rules/ in otelgen: nethttp, databasesql, ...).
#
# disable: [some-builtin-id, databasesql]

# gls: false turns off goroutine-local storage, otelgen's patch to the Go
# runtime that carries the current span from a goroutine to the goroutines it
# starts (applied only when a rule needs it). Without it, only an explicit
# context.Context carries the current span.
#
# gls: false

# link: optional parts of the OpenTelemetry SDK, left out of the binary
# unless listed here or the program already links what they need:
# otlp-grpc (for OTEL_EXPORTER_OTLP_PROTOCOL=grpc), prometheus (for
# OTEL_METRICS_EXPORTER=prometheus), logs (for OTEL_LOGS_EXPORTER).
#
# link: [otlp-grpc]

# rules: your own rules, in the format of the built-in ones (see rules/README.md
# in github.com/otelgen/otelgen). Kinds: hook (call functions before and after
# a function), field (add a field to a struct type), file (add a Go file to a
# package) and insert (add a statement before another). For example, to call
# hooks around (*Service).Place of package example.com/shop/orders:
#
# rules:
#   - id: orders-place                 # unique; lower-case letters, digits, dashes
#     kind: hook
#     package: example.com/shop/orders # the target package's import path
#     function: (*Service).Place       # "F", "T.M" or "(*T).M"
#     before: example.com/shop/otelhooks.PlaceBefore
#     after: example.com/shop/otelhooks.PlaceAfter
#     order: 10                        # optional; lower runs first
#     version: ">=v1.2.0 <v2.0.0"      # optional; the target module's version
#     go: ">=1.26"                     # optional; the toolchain's version
#
# with the hooks, in any package of the program (hook is
# github.com/otelgen/otelgen/hook):
#
#   // before: the receiver by value, then each parameter by pointer.
#   func PlaceBefore(c *hook.Call, s *orders.Service, ctx *context.Context, o **orders.Order)
#   // after: each result by pointer.
#   func PlaceAfter(c *hook.Call, id *string, err *error)
`

// initGenerateRE matches a go:generate line that runs otelgen generate.
var initGenerateRE = regexp.MustCompile(`^//go:generate\s.*\botelgen\b.*\sgenerate\b`)

// initGenerate adds the go:generate line, unless the module has one.
func (c *cli) initGenerate(root string) error {
	if file, line, err := initFindDirective(root); err != nil {
		return err
	} else if file != "" {
		fmt.Fprintf(c.stdout, "%s: unchanged (has %s)\n", file, line)
		return nil
	}
	name := filepath.Join(root, initGenFile)
	if _, err := os.Stat(name); err == nil {
		return fmt.Errorf("%s exists but runs no otelgen generate: add the line\n\t%s\nto it, or remove it and run init again", initGenFile, initDirective)
	}
	pkg, own, err := initRootPackage(root)
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
`, note, pkg, initDirective)
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
		fmt.Fprintf(c.stdout, "%s: created (go:generate line, package %s)\n", initGenFile, pkg)
	} else {
		fmt.Fprintf(c.stdout, "%s: created (go:generate line; the module root has no Go package, so it starts package %s, which only go generate sees)\n", initGenFile, pkg)
	}
	return nil
}

// initFindDirective finds a go:generate line that runs otelgen generate in
// the module's Go files; it returns the file, relative to root, and the line.
func initFindDirective(root string) (file, line string, err error) {
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
			if l := strings.TrimSpace(sc.Text()); initGenerateRE.MatchString(l) {
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

// initRootPackage is the name of the package at the module root as
// go generate sees it, and whether there is one; when there is none, a name
// made from the module path.
func initRootPackage(root string) (string, bool, error) {
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
	f, err := initReadModFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", false, err
	}
	if f.Module == nil {
		return "", false, fmt.Errorf("go.mod has no module line")
	}
	return initPackageName(f.Module.Mod.Path), false, nil
}

// initPackageName makes a package name of a module path, as go doc would
// guess it: the last element, without a major version suffix and the usual
// "go-" and "-go" decorations, lower-case, letters, digits and underscores
// only; "main" when nothing usable is left.
func initPackageName(modPath string) string {
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
