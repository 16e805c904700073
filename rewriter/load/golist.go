package load

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/tools/go/packages"
)

// Load used to call packages.Load alone. For each load, go/packages runs the
// go command twice: once to learn its version ("go list -f
// {{context.ReleaseTags}} unsafe", which loads the module graph too, with
// the same -modfile and overlay), then the "go list -deps" itself. otelgen
// knows the go command's version from "go env" already, so listDirect runs
// only the second command, with the very arguments go/packages would pass,
// and builds the same packages from its output. Whenever the output is not
// the plain case it reproduces (the command fails, a package is listed twice,
// an external driver is configured, export data is asked for), Load falls
// back to packages.Load, whose behaviour, errors included, is then exactly
// what it was.

// listFields are the fields go/packages asks go list for, in its order, for
// Load's mode (NeedName | NeedFiles | NeedImports | NeedDeps | NeedModule).
const listFields = "Name,ImportPath,Error,Dir,GoFiles,IgnoredGoFiles,IgnoredOtherFiles,CFiles,CgoFiles,CXXFiles,MFiles,HFiles,FFiles,SFiles,SwigFiles,SwigCXXFiles,SysoFiles,DepOnly,Imports,ImportMap,Module"

// listArgMax bounds the command line that listDirect runs in one command;
// go/packages splits longer lists of patterns over several commands, and
// Load leaves those to it.
const listArgMax = 32767 - 16384

// debugList is go/packages' GOPACKAGESDEBUG, which listDirect honours too:
// it logs the go command it starts, as go/packages does.
var debugList, _ = strconv.ParseBool(os.Getenv("GOPACKAGESDEBUG"))

// listPackage is what go list prints of one package, in listFields.
type listPackage struct {
	Name, ImportPath, Dir string
	Error                 *struct {
		ImportStack []string
		Pos, Err    string
	}
	GoFiles, IgnoredGoFiles, IgnoredOtherFiles                            []string
	CFiles, CgoFiles, CXXFiles, MFiles, HFiles, FFiles, SFiles, SwigFiles []string
	SwigCXXFiles, SysoFiles                                               []string
	DepOnly                                                               bool
	Imports                                                               []string
	ImportMap                                                             map[string]string
	Module                                                                *packages.Module
}

// errFallBack says that listDirect leaves the load to packages.Load.
var errFallBack = fmt.Errorf("left to go/packages")

// listDirect runs go list as packages.Load does with cfg and args, and
// returns the packages packages.Load would: the roots, in go list's order,
// with their dependencies reachable through Imports. It returns errFallBack
// when it cannot be sure of that, and the context's error when the context
// ends.
func listDirect(cfg *packages.Config, args []string) ([]*packages.Package, error) {
	if cfg.Mode&packages.NeedExportFile != 0 || cfg.Tests || len(strings.Join(args, " ")) > listArgMax || externalDriver(cfg.Env) {
		return nil, errFallBack
	}
	var overlayFlag []string
	if len(cfg.Overlay) > 0 {
		file, cleanup, err := writeOverlay(cfg.Overlay)
		if err != nil {
			return nil, errFallBack
		}
		defer cleanup()
		overlayFlag = []string{"-overlay=" + file}
	}
	// As gocommand assembles it: build flags, the overlay, then go/packages'
	// own arguments, which repeat the build flags.
	goArgs := append([]string{"list"}, cfg.BuildFlags...)
	goArgs = append(goArgs, overlayFlag...)
	goArgs = append(goArgs, "-e", "-json="+listFields, "-compiled=false", "-test=false", "-export=false", "-deps=true",
		"-find=false", "-buildvcs=false", "-pgo=off")
	goArgs = append(goArgs, cfg.BuildFlags...)
	goArgs = append(goArgs, "--")
	goArgs = append(goArgs, args...)

	ctx := cfg.Context
	if ctx == nil {
		ctx = context.Background()
	}
	cmd := exec.Command("go", goArgs...)
	cmd.Env = append(append([]string(nil), cfg.Env...), "PWD="+cfg.Dir)
	cmd.Dir = cfg.Dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if debugList {
		log.Printf("starting %s", strings.Join(cmd.Args, " "))
	}
	if err := runGo(ctx, cmd); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, errFallBack
	}
	return convertList(stdout.Bytes(), cfg.Dir)
}

// runGo runs cmd until it ends or ctx does; then it interrupts the go command
// first, as go/packages does, and kills it only if it does not stop.
func runGo(ctx context.Context, cmd *exec.Cmd) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(time.Second):
			cmd.Process.Kill()
			<-done
		}
		return ctx.Err()
	}
}

// externalDriver reports whether go/packages would hand the load to a
// GOPACKAGESDRIVER instead of go list.
func externalDriver(env []string) bool {
	tool := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "GOPACKAGESDRIVER="); ok {
			tool = v
		}
	}
	if tool == "off" {
		return false
	}
	if tool != "" {
		return true
	}
	_, err := exec.LookPath("gopackagesdriver")
	return err == nil
}

// writeOverlay writes the overlay's files and the JSON file that maps them,
// as the go command's -overlay takes it.
func writeOverlay(overlay map[string][]byte) (string, func(), error) {
	dir, err := os.MkdirTemp("", "otelgen-overlay-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	replace := map[string]string{}
	for name, data := range overlay {
		file := filepath.Join(dir, fmt.Sprintf("%d-%s", len(replace)+1, filepath.Base(name)))
		if err := os.WriteFile(file, data, 0o644); err != nil {
			cleanup()
			return "", nil, err
		}
		replace[name] = file
	}
	js, err := json.Marshal(struct {
		Replace map[string]string `json:"replace"`
	}{replace})
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "overlay.json"), js, 0o644)
	}
	if err != nil {
		cleanup()
		return "", nil, err
	}
	return filepath.Join(dir, "overlay.json"), cleanup, nil
}

// convertList builds packages from go list's output as go/packages' go list
// driver and loader do for Load's mode. dir is the directory the command
// ran in.
func convertList(out []byte, dir string) ([]*packages.Package, error) {
	byID := map[string]*packages.Package{}
	var roots []*packages.Package
	for dec := json.NewDecoder(bytes.NewReader(out)); dec.More(); {
		var p listPackage
		if err := dec.Decode(&p); err != nil {
			return nil, errFallBack
		}
		// go/packages repairs these cases with more go commands or
		// heuristics of its own: leave them to it.
		if p.ImportPath == "" || filepath.IsAbs(p.ImportPath) && p.Error != nil || p.Dir != "" && !filepath.IsAbs(p.Dir) {
			return nil, errFallBack
		}
		if _, dup := byID[p.ImportPath]; dup {
			return nil, errFallBack
		}
		// go/packages cuts an import cycle where its walk finds it.
		if p.Error != nil && strings.Contains(p.Error.Err, "import cycle") {
			return nil, errFallBack
		}
		pkg := &packages.Package{
			ID:           p.ImportPath,
			Name:         p.Name,
			PkgPath:      p.ImportPath,
			Dir:          p.Dir,
			GoFiles:      absJoin(p.Dir, p.GoFiles, p.CgoFiles),
			OtherFiles:   absJoin(p.Dir, p.CFiles, p.CXXFiles, p.MFiles, p.HFiles, p.FFiles, p.SFiles, p.SwigFiles, p.SwigCXXFiles, p.SysoFiles),
			IgnoredFiles: absJoin(p.Dir, p.IgnoredGoFiles, p.IgnoredOtherFiles),
			Module:       p.Module,
		}
		if i := strings.IndexByte(pkg.ID, ' '); i >= 0 {
			pkg.PkgPath = pkg.ID[:i]
		}
		// Imports hold stubs with the ID alone until every package is read.
		pkg.Imports = map[string]*packages.Package{}
		ids := map[string]bool{}
		for _, id := range p.Imports {
			ids[id] = true
		}
		for path, id := range p.ImportMap {
			pkg.Imports[path] = &packages.Package{ID: id}
			delete(ids, id)
		}
		for id := range ids {
			if id != "C" {
				pkg.Imports[id] = &packages.Package{ID: id}
			}
		}
		if e := p.Error; e != nil {
			// A package whose files did not even list (a syntax error in
			// a package clause) names its file in the error's position.
			if len(p.GoFiles) == 0 && (len(e.ImportStack) == 0 || e.ImportStack[len(e.ImportStack)-1] == p.ImportPath) {
				if !addFileFromPos(pkg, e.Pos, dir) {
					addFileFromPos(pkg, e.Err, dir)
				}
			}
			msg := strings.TrimSpace(e.Err)
			if (msg == "import cycle not allowed" || msg == "import cycle not allowed in test") && len(e.ImportStack) != 0 {
				stack := make([]string, len(e.ImportStack))
				for i, s := range e.ImportStack {
					stack[i] = strings.TrimSuffix(s, " (test)")
				}
				msg += fmt.Sprintf(": import stack: %v", stack)
			}
			pkg.Errors = append(pkg.Errors, packages.Error{Pos: e.Pos, Msg: msg, Kind: packages.ListError})
		}
		byID[pkg.ID] = pkg
		if !p.DepOnly {
			roots = append(roots, pkg)
		}
	}
	// Resolve the stubs. An import that go list did not list is dropped, as
	// go/packages drops it (it would report it only to a type check).
	for _, pkg := range byID {
		for path, stub := range pkg.Imports {
			if imp := byID[stub.ID]; imp != nil {
				pkg.Imports[path] = imp
			} else {
				delete(pkg.Imports, path)
			}
		}
	}
	// go/packages returns what is reachable from the roots, and with -deps
	// that is every package listed.
	return roots, nil
}

// addFileFromPos adds to pkg's files the file that pos ("file:line:col")
// names, when it exists, as go/packages does for a package whose error
// hides its files.
func addFileFromPos(pkg *packages.Package, pos, dir string) bool {
	name := strings.TrimSpace(strings.Split(pos, ":")[0])
	if name == "" {
		return false
	}
	if !filepath.IsAbs(name) {
		name = filepath.Join(dir, name)
	}
	if fi, _ := os.Stat(name); fi == nil {
		return false
	}
	pkg.GoFiles = append(pkg.GoFiles, name)
	return true
}

// absJoin joins dir to each relative file name of the lists, in order.
func absJoin(dir string, lists ...[]string) []string {
	var out []string
	for _, list := range lists {
		for _, f := range list {
			if !filepath.IsAbs(f) {
				f = filepath.Join(dir, f)
			}
			out = append(out, f)
		}
	}
	return out
}
