package typecheck

import (
	"fmt"
	"maps"
	"slices"
	"testing"
)

// demandModule is a module whose dependency, example.com/lib (a directory
// that go.mod replaces it with), has a package wide enough to be checked
// for what its importer names: user names big.A and big.T, in a
// declaration, a body and a comment.
func demandModule() map[string]string {
	files := map[string]string{
		"go.mod":     "module example.com/m\n\ngo 1.22\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ./lib\n",
		"main.go":    "package main\n\nimport \"example.com/lib/user\"\n\nvar _ = user.V\n\nfunc main() {}\n",
		"lib/go.mod": "module example.com/lib\n\ngo 1.22\n",
		"lib/user/u.go": `package user

import "example.com/lib/big"

// V is what big.T holds.
var V big.T

func f() int { return big.A() }
`,
	}
	for i := range demandMinFiles {
		files[fmt.Sprintf("lib/big/f%d.go", i)] = fmt.Sprintf("package big\n\nfunc Unnamed%d() int { return %d }\n", i, i)
	}
	files["lib/big/named.go"] = "package big\n\ntype T struct{ n inner }\n\ntype inner int\n\nfunc A() int { return 1 }\n\nfunc B() int { return 2 }\n\nconst C = 3\n"
	return files
}

// TestDemand checks which names of a dependency its check keeps: those its
// importers spell, anywhere in their text, and what those reach; or every
// exported name, when otelgen asks for the package by name (Whole), or one
// of its importers is rewritten.
func TestDemand(t *testing.T) {
	pkgs, _ := loadModule(t, demandModule())
	const big, user = "example.com/lib/big", "example.com/lib/user"
	names := func(u *Universe) []string {
		t.Helper()
		var tp interface {
			Scope() interface{ Names() []string }
		}
		_ = tp
		var got []string
		within(t, func() {
			p, err := u.Package(big)
			if err != nil {
				t.Fatal(err)
			}
			got = p.Scope().Names()
		})
		return got
	}
	if got, want := names(cacheUniverse(pkgs, nil, testSalt)), []string{"A", "T", "inner"}; !slices.Equal(got, want) {
		t.Errorf("big, checked for its importer: %v, want %v", got, want)
	}
	whole := cacheUniverse(pkgs, nil, testSalt)
	whole.Whole(big)
	if got := names(whole); len(got) != demandMinFiles+5 {
		t.Errorf("big, asked for whole: %v, want every exported name and inner", got)
	}
	if got := names(cacheUniverse(pkgs, nil, testSalt, user)); len(got) != demandMinFiles+5 {
		t.Errorf("big, with its importer rewritten: %v, want every exported name and inner", got)
	}
	d := cacheUniverse(pkgs, nil, testSalt).demandOf(big)
	if d == nil || !slices.Equal(slices.Sorted(maps.Keys(d.names)), []string{"A", "T"}) {
		t.Errorf("demand of big: %v, want A and T", d)
	}
	if d := cacheUniverse(pkgs, nil, testSalt).demandOf(user); d != nil {
		t.Errorf("demand of user, one file: %v, want none", d)
	}
}

func TestSpelled(t *testing.T) {
	names := map[string]bool{}
	spelled([]byte("x := big.A(); y := notbig.B; // big.C\ns := \"big.D\"; big.\nbig.E"), "big", names)
	if got, want := slices.Sorted(maps.Keys(names)), []string{"A", "C", "D", "E"}; !slices.Equal(got, want) {
		t.Errorf("spelled: %v, want %v", got, want)
	}
}
