// Package emit is the last stage of the pipeline: it lays the rewritten files
// out under logical paths, writes the lock and the instrumentation diff, and
// swaps the new _otel/ tree in atomically. It also writes the machine-local
// overlay.json from a committed tree, without loading anything.
package emit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/otelgen/otelgen/internal/lockfile"
)

// Dir is the name of the committed tree, at the module root.
const Dir = lockfile.Dir

// Names of the files that _otel/ holds besides the rewritten sources.
const (
	LockFile    = lockfile.LockFile
	DiffFile    = "instrumentation.diff"
	OverlayFile = lockfile.OverlayFile
	StateFile   = "state.json" // machine-local: the inputs digest of the last generate
	IgnoreFile  = ".gitignore"
	GoModFile   = lockfile.GoModFile // the main module's go.mod as the build sees it, when otelgen changes it
	GoSumFile   = lockfile.GoSumFile
)

// File is one rewritten or added source file.
type File struct {
	Logical  string // "std/net/http/client.go", "mod/example.com/m@v1.0.0/x.go", "main/cmd/app/x.go"
	Original []byte // nil for an added file
	Output   []byte
	Rules    []string
	// Injections says what each rule put where in the file.
	Injections []Injection
}

// The lock's types, defined in package lockfile so that the overlay can be
// written without this package.
type (
	Lock      = lockfile.Lock
	ModRecord = lockfile.ModRecord
	LockEntry = lockfile.LockEntry
	Injection = lockfile.Injection
)

// Kinds of injection.
const (
	InjHook     = "hook"     // a jump to a rule's trampolines at the top of a function
	InjInsert   = "insert"   // a statement inserted into a function
	InjField    = "field"    // a field added to a struct type
	InjFile     = "file"     // a file a rule of kind "file" adds to a package
	InjHooks    = "hooks"    // otelgen_hooks.go: the hook variables of a package
	InjRegister = "register" // otelgen_register.go: binds the hooks in a main package
	InjSpan     = "span"     // a span around a function, from a //otel:span directive
	InjCall     = "call"     // a call of a function made a call of a rule's wrapper
)

// Tree is the full content of _otel/ except overlay.json, by slash path
// relative to _otel/.
type Tree map[string][]byte

// Build assembles the tree: sources, go.mod and go.sum when they change, the
// diff, the lock and the .gitignore. files need not be sorted.
func Build(lock *Lock, files []*File, goMod, goSum []byte) (Tree, error) {
	slices.SortFunc(files, func(a, b *File) int { return strings.Compare(a.Logical, b.Logical) })
	t := Tree{}
	lock.Files = nil
	for _, f := range files {
		if _, dup := t[f.Logical]; dup {
			return nil, fmt.Errorf("two files map to %s", f.Logical)
		}
		t[f.Logical] = f.Output
		e := LockEntry{Path: f.Logical, OutputSHA256: Hash(f.Output), Rules: f.Rules, Injections: f.Injections}
		if f.Original != nil {
			e.OriginalSHA256 = Hash(f.Original)
		}
		lock.Files = append(lock.Files, e)
	}
	if goMod != nil {
		t[GoModFile] = goMod
		t[GoSumFile] = goSum
		if lock.GoMod != nil {
			lock.GoMod.OutModSHA256, lock.GoMod.OutSumSHA256 = Hash(goMod), Hash(goSum)
		}
	}
	t[DiffFile] = Diff(files)
	lock.DiffSHA256 = Hash(t[DiffFile])
	lj, err := json.MarshalIndent(lock, "", "  ")
	if err != nil {
		return nil, err
	}
	t[LockFile] = append(lj, '\n')
	t[IgnoreFile] = Ignore
	return t, nil
}

// Ignore is the content of _otel/.gitignore. Below mod/, the overlay links
// the directories that hold no rewritten file to the module cache: only the
// Go files there are the tree's.
var Ignore = []byte("# Machine-local, written by otelgen generate and otelgen overlay.\n/" + OverlayFile + "\n/" + StateFile + "\n" +
	"# Below mod/, the Go files are the tree's; the rest links to the module cache.\n/mod/**\n!/mod/**/\n!/mod/**/*.go\n")

// Hash is the hex sha256 of data.
func Hash(data []byte) string { return lockfile.Hash(data) }

// ReadLock reads _otel/otelgen.lock under root.
func ReadLock(root string) (*Lock, error) { return lockfile.ReadLock(root) }

// ReadTree reads the committed files of _otel/ under root: everything but
// overlay.json, state.json, directories and the links to the module cache
// that the overlay makes below mod/. It returns nil when _otel/ does not
// exist.
func ReadTree(root string) (Tree, error) {
	dir := filepath.Join(root, Dir)
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		return nil, nil
	}
	t := Tree{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Type()&fs.ModeSymlink != 0 {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == OverlayFile || rel == StateFile {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		t[rel] = data
		return nil
	})
	return t, err
}

// State is _otel/state.json: what this machine last generated from. It is
// not committed: the inputs digest covers machine-local things (go env, every
// source file) that must not churn the committed tree.
type State struct {
	InputsDigest string `json:"inputs_digest"`
	TreeDigest   string `json:"tree_digest"`
}

// Digest hashes a whole tree: its paths and contents.
func (t Tree) Digest() string {
	paths := slices.Sorted(maps.Keys(t))
	h := sha256.New()
	for _, p := range paths {
		fmt.Fprintf(h, "%s %s\n", Hash(t[p]), p)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// ReadState reads _otel/state.json under root, or returns nil.
func ReadState(root string) *State {
	data, err := os.ReadFile(filepath.Join(root, Dir, StateFile))
	if err != nil {
		return nil
	}
	var s State
	if json.Unmarshal(data, &s) != nil {
		return nil
	}
	return &s
}

// WriteState writes _otel/state.json under root.
func WriteState(root string, s State) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(root, Dir, StateFile), append(data, '\n'), 0o644)
}

// Compare lists how the tree on disk (have) differs from the one generate
// would write (want), one line a path, sorted.
func Compare(have, want Tree) []string {
	var out []string
	for p, w := range want {
		h, ok := have[p]
		switch {
		case !ok:
			out = append(out, "missing:  "+p)
		case !bytes.Equal(h, w):
			out = append(out, "changed:  "+p)
		}
	}
	for p := range have {
		if _, ok := want[p]; !ok {
			out = append(out, "extra:    "+p)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(a[10:], b[10:]) })
	return out
}

// Write replaces root/_otel with t, atomically where the system allows: the
// new tree is written beside the old one and swapped in, so an interrupted or
// failed run leaves the old tree as it was. An identical tree is left alone.
func Write(root string, t Tree) (changed bool, err error) {
	return WriteContext(context.Background(), root, t)
}

// WriteContext is Write, stopped by ctx: until the new tree is swapped in,
// a done ctx removes what was written and leaves the old tree as it was, and
// WriteContext returns ctx's error.
func WriteContext(ctx context.Context, root string, t Tree) (changed bool, err error) {
	dst := filepath.Join(root, Dir)
	if have, err := ReadTree(root); err == nil && have != nil && len(Compare(have, t)) == 0 {
		return false, nil
	}
	tmp, err := os.MkdirTemp(root, "."+Dir+".new-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(tmp)
	// Carry over the machine-local overlay, so that a build that runs
	// while the tree is swapped still finds one.
	if data, err := os.ReadFile(filepath.Join(dst, OverlayFile)); err == nil {
		os.WriteFile(filepath.Join(tmp, OverlayFile), data, 0o644)
	}
	for _, p := range slices.Sorted(maps.Keys(t)) {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		full := filepath.Join(tmp, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return false, err
		}
		if err := os.WriteFile(full, t[p], 0o644); err != nil {
			return false, err
		}
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if err := swap(tmp, dst); err != nil {
		return false, err
	}
	return true, nil
}
