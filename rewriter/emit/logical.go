package emit

import (
	"path"
	"path/filepath"

	"github.com/otelgen/otelgen/internal/lockfile"
)

// Logical paths name a file of _otel/ by where its original comes from,
// never by a machine path:
//
//	std/<dir>/<file>                     the standard library
//	mod/<module>@<version>/<dir>/<file>  a module dependency
//	work/<module>/<dir>/<file>           another module of the go.work workspace,
//	                                     or one go.mod replaces with a directory
//	main/<dir>/<file>                    the main module
//
// This file and package lockfile are the only ones that write or read that
// scheme.

// Kinds of origin of a logical path.
const (
	FromStd  = lockfile.FromStd
	FromMod  = lockfile.FromMod
	FromWork = lockfile.FromWork
	FromMain = lockfile.FromMain
)

// StdPath is the logical path of a file of the standard library.
func StdPath(rel string) string { return path.Join(FromStd, filepath.ToSlash(rel)) }

// ModPath is the logical path of a file of a module dependency.
func ModPath(mod, version, rel string) string {
	return path.Join(FromMod, mod+"@"+version, filepath.ToSlash(rel))
}

// WorkPath is the logical path of a file of another module of the go.work
// workspace.
func WorkPath(mod, rel string) string { return path.Join(FromWork, mod, filepath.ToSlash(rel)) }

// MainPath is the logical path of a file of the main module.
func MainPath(rel string) string { return path.Join(FromMain, filepath.ToSlash(rel)) }

// Origin returns where a logical path's original comes from (FromStd, ...)
// and the rest of the path after that first element; "" for a path of no
// known origin.
func Origin(logical string) (from, rest string) { return lockfile.Origin(logical) }

// SplitMod splits "mod/<module>@<version>/<rel>" into its parts.
func SplitMod(logical string) (mod, version, rel string, ok bool) { return lockfile.SplitMod(logical) }

// PackageOf returns the import path of the package that a logical path's
// file belongs to; modPath is the main module's path. For a file of a
// workspace module, the path after work/ is the import path already.
func PackageOf(logical, modPath string) string {
	from, rest := Origin(logical)
	switch from {
	case FromMod:
		if mod, _, rel, ok := SplitMod(logical); ok {
			if d := path.Dir(rel); d != "." {
				return mod + "/" + d
			}
			return mod
		}
	case FromMain:
		d := path.Dir(rest)
		if d == "." {
			d = ""
		}
		switch {
		case modPath == "":
			return d
		case d == "":
			return modPath
		}
		return modPath + "/" + d
	}
	return path.Dir(rest)
}
