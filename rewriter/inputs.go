package rewriter

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/otelgen/otelgen/internal/readfile"
	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rewriter/load"
	"golang.org/x/mod/modfile"
)

// develBuild tells apart two builds of otelgen that share the version
// "devel" (built from a checkout), whose code may differ: the executable's
// size and modification time. A released version needs nothing more.
func develBuild(version string) string {
	if version != "devel" {
		return ""
	}
	exe, err := os.Executable()
	if err != nil {
		return "unknown"
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return "unknown"
	}
	return fmt.Sprintf("%d@%d", fi.Size(), fi.ModTime().UnixNano())
}

// InputsDigest hashes everything that can change what generate writes,
// without loading a package: otelgen's version, the go command's
// configuration, the rules, the patterns, and every Go source, go.mod,
// go.sum and vendor/modules.txt file of the module. Standard library and
// module cache files are covered by the Go version and go.sum. It lets
// generate and check skip the load when nothing changed.
func InputsDigest(env *load.Env, version, rulesDigest string, patterns []string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "otelgen=%s\nbuild=%s\nrules=%s\npatterns=%q\n", version, develBuild(version), rulesDigest, patterns)
	// The go command's settings in effect, from the environment or its
	// configuration alike. The raw variables are not hashed: go generate
	// sets GOOS and GOARCH to their defaults, which would make a generate
	// run by go generate and a check run in a shell disagree. Of GOFLAGS,
	// only the flags that can change which files a build reads count.
	for _, v := range []string{env.GOVERSION, env.GOOS, env.GOARCH, env.CGOENABLED, sourceFlags(env.GOFLAGS), env.GOEXPERIMENT, env.GOAMD64, env.GOARM64, env.GOWORK} {
		fmt.Fprintf(h, "%s\n", v)
	}
	// The module, and in a go.work workspace the other modules and go.work.
	roots := []string{env.Root()}
	var files []string
	if env.Workspace() {
		files = append(files, env.GOWORK)
		data, err := os.ReadFile(env.GOWORK)
		if err != nil {
			return "", err
		}
		wf, err := modfile.ParseWork(env.GOWORK, data, nil)
		if err != nil {
			return "", err
		}
		for _, u := range wf.Use {
			dir := filepath.Join(filepath.Dir(env.GOWORK), filepath.FromSlash(u.Path))
			if dir != env.Root() {
				roots = append(roots, dir)
			}
		}
	}
	for _, root := range roots {
		if err := sourceFiles(root, &files); err != nil {
			return "", err
		}
	}
	slices.Sort(files)
	for _, p := range files {
		data, err := readfile.ReadFile(p)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "file %s\n", p)
		h.Write(data)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// outputFlags are go command flags that change how a build compiles or what
// it prints, but not which source files it reads or how packages load: a
// GOFLAGS that differs only in them gives the same _otel/.
var outputFlags = map[string]bool{
	"a": true, "n": true, "p": true, "v": true, "x": true, "work": true, "json": true,
	"asmflags": true, "gcflags": true, "ldflags": true, "gccgoflags": true,
	"buildvcs": true, "trimpath": true, "toolexec": true, "pgo": true,
	"count": true, "failfast": true, "shuffle": true, "timeout": true, "vet": true,
}

// sourceFlags keeps, in order, the flags of a GOFLAGS value that are not
// outputFlags.
func sourceFlags(goflags string) string {
	var keep []string
	for _, f := range strings.Fields(goflags) {
		name, _, _ := strings.Cut(strings.TrimLeft(f, "-"), "=")
		if !outputFlags[name] {
			keep = append(keep, f)
		}
	}
	return strings.Join(keep, " ")
}

// sourceFiles appends the Go sources, go.mod, go.sum, modules.txt and
// otelgen.yaml files of the module at root, skipping _otel/, hidden
// directories, testdata and nested modules.
func sourceFiles(root string, files *[]string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p == root {
				return nil
			}
			if name == emit.Dir || strings.HasPrefix(name, ".") || name == "testdata" {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir // another module
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") || name == "go.mod" || name == "go.sum" || name == "modules.txt" || name == ConfigFile {
			*files = append(*files, p)
		}
		return nil
	})
}

// Fresh reports whether _otel/ under the module of dir is what generate would
// write now, judged without loading: the inputs digest matches the one this
// machine recorded at its last generate, and the tree is byte for byte the
// one it wrote then; or, failing that, the lock's record of the tree and of
// the program's targets still holds (see freshByLock), which it then records
// as this machine's state. It returns the environment and the lock.
func Fresh(dir, version string, patterns, platforms []string) (bool, *load.Env, *emit.Lock, error) {
	env, err := load.ReadEnv(dir)
	if err != nil {
		return false, nil, nil, inputErr(err)
	}
	lock, err := emit.ReadLock(env.Root())
	if err != nil {
		return false, env, nil, nil
	}
	if len(patterns) == 0 {
		patterns = lock.Patterns
	}
	if platforms, err = ParsePlatforms(platforms); err != nil {
		return false, env, lock, inputErr(err)
	}
	set, err := RuleSet(env.Root())
	if err != nil {
		return false, env, lock, err
	}
	digest, err := InputsDigest(env, version, set.Digest(), append(patterns, platforms...))
	if err != nil {
		return false, env, lock, nil
	}
	if state := emit.ReadState(env.Root()); state != nil && digest == state.InputsDigest {
		have, err := emit.ReadTree(env.Root())
		if err == nil && have != nil && have.Digest() == state.TreeDigest {
			return true, env, lock, nil
		}
	}
	// No record on this machine (a fresh clone), or inputs that changed
	// in ways that may not matter: ask the lock, and remember the answer.
	if !freshByLock(env, version, lock, set, patterns, platforms) {
		return false, env, lock, nil
	}
	if have, err := emit.ReadTree(env.Root()); err == nil && have != nil {
		emit.WriteState(env.Root(), emit.State{InputsDigest: digest, TreeDigest: have.Digest()})
	}
	return true, env, lock, nil
}
