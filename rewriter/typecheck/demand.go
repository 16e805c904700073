package typecheck

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// A dependency that many importers do not need whole is checked for what
// they can name: golang.org/x/sys/unix, thousands of exported constants and
// system call wrappers, is imported by gRPC for three types. The names a
// package's importers spell ("unix.Timeval") in the whole of their text,
// bodies and comments included, bound what any check of this run can ask of
// it, since no code that otelgen adds or rewrites names it: a package with
// an importer that a rule rewrites, or that is the module's own (which an
// edit changes), or that imports it as ".", is checked for its exported
// names as before. Reading the importers costs, so only a package with many
// files and importers with few are so checked.

// Limits on the packages checked for their importers' names (see
// demandOf): at least demandMinFiles files, importers with at most
// demandMaxImporterFiles between them.
const (
	demandMinFiles         = 8
	demandMaxImporterFiles = 120
)

// A demand is what the importers of a package name of it.
type demand struct {
	names  map[string]bool
	digest string // of the sorted names, for the cache key
}

// demandOf returns what the importers of package id name of it, or nil
// when it is to be checked for its exported names.
func (u *Universe) demandOf(id string) *demand {
	u.demandOnce.Do(u.indexImporters)
	u.demandMu.Lock()
	d, ok := u.demands[id]
	u.demandMu.Unlock()
	if ok {
		return d
	}
	d = u.findDemand(id)
	u.demandMu.Lock()
	u.demands[id] = d
	u.demandMu.Unlock()
	return d
}

// indexImporters records which packages of the load import each one.
func (u *Universe) indexImporters() {
	u.importers = map[string][]string{}
	u.demands = map[string]*demand{}
	for id, p := range u.pkgs {
		for _, dep := range p.Imports {
			u.importers[dep.ID] = append(u.importers[dep.ID], id)
		}
	}
	for _, ids := range u.importers {
		slices.Sort(ids)
	}
}

// Whole says that otelgen asks for packages ids by name, whatever their
// importers name of them (hook packages, which rewritten code calls):
// they are checked for their exported names. Call it before the first
// check.
func (u *Universe) Whole(ids ...string) {
	if u.whole == nil {
		u.whole = map[string]bool{}
	}
	for _, id := range ids {
		u.whole[id] = true
	}
}

// findDemand is demandOf, uncached.
func (u *Universe) findDemand(id string) *demand {
	p := u.pkgs[id]
	if p == nil || u.source[id] || u.whole[id] || len(p.GoFiles) < demandMinFiles || len(p.Errors) > 0 || p.Module != nil && p.Module.Main {
		return nil
	}
	files := 0
	for _, imp := range u.importers[id] {
		q := u.pkgs[imp]
		if q == nil || u.source[imp] || len(q.Errors) > 0 || q.Module != nil && q.Module.Main {
			return nil
		}
		files += len(q.GoFiles)
	}
	if files > demandMaxImporterFiles {
		return nil
	}
	names := map[string]bool{}
	for _, imp := range u.importers[id] {
		q := u.pkgs[imp]
		path := ""
		for ipath, dep := range q.Imports {
			if dep.ID == id {
				path = ipath
			}
		}
		for _, name := range q.GoFiles {
			data, err := u.read(name)
			if err != nil {
				return nil
			}
			f, err := parser.ParseFile(token.NewFileSet(), name, data, parser.ImportsOnly|parser.SkipObjectResolution)
			if err != nil {
				return nil
			}
			for _, spec := range f.Imports {
				if ip, err := strconv.Unquote(spec.Path.Value); err != nil || ip != path {
					continue
				}
				local := p.Name
				if spec.Name != nil {
					local = spec.Name.Name
				}
				switch local {
				case ".":
					return nil
				case "_":
					continue
				}
				spelled(data, local, names)
			}
		}
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	slices.Sort(sorted)
	sum := sha256.Sum256([]byte(strings.Join(sorted, "\n")))
	return &demand{names: names, digest: hex.EncodeToString(sum[:8])}
}

// spelled adds to names every identifier that src spells after "pkg.",
// where pkg starts an identifier: whatever the text, strings and comments
// included, a superset of the names the code takes from the package.
func spelled(src []byte, pkg string, names map[string]bool) {
	prefix := []byte(pkg + ".")
	for i := 0; ; {
		j := bytes.Index(src[i:], prefix)
		if j < 0 {
			return
		}
		at := i + j
		i = at + len(prefix)
		if at > 0 && isIdent(src[at-1]) {
			continue
		}
		end := i
		for end < len(src) && isIdent(src[end]) {
			end++
		}
		if end > i {
			names[string(src[i:end])] = true
		}
	}
}

// demandState is the universe's record of demands (see demandOf).
type demandState struct {
	demandOnce sync.Once
	importers  map[string][]string // by ID, the IDs of the packages that import it
	demandMu   sync.Mutex
	demands    map[string]*demand // by ID; nil for a package checked for its exported names
	whole      map[string]bool    // see Whole
}
