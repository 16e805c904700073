package modsetup

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
)

// AddTool adds otelgen as a tool of the module at root.
func AddTool(root string, w io.Writer) error {
	gomod := filepath.Join(root, "go.mod")
	before, err := readModFile(gomod)
	if err != nil {
		return err
	}
	for _, t := range before.Tool {
		if t.Path == ToolPath {
			fmt.Fprintf(w, "go.mod: unchanged (has tool %s)\n", ToolPath)
			if err := checkTool(root); err != nil {
				return err
			}
			// An earlier init, or go get -tool run by hand, may have left
			// go.sum without hashes the program needs.
			return checkModule(root, w)
		}
	}

	own, devel := ownVersion()
	args, offline, what, err := toolCommand(before, own, devel)
	if err != nil {
		return err
	}

	sumBefore, _ := os.ReadFile(filepath.Join(root, "go.sum"))
	if out, err := goCmd(root, offline, args...); err != nil {
		var hint string
		if offline && args[0] == "get" {
			hint = fmt.Sprintf("\ninit works offline here (GOPROXY=off), from the module cache. If the cache lacks modules that otelgen needs, download them:\n"+
				"\tgo %s\nthen run init again", strings.Join(args, " "))
		}
		return fmt.Errorf("go %s: %w\n%s%s", strings.Join(args, " "), err, bytes.TrimSpace(out), hint)
	}
	after, err := readModFile(gomod)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "go.mod: added tool %s (%s)\n", ToolPath, what)
	reportModChanges(w, before, after)
	if err := checkModule(root, w); err != nil {
		return err
	}
	if sumAfter, _ := os.ReadFile(filepath.Join(root, "go.sum")); !bytes.Equal(sumBefore, sumAfter) {
		fmt.Fprintln(w, "go.sum: updated")
	}
	if _, err := os.Stat(filepath.Join(root, "vendor", "modules.txt")); err == nil {
		if out, err := goCmd(root, offline, "mod", "vendor"); err != nil {
			return fmt.Errorf("go mod vendor: %w\n%s", err, bytes.TrimSpace(out))
		}
		fmt.Fprintln(w, "vendor/: updated (go mod vendor)")
	}
	return checkTool(root)
}

// AddOverlayTool adds otelgen-overlay as a tool of the module at root,
// from the otelgen module that go.mod requires already (AddTool runs
// first), so that a CI job can write _otel/overlay.json with
// "go tool otelgen-overlay" without compiling otelgen. It uses no network
// and leaves go.mod as it is when that otelgen has no such command.
func AddOverlayTool(root string, w io.Writer) error {
	gomod := filepath.Join(root, "go.mod")
	f, err := readModFile(gomod)
	if err != nil {
		return err
	}
	for _, t := range f.Tool {
		if t.Path == OverlayToolPath {
			fmt.Fprintf(w, "go.mod: unchanged (has tool %s)\n", OverlayToolPath)
			return nil
		}
	}
	if out, err := goCmd(root, true, "list", "-f", "{{.Name}}", OverlayToolPath); err != nil {
		fmt.Fprintf(w, "go.mod: no tool %s: the otelgen required has no such package (%s)\n", OverlayToolPath, firstLine(out))
		return nil
	}
	if out, err := goCmd(root, true, "mod", "edit", "-tool="+OverlayToolPath); err != nil {
		return fmt.Errorf("go mod edit -tool=%s: %w\n%s", OverlayToolPath, err, bytes.TrimSpace(out))
	}
	fmt.Fprintf(w, "go.mod: added tool %s (writes _otel/overlay.json in CI)\n", OverlayToolPath)
	return nil
}

func firstLine(b []byte) string {
	l, _, _ := strings.Cut(string(bytes.TrimSpace(b)), "\n")
	return l
}

// toolCommand chooses how to add otelgen as a tool of the module whose
// go.mod is f: the go command's arguments, whether the command must work
// offline (GOPROXY=off), and how the requirement came about, for the
// report. own is this otelgen's version, unless devel says it is a
// development build, which has none a module can require.
func toolCommand(f *modfile.File, own string, devel bool) (args []string, offline bool, what string, err error) {
	var req *modfile.Require
	for _, r := range f.Require {
		if r.Mod.Path == Module {
			req = r
		}
	}
	// The replace that applies: the one of the required version, else the
	// one of all versions, else one of some version (which init requires).
	var rep *modfile.Replace
	for _, r := range f.Replace {
		switch {
		case r.Old.Path != Module:
		case req != nil && r.Old.Version == req.Mod.Version:
			rep = r
		case r.Old.Version == "" && (rep == nil || req == nil || rep.Old.Version != req.Mod.Version):
			rep = r
		case rep == nil:
			rep = r
		}
	}
	switch {
	case f.Module != nil && f.Module.Mod.Path == Module:
		// otelgen's own module: the tool is one of its packages.
		args = []string{"mod", "edit", "-tool=" + ToolPath}
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
		args = []string{"get", "-tool", ToolPath + "@" + v}
		offline = true
		target := rep.New.Path
		if rep.New.Version != "" {
			target += " " + rep.New.Version
		}
		what = fmt.Sprintf("%s %s, replaced by %s", Module, v, target)
	case req != nil:
		// Keep the version the module requires already.
		args = []string{"get", "-tool", ToolPath + "@" + req.Mod.Version}
		offline = devel
		what = fmt.Sprintf("%s %s, as required already", Module, req.Mod.Version)
	case !devel:
		args = []string{"get", "-tool", ToolPath + "@" + own}
		what = fmt.Sprintf("%s %s", Module, own)
	default:
		hint := "go mod edit -replace=" + Module + "=/path/to/your/otelgen/checkout"
		if dir := sourceRoot(); dir != "" {
			hint = "go mod edit -replace=" + Module + "=" + dir
		}
		return nil, false, "", fmt.Errorf("this otelgen is a development build, so it cannot tell which version of %s to require.\n"+
			"For a local checkout of otelgen, replace the module with it, then run init again:\n"+
			"\t%s\n"+
			"For a release, add the tool yourself, then run init again:\n"+
			"\tgo get -tool %s@latest", Module, hint, ToolPath)
	}

	return args, offline, what, nil
}

// reportModChanges prints what else the go command changed in go.mod:
// the go and toolchain lines, upgraded requirements one by one, and the
// number of requirements added.
func reportModChanges(w io.Writer, before, after *modfile.File) {
	goLine := func(f *modfile.File) string {
		if f.Go == nil {
			return "(none)"
		}
		return f.Go.Version
	}
	if a, b := goLine(before), goLine(after); a != b {
		fmt.Fprintf(w, "go.mod: go %s => %s (otelgen needs it)\n", a, b)
	}
	toolchain := func(f *modfile.File) string {
		if f.Toolchain == nil {
			return "(none)"
		}
		return f.Toolchain.Name
	}
	if a, b := toolchain(before), toolchain(after); a != b {
		fmt.Fprintf(w, "go.mod: toolchain %s => %s\n", a, b)
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
		case r.Mod.Path == Module:
		case !ok:
			added++
		case v != r.Mod.Version:
			changed = append(changed, fmt.Sprintf("go.mod: upgraded %s %s => %s", r.Mod.Path, v, r.Mod.Version))
		}
	}
	slices.Sort(changed)
	for _, l := range changed {
		fmt.Fprintln(w, l)
	}
	if added > 0 {
		fmt.Fprintf(w, "go.mod: added %d requirements for what otelgen imports\n", added)
	}
}

// checkTool makes sure that the go command can build the tool from
// go.mod and go.sum as they are, without the network.
func checkTool(root string) error {
	out, err := goCmd(root, true, "list", "-deps", "-f", "{{.ImportPath}}", ToolPath)
	if err == nil {
		return nil
	}
	// The errors come after the packages, often many times over: show the
	// first few.
	var lines []string
	for l := range strings.SplitSeq(string(bytes.TrimSpace(out)), "\n") {
		if strings.Contains(l, " ") && !slices.Contains(lines, l) {
			lines = append(lines, l)
		}
	}
	if len(lines) > 6 {
		lines = append(lines[:6], "...")
	}
	return fmt.Errorf("go.mod has the tool %s, but the go command cannot load it:\n%s\nRun go mod tidy (and go mod vendor, with a vendor directory), then init again", ToolPath, strings.Join(lines, "\n"))
}

// goCmd runs the go command in dir; offline, with GOPROXY=off. It returns
// what the command wrote.
func goCmd(dir string, offline bool, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = os.Environ()
	if offline {
		cmd.Env = append(cmd.Env, "GOPROXY=off")
	}
	return cmd.CombinedOutput()
}

func readModFile(name string) (*modfile.File, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return modfile.Parse(name, data, nil)
}

// ownVersion is the version of otelgen's module in this binary, and
// whether it is a development build (no version a module can require).
func ownVersion() (string, bool) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "", true
	}
	m := &bi.Main
	if m.Path != Module {
		m = nil
		for _, d := range bi.Deps {
			if d.Path == Module {
				m = d
			}
		}
	}
	if m == nil || m.Replace != nil || m.Version == "" || m.Version == "(devel)" || strings.Contains(m.Version, "+dirty") {
		return "", true
	}
	return m.Version, false
}

// sourceRoot is the root of the otelgen checkout this binary was built
// from, when it is still there, or "".
func sourceRoot() string {
	bi, ok := debug.ReadBuildInfo()
	if ok && bi.Main.Path == Module && bi.Main.Replace != nil && filepath.IsAbs(bi.Main.Replace.Path) {
		return bi.Main.Replace.Path
	}
	// The source file's directory, unless built with -trimpath.
	dir := filepath.Dir(filepath.Dir(filepath.Dir(sourceFile())))
	if !filepath.IsAbs(dir) {
		return ""
	}
	if f, err := readModFile(filepath.Join(dir, "go.mod")); err == nil && f.Module != nil && f.Module.Mod.Path == Module {
		return dir
	}
	return ""
}

func sourceFile() string {
	_, file, _, _ := runtime.Caller(0)
	return file
}
