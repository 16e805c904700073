package emit

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"
)

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
	emod, err := module.EscapePath(mod)
	if err != nil {
		return "", err
	}
	ever, err := module.EscapeVersion(ver)
	if err != nil {
		return "", err
	}
	return filepath.Join(pl.GOMODCACHE, filepath.FromSlash(emod)+"@"+ever), nil
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
	var stale []string
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
		}
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
	// refuses overlay keys in the module cache. Its other files are mapped
	// from there to their originals.
	for _, mv := range lock.Replaced {
		mod, ver, _ := strings.Cut(mv, "@")
		src, err := pl.ModDir(mod, ver)
		if err != nil {
			return nil, err
		}
		dst := filepath.Join(otel, "mod", filepath.FromSlash(mv))
		err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(src, p)
			if d.IsDir() {
				// go vet and go test want the directories to exist.
				return os.MkdirAll(filepath.Join(dst, rel), 0o755)
			}
			target := filepath.Join(dst, rel)
			if _, err := os.Lstat(target); err == nil {
				return nil // rewritten: the file in _otel/ stands for itself
			}
			replace[target] = p
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("module %s is not in the module cache (run: go mod download %s): %w", mv, mv, err)
		}
	}
	return replace, nil
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
