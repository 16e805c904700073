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
// bodies and comments included, and in what rules add to them (AddCode,
// AddFile), bound what any check of this run can ask of it: the rest of a
// rewrite, a hook's glue, names the hook packages and types that the
// target's or the hook's signature spells. A package is checked for its
// exported names as before when an importer is the module's own (each
// edit would change what it names) or imports it as ".", and when otelgen
// asks for it by name (Whole: the hook packages). Reading the importers
// costs, so only a package with much text and importers with few files
// are so checked.

// Limits on the packages checked for their importers' names (see
// demandOf): at least demandMinBytes of Go files, importers with at most
// demandMaxImporterFiles files between them.
const (
	demandMinBytes         = 128 << 10
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

// indexImporters records which packages of the load import each one, the
// files that rules add among them (see AddFile).
func (u *Universe) indexImporters() {
	u.importers = map[string][]string{}
	u.demands = map[string]*demand{}
	seen := map[[2]string]bool{}
	edge := func(from, to string) {
		if !seen[[2]string{from, to}] {
			seen[[2]string{from, to}] = true
			u.importers[to] = append(u.importers[to], from)
		}
	}
	for id, p := range u.pkgs {
		for _, dep := range p.Imports {
			edge(id, dep.ID)
		}
	}
	for id, files := range u.added {
		for _, content := range files {
			f, err := parser.ParseFile(token.NewFileSet(), "", content, parser.ImportsOnly|parser.SkipObjectResolution)
			if err != nil {
				continue // the rewrite reports it
			}
			for _, spec := range f.Imports {
				if path, err := strconv.Unquote(spec.Path.Value); err == nil {
					if dep, ok := u.byPath[path]; ok {
						edge(id, dep)
					}
				}
			}
		}
	}
	for _, ids := range u.importers {
		slices.Sort(ids)
	}
}

// AddCode records code that rules put into the files of package id
// (inserted statements, the types of added fields): what it names of the
// packages those files import counts as theirs (see demandOf). Call it
// before the first check.
func (u *Universe) AddCode(id string, code string) {
	if u.code == nil {
		u.code = map[string][]string{}
	}
	u.code[id] = append(u.code[id], code)
}

// AddFile records a Go file that a rule adds to package id: what it names
// of the packages it imports counts as the package's (see demandOf). Call
// it before the first check.
func (u *Universe) AddFile(id string, content []byte) {
	if u.added == nil {
		u.added = map[string][][]byte{}
	}
	u.added[id] = append(u.added[id], content)
}

// Whole says that packages ids may be asked for any name, whatever their
// importers spell of them (the hook packages, which otelgen asks for by
// name): they are checked for their exported names. Call it before the
// first check.
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
	if p == nil || u.source[id] || u.whole[id] || len(p.Errors) > 0 || p.Module != nil && p.Module.Main {
		return nil
	}
	files := 0
	for _, imp := range u.importers[id] {
		q := u.pkgs[imp]
		if q == nil || len(q.Errors) > 0 || q.Module != nil && q.Module.Main {
			return nil
		}
		files += len(q.GoFiles) + len(u.added[imp])
	}
	if files > demandMaxImporterFiles {
		return nil
	}
	size := int64(0)
	for _, name := range p.GoFiles {
		n, err := u.size(name)
		if err != nil {
			return nil
		}
		size += n
	}
	if size < demandMinBytes {
		return nil
	}
	names := map[string]bool{}
	for _, imp := range u.importers[id] {
		q := u.pkgs[imp]
		paths := map[string]bool{p.PkgPath: true}
		for ipath, dep := range q.Imports {
			if dep.ID == id {
				paths[ipath] = true
			}
		}
		var texts [][]byte
		kept := u.Texts(imp) // a package to rewrite, read already
		for _, name := range q.GoFiles {
			data, ok := kept[name]
			if !ok {
				var err error
				if data, err = u.read(name); err != nil {
					return nil
				}
			}
			texts = append(texts, data)
		}
		texts = append(texts, u.added[imp]...)
		for _, data := range texts {
			f, err := parser.ParseFile(token.NewFileSet(), "", data, parser.ImportsOnly|parser.SkipObjectResolution)
			if err != nil {
				return nil
			}
			for _, spec := range f.Imports {
				if ip, err := strconv.Unquote(spec.Path.Value); err != nil || !paths[ip] {
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
				for _, code := range u.code[imp] {
					spelled([]byte(code), local, names)
				}
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
	demands    map[string]*demand  // by ID; nil for a package checked for its exported names
	whole      map[string]bool     // see Whole
	code       map[string][]string // by ID: see AddCode
	added      map[string][][]byte // by ID: see AddFile
}
