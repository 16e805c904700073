// Package lockfile reads the committed _otel/ tree's lock and writes the
// machine-local overlay.json from it, after checking that every original is
// still the one the tree was generated from. It imports only the standard
// library, so that cmd/otelgen-overlay, which a CI job compiles before its
// build, stays small; package emit, which writes the tree, builds on it.
package lockfile

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Dir is the name of the committed tree, at the module root.
const Dir = "_otel"

// Names of files in _otel/.
const (
	LockFile    = "otelgen.lock"
	OverlayFile = "overlay.json" // machine-local
	GoModFile   = "go.mod"       // the main module's go.mod as the build sees it, when otelgen changes it
	GoSumFile   = "go.sum"
)

// Lock is otelgen.lock: what was generated from what.
type Lock struct {
	Otelgen     string `json:"otelgen"`
	Go          string `json:"go"`
	RulesDigest string `json:"rules_digest"`
	// TargetsDigest covers what of the program the output depends on: the
	// packages that rules name (in the build or not, which files, which
	// module version), which main package reaches which of them, and the
	// files holding directives. With the hashes below, it lets a fresh
	// clone's check or generate skip loading when the tree is up to date.
	TargetsDigest string `json:"targets_digest,omitempty"`
	// HookPackages are the hook packages loaded besides the program.
	HookPackages []string   `json:"hook_packages,omitempty"`
	DiffSHA256   string     `json:"diff_sha256"`
	Vendor       bool       `json:"vendor,omitempty"`
	Patterns     []string   `json:"patterns"`
	Platforms    []string   `json:"platforms,omitempty"` // GOOS/GOARCH covered; none: the host's
	GoMod        *ModRecord `json:"go_mod,omitempty"`
	Replaced     []string   `json:"replaced_modules,omitempty"` // "path@version" served from _otel/mod/
	// Workspace maps the modules whose files are read from a directory of
	// their own, outside this module and the module cache, to that
	// directory, relative to this module's root: the other modules of a
	// go.work workspace, and those that go.mod replaces with a directory
	// outside the module root when a rule rewrites one of their files.
	Workspace map[string]string `json:"workspace,omitempty"`
	Files     []LockEntry       `json:"files"`
}

// ModRecord ties an overlaid go.mod and go.sum to the originals they extend.
type ModRecord struct {
	GoModSHA256  string `json:"go_mod_sha256"` // the module's own go.mod
	GoSumSHA256  string `json:"go_sum_sha256"`
	OutModSHA256 string `json:"overlaid_go_mod_sha256"` // _otel/go.mod
	OutSumSHA256 string `json:"overlaid_go_sum_sha256"`
}

// LockEntry is one file of the tree.
type LockEntry struct {
	Path           string      `json:"path"`
	OriginalSHA256 string      `json:"original_sha256,omitempty"` // empty for an added file
	OutputSHA256   string      `json:"output_sha256"`
	Rules          []string    `json:"rules"`
	Injections     []Injection `json:"injections,omitempty"`
}

// Injection is one thing a rule put into a file, recorded as generate makes
// it, so that diff, explain and comment need not read it back from the code.
type Injection struct {
	Rule string `json:"rule"`
	Kind string `json:"kind"` // one of the Inj* constants
	// Target names what was instrumented: a function ("(*T).M"), a
	// "Struct.field", or the added file's name.
	Target string `json:"target"`
	Line   int    `json:"line"` // in the instrumented file; 1 for an added file
}

// Hash is the hex sha256 of data.
func Hash(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// ReadLock reads _otel/otelgen.lock under root.
func ReadLock(root string) (*Lock, error) {
	data, err := os.ReadFile(filepath.Join(root, Dir, LockFile))
	if err != nil {
		return nil, err
	}
	var l Lock
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(Dir, LockFile), err)
	}
	return &l, nil
}

// Kinds of origin of a logical path (see package emit for the scheme).
const (
	FromStd  = "std"
	FromMod  = "mod"
	FromWork = "work"
	FromMain = "main"
)

// Origin returns where a logical path's original comes from (FromStd, ...)
// and the rest of the path after that first element; "" for a path of no
// known origin.
func Origin(logical string) (from, rest string) {
	from, rest, _ = strings.Cut(logical, "/")
	switch from {
	case FromStd, FromMod, FromWork, FromMain:
		return from, rest
	}
	return "", logical
}

// SplitMod splits "mod/<module>@<version>/<rel>" into its parts.
func SplitMod(logical string) (mod, version, rel string, ok bool) {
	rest, ok := strings.CutPrefix(logical, FromMod+"/")
	if !ok {
		return "", "", "", false
	}
	at := strings.Index(rest, "@")
	if at < 0 {
		return "", "", "", false
	}
	mod = rest[:at]
	version, rel, ok = strings.Cut(rest[at+1:], "/")
	return mod, version, rel, ok
}

// Places are the machine's directories that logical paths resolve against.
type Places struct {
	Root       string // module root
	GOROOT     string
	GOMODCACHE string
}

// Original returns the absolute path of the original that a logical path
// names, and, for a module dependency served from _otel/mod/, false for
// needsKey: that file is read from _otel/ itself.
func (pl Places) Original(lock *Lock, logical string) (path string, needsKey bool, err error) {
	switch from, rest := Origin(logical); from {
	case FromStd:
		return filepath.Join(pl.GOROOT, "src", filepath.FromSlash(rest)), true, nil
	case FromMain:
		return filepath.Join(pl.Root, filepath.FromSlash(rest)), true, nil
	case FromWork:
		// The longest module path of the workspace that prefixes it.
		best := ""
		for mod := range lock.Workspace {
			if strings.HasPrefix(rest, mod+"/") && len(mod) > len(best) {
				best = mod
			}
		}
		if best == "" {
			return "", false, fmt.Errorf("%s: no module of the workspace in %s holds it", logical, LockFile)
		}
		dir := filepath.Join(pl.Root, filepath.FromSlash(lock.Workspace[best]))
		return filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(rest, best+"/"))), true, nil
	}
	mod, ver, rel, ok := SplitMod(logical)
	if !ok {
		return "", false, fmt.Errorf("%s: not a logical path of otelgen's", logical)
	}
	if lock.Vendor {
		return filepath.Join(pl.Root, "vendor", filepath.FromSlash(mod), filepath.FromSlash(rel)), true, nil
	}
	dir, err := pl.ModDir(mod, ver)
	if err != nil {
		return "", false, err
	}
	return filepath.Join(dir, filepath.FromSlash(rel)), false, nil
}

// ModDir is where the module cache keeps a module version.
func (pl Places) ModDir(mod, ver string) (string, error) {
	emod, err := escape(mod)
	if err != nil {
		return "", err
	}
	ever, err := escape(ver)
	if err != nil {
		return "", err
	}
	return filepath.Join(pl.GOMODCACHE, filepath.FromSlash(emod)+"@"+ever), nil
}

// escape is the module cache's case encoding of a module path or version
// (golang.org/x/mod/module.EscapePath): each upper-case letter becomes '!'
// and its lower case, so that the cache works on case-insensitive file
// systems.
func escape(s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '!' || r >= 0x80:
			return "", fmt.Errorf("%q: not a module path or version", s)
		case 'A' <= r && r <= 'Z':
			b.WriteByte('!')
			b.WriteRune(r + ('a' - 'A'))
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), nil
}

// StaleError lists originals that no longer match the lock.
type StaleError struct{ Files []string }

func (e *StaleError) Error() string {
	return fmt.Sprintf("%d original(s) changed since otelgen generate (a Go, dependency or go.mod change?):\n\t%s\nrun: otelgen generate",
		len(e.Files), strings.Join(e.Files, "\n\t"))
}

// Overlay computes the -overlay mapping for a committed tree, after checking
// that every original is still the one the tree was generated from.
func (pl Places) Overlay(lock *Lock) (map[string]string, error) {
	otel := filepath.Join(pl.Root, Dir)
	replace := map[string]string{}
	var stale, missing []string
	for _, e := range lock.Files {
		orig, needsKey, err := pl.Original(lock, e.Path)
		if err != nil {
			return nil, err
		}
		if e.OriginalSHA256 != "" {
			data, err := os.ReadFile(orig)
			if err != nil || Hash(data) != e.OriginalSHA256 {
				stale = append(stale, e.Path)
				continue
			}
		}
		if needsKey {
			replace[orig] = filepath.Join(otel, filepath.FromSlash(e.Path))
		} else if _, err := os.Lstat(filepath.Join(otel, filepath.FromSlash(e.Path))); err != nil {
			// Below _otel/mod/ a missing file would leave its package
			// short of it: refuse, as for a stale one.
			missing = append(missing, e.Path)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%d file(s) of %s/ listed in %s are missing:\n\t%s\nrun: otelgen generate", len(missing), Dir, LockFile, strings.Join(missing, "\n\t"))
	}
	if lock.GoMod != nil {
		for _, f := range []struct{ name, sum string }{{GoModFile, lock.GoMod.GoModSHA256}, {GoSumFile, lock.GoMod.GoSumSHA256}} {
			data, _ := os.ReadFile(filepath.Join(pl.Root, f.name))
			if Hash(data) != f.sum {
				stale = append(stale, f.name)
			}
			replace[filepath.Join(pl.Root, f.name)] = filepath.Join(otel, f.name)
		}
	}
	if len(stale) > 0 {
		return nil, &StaleError{stale}
	}
	// A dependency with rewritten files is served from _otel/mod/ through a
	// replace directive in the overlaid go.mod, because the go command
	// refuses overlay keys in the module cache. See serve.
	inTree := map[string]bool{} // the files of _otel/, by logical path
	for _, e := range lock.Files {
		inTree[e.Path] = true
	}
	for _, mv := range lock.Replaced {
		mod, ver, _ := strings.Cut(mv, "@")
		src, err := pl.ModDir(mod, ver)
		if err != nil {
			return nil, err
		}
		prefix := FromMod + "/" + mv + "/"
		s := server{
			src:       src,
			dst:       filepath.Join(otel, FromMod, filepath.FromSlash(mv)),
			rewritten: func(rel string) bool { return inTree[prefix+rel] },
			real:      map[string]bool{".": true},
			replace:   replace,
		}
		for p := range inTree {
			if rel, ok := strings.CutPrefix(p, prefix); ok {
				for d := path.Dir(rel); !s.real[d]; d = path.Dir(d) {
					s.real[d] = true
				}
			}
		}
		if err := os.MkdirAll(s.dst, 0o755); err != nil {
			return nil, err
		}
		if err := s.serve("."); err != nil {
			return nil, fmt.Errorf("module %s is not in the module cache (run: go mod download %s): %w", mv, mv, err)
		}
	}
	return replace, nil
}

// A server lays out one replaced module below _otel/mod/ for the build.
//
// The go command wants every package directory of the build to exist (go
// vet, and so go test, run in it), and each of a replaced module's files
// to be there or mapped by the overlay. The directories that hold a
// rewritten file, and their parents, are real directories: their other
// files are mapped to the module cache. Every other directory is a
// symbolic link to the module cache's, which needs no overlay entry for
// its files and no directory made for each of its own: the OTel API's
// module has over 300, most of them semantic-convention versions, and
// making them cost more than the rest of a first generate's writes. Where
// a link cannot be made (a real directory is there, left by an older
// otelgen, or the system refuses links), the directory is made real.
type server struct {
	src, dst  string
	rewritten func(rel string) bool // a file of the tree stands for itself
	real      map[string]bool       // directories made real, slash-separated, relative
	replace   map[string]string     // the overlay
}

// serve lays out the real directory rel, which exists below dst.
func (s server) serve(rel string) error {
	from, to := filepath.Join(s.src, filepath.FromSlash(rel)), filepath.Join(s.dst, filepath.FromSlash(rel))
	entries, err := os.ReadDir(from)
	if err != nil {
		return err
	}
	for _, e := range entries {
		r := path.Join(rel, e.Name())
		if !e.IsDir() {
			if !s.rewritten(r) {
				s.replace[filepath.Join(to, e.Name())] = filepath.Join(from, e.Name())
			}
			continue
		}
		if !s.real[r] && link(filepath.Join(from, e.Name()), filepath.Join(to, e.Name())) {
			continue
		}
		if err := os.Mkdir(filepath.Join(to, e.Name()), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
		if err := s.serve(r); err != nil {
			return err
		}
	}
	return nil
}

// link makes at a symbolic link to the directory target, unless it is one
// already, and reports whether at is one.
func link(target, at string) bool {
	if cur, err := os.Readlink(at); err == nil {
		if cur == target {
			return true
		}
		if os.Remove(at) != nil {
			return false
		}
	}
	return os.Symlink(target, at) == nil
}

// WriteOverlay writes _otel/overlay.json for the committed tree under root.
func (pl Places) WriteOverlay(lock *Lock) (string, error) {
	path := filepath.Join(pl.Root, Dir, OverlayFile)
	m, err := pl.Overlay(lock)
	if err != nil {
		// A stale overlay would build outdated copies: better no build.
		os.Remove(path)
		return "", err
	}
	data, err := MarshalOverlay(m)
	if err != nil {
		return "", err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return "", err
	}
	return path, os.Rename(tmp, path)
}

// MarshalOverlay renders the overlay JSON, keys sorted.
func MarshalOverlay(m map[string]string) ([]byte, error) {
	data, err := json.MarshalIndent(struct{ Replace map[string]string }{m}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
