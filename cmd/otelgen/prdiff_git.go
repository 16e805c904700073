package main

// Reading the two states that "otelgen diff" compares: _otel/ in the working
// tree, and _otel/ as a git ref has it.

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/otelgen/otelgen/internal/gitrepo"

	"github.com/otelgen/otelgen/rewriter"
	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rules"
	"golang.org/x/mod/modfile"
)

// workingTreeState reads _otel/ under the module root. The state has no
// lock when there is no _otel/.
func workingTreeState(root string) (*treeState, []byte, error) {
	tree, err := emit.ReadTree(root)
	if err != nil {
		return nil, nil, err
	}
	var lock *emit.Lock
	if data, ok := tree[emit.LockFile]; ok {
		lock = new(emit.Lock)
		if err := json.Unmarshal(data, lock); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path.Join(emit.Dir, emit.LockFile), err)
		}
	}
	diff, ok := tree[emit.DiffFile]
	if !ok {
		return nil, nil, fmt.Errorf("no %s", path.Join(emit.Dir, emit.DiffFile))
	}
	var modPath string
	if data, err := os.ReadFile(filepath.Join(root, "go.mod")); err == nil {
		modPath = modfile.ModulePath(data)
	}
	known := map[string]*rules.Rule{}
	if builtin, err := rules.Builtin(); err == nil {
		for _, r := range builtin {
			known[r.ID] = r
		}
	}
	if set, err := rewriter.RuleSet(root); err == nil {
		for _, r := range set.Rules {
			known[r.ID] = r
		}
	}
	read := func(p string) ([]byte, bool) {
		data, ok := tree[p]
		return data, ok
	}
	return newTreeState(lock, diff, modPath, read, known), diff, nil
}

// gitTreeState reads _otel/ as it is at ref, in the git repository that
// holds the module root (which may be a subdirectory of the repository).
// The state has no lock when _otel/ did not exist at ref.
func gitTreeState(root, ref, modPath string) (*treeState, error) {
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
	first, err := gitrepo.CatFiles(root, []string{at(lockName), at(diffName), at(rewriter.ConfigFile), at("go.mod")})
	if err != nil {
		return nil, err
	}
	if data, ok := first[at("go.mod")]; ok {
		if p := modfile.ModulePath(data); p != "" {
			modPath = p
		}
	}
	known := map[string]*rules.Rule{}
	if builtin, err := rules.Builtin(); err == nil {
		for _, r := range builtin {
			known[r.ID] = r
		}
	}
	if data, ok := first[at(rewriter.ConfigFile)]; ok {
		cfg, err := rules.ParseConfig(rewriter.ConfigFile, data, func(rel string) ([]byte, error) {
			files, err := gitrepo.CatFiles(root, []string{at(path.Clean(rel))})
			if err != nil {
				return nil, err
			}
			data, ok := files[at(path.Clean(rel))]
			if !ok {
				return nil, fmt.Errorf("%s does not exist at %s", rel, ref)
			}
			return data, nil
		})
		if err == nil {
			for _, r := range cfg.Rules {
				known[r.ID] = r
			}
		}
	}
	none := func(string) ([]byte, bool) { return nil, false }
	lockData, ok := first[at(lockName)]
	if !ok {
		return newTreeState(nil, nil, modPath, none, known), nil
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
	return newTreeState(lock, first[at(diffName)], modPath, read, known), nil
}
