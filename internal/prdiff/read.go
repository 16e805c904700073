package prdiff

// Reading the two states that "otelgen diff" compares: _otel/ in the working
// tree, and _otel/ as a git ref has it.

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/otelgen/otelgen/internal/gitrepo"
	"github.com/otelgen/otelgen/rewriter/emit"
)

// WorkingTree reads _otel/ under the module root. The state has no lock
// when there is no _otel/.
func WorkingTree(root string) (*Tree, error) {
	tree, err := emit.ReadTree(root)
	if err != nil {
		return nil, err
	}
	var lock *emit.Lock
	if data, ok := tree[emit.LockFile]; ok {
		lock = new(emit.Lock)
		if err := json.Unmarshal(data, lock); err != nil {
			return nil, fmt.Errorf("%s: %w", path.Join(emit.Dir, emit.LockFile), err)
		}
	}
	diff, ok := tree[emit.DiffFile]
	if !ok {
		return nil, fmt.Errorf("no %s", path.Join(emit.Dir, emit.DiffFile))
	}
	var modPath string
	if data, err := os.ReadFile(filepath.Join(root, "go.mod")); err == nil {
		modPath = modfile.ModulePath(data)
	}
	read := func(p string) ([]byte, bool) {
		data, ok := tree[p]
		return data, ok
	}
	return newTree(lock, diff, modPath, read), nil
}

// GitTree reads _otel/ as it is at ref, in the git repository that holds
// the module root (which may be a subdirectory of the repository). modPath
// is the module's path, for when go.mod did not exist at ref. The state has
// no lock when _otel/ did not exist at ref.
func GitTree(root, ref, modPath string) (*Tree, error) {
	if strings.HasPrefix(ref, "-") {
		return nil, fmt.Errorf("bad git revision %q", ref)
	}
	prefix, err := gitrepo.Prefix(root)
	if err != nil {
		return nil, fmt.Errorf("--base needs a git repository: %w", err)
	}
	commit, err := gitrepo.Commit(root, ref)
	if err != nil {
		return nil, fmt.Errorf("%s is not a commit in this git repository (in CI, fetch it first: git fetch origin <branch>)", ref)
	}
	at := func(name string) string { return commit + ":" + prefix + name }

	lockName, diffName := path.Join(emit.Dir, emit.LockFile), path.Join(emit.Dir, emit.DiffFile)
	first, err := gitrepo.CatFiles(root, []string{at(lockName), at(diffName), at("go.mod")})
	if err != nil {
		return nil, err
	}
	if data, ok := first[at("go.mod")]; ok {
		if p := modfile.ModulePath(data); p != "" {
			modPath = p
		}
	}
	lockData, ok := first[at(lockName)]
	if !ok {
		return newTree(nil, nil, modPath, nil), nil
	}
	lock := new(emit.Lock)
	if err := json.Unmarshal(lockData, lock); err != nil {
		return nil, fmt.Errorf("%s at %s: %w", lockName, ref, err)
	}
	var names []string
	for _, e := range lock.Files {
		names = append(names, at(path.Join(emit.Dir, e.Path)))
	}
	files, err := gitrepo.CatFiles(root, names)
	if err != nil {
		return nil, err
	}
	read := func(p string) ([]byte, bool) {
		data, ok := files[at(path.Join(emit.Dir, p))]
		return data, ok
	}
	return newTree(lock, first[at(diffName)], modPath, read), nil
}
