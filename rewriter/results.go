package rewriter

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/otelgen/otelgen/internal/lockfile"
	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rewriter/load"
	"github.com/otelgen/otelgen/rewriter/match"
	"github.com/otelgen/otelgen/rewriter/rewrite"
	"github.com/otelgen/otelgen/rewriter/typecheck"
	"github.com/otelgen/otelgen/templates"
	"golang.org/x/tools/go/packages"
)

// What rewrite.Package made of a package, and bind.Check found right, is
// kept in otelgen's cache under a key of everything that went into it: the
// build of otelgen, the package and its dependencies (typecheck's key), the
// rules that matched it, and the hook and wrapper packages they name. A
// generate that meets the same package with the same rules again, as every
// program meets runtime and net/http, takes the result and skips the check
// from source that the rewrite needs, and with it the types of the
// package's dependencies.

// savedRewrite is a rewrite.Result as the cache holds it.
type savedRewrite struct {
	Files []savedFile
	Hooks []savedHook
}

type savedFile struct {
	Name       string // in the package's directory
	Original   string // SHA-256 of the original; "" for an added file
	Output     []byte
	Rules      []string
	Injections []emit.Injection
}

type savedHook struct {
	Rule string
	Tmpl *templates.Hook
}

// resultKey is the cache's name for the rewrite of package id by the rules
// of ms, or "" when an input has no key (see typecheck.Universe.Key).
func resultKey(u *typecheck.Universe, prog *load.Program, build, id string, ms []*match.Match) string {
	k := u.Key(id)
	if k == "" {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "rewrite 1\nbuild %s\npackage %s\n", build, k)
	for _, m := range ms {
		m.Rule.WriteDigest(h)
		for _, fr := range m.Rule.Refs() {
			p := prog.ByPath(fr.Ref.Package)
			if p == nil {
				return ""
			}
			pk := u.Key(p.ID)
			if pk == "" {
				return ""
			}
			fmt.Fprintf(h, "uses %s %s\n", fr.Ref.Package, pk)
		}
	}
	return "rewrite " + hex.EncodeToString(h.Sum(nil))
}

// loadResult returns the rewrite of pkg by ms kept under key, if any. Its
// hooks have no Func: they were bound already.
func loadResult(cache *typecheck.Cache, key string, pkg *packages.Package, ms []*match.Match) (*rewrite.Result, bool) {
	data, ok := cache.Get(key)
	if !ok {
		return nil, false
	}
	var saved savedRewrite
	if json.Unmarshal(data, &saved) != nil {
		return nil, false
	}
	res := &rewrite.Result{}
	for _, f := range saved.Files {
		out := &rewrite.File{Pkg: pkg, Path: filepath.Join(pkg.Dir, f.Name), Output: f.Output, Rules: f.Rules, Injections: f.Injections}
		if f.Original != "" {
			orig, err := os.ReadFile(out.Path)
			if err != nil || lockfile.Hash(orig) != f.Original {
				return nil, false
			}
			out.Original = orig
		}
		res.Files = append(res.Files, out)
	}
	for _, sh := range saved.Hooks {
		var h *rewrite.Hook
		for _, m := range ms {
			if m.Rule.ID == sh.Rule && sh.Tmpl != nil {
				h = &rewrite.Hook{Rule: m.Rule, Pkg: pkg, Tmpl: sh.Tmpl}
			}
		}
		if h == nil {
			return nil, false
		}
		res.Hooks = append(res.Hooks, h)
	}
	return res, true
}

// saveResult keeps res, the rewrite of pkg, under key.
func saveResult(cache *typecheck.Cache, key string, pkg *packages.Package, res *rewrite.Result) {
	var saved savedRewrite
	for _, f := range res.Files {
		if filepath.Dir(f.Path) != pkg.Dir {
			return
		}
		sf := savedFile{Name: filepath.Base(f.Path), Output: f.Output, Rules: f.Rules, Injections: f.Injections}
		if f.Original != nil {
			sf.Original = lockfile.Hash(f.Original)
		}
		saved.Files = append(saved.Files, sf)
	}
	for _, h := range res.Hooks {
		saved.Hooks = append(saved.Hooks, savedHook{h.Rule.ID, h.Tmpl})
	}
	data, err := json.Marshal(saved)
	if err != nil {
		return
	}
	cache.Put(key, data)
}
