package typecheck

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// demandModule is a module whose dependency, example.com/lib (a directory
// that go.mod replaces it with), has a package wide enough to be checked
// for what its importer names: user names big.A and big.T, in a
// declaration, a body and a comment.
func demandModule() map[string]string {
	files := map[string]string{
		"go.mod":         "module example.com/m\n\ngo 1.22\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ./lib\n",
		"main.go":        "package main\n\nimport (\n\t\"example.com/lib/other\"\n\t\"example.com/lib/user\"\n)\n\nvar _, _ = user.V, other.N\n\nfunc main() {}\n",
		"lib/other/o.go": "package other\n\nconst N = 1\n",
		"lib/go.mod":     "module example.com/lib\n\ngo 1.22\n",
		"lib/user/u.go": `package user

import "example.com/lib/big"

// V is what big.T holds.
var V big.T

func f() int { return big.A() }
`,
	}
	// Wide enough: 8 files of 16 KB and more, of comments.
	pad := strings.Repeat("// "+strings.Repeat("x", 60)+"\n", demandMinBytes/8/64+1)
	for i := range 8 {
		files[fmt.Sprintf("lib/big/f%d.go", i)] = fmt.Sprintf("package big\n\n%sfunc Unnamed%d() int { return %d }\n", pad, i, i)
	}
	files["lib/big/named.go"] = "package big\n\ntype T struct{ n inner }\n\ntype inner int\n\nfunc A() int { return 1 }\n\nfunc B() int { return 2 }\n\nconst C = 3\n"
	return files
}

// TestDemand checks which names of a dependency its check keeps: those its
// importers spell, anywhere in their text, and what those reach, whether
// an importer is rewritten or not; or every exported name, when the
// package is marked Whole.
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
	if got := names(whole); len(got) != 8+5 {
		t.Errorf("big, asked for whole: %v, want every exported name and inner", got)
	}
	if got, want := names(cacheUniverse(pkgs, nil, testSalt, user)), []string{"A", "T", "inner"}; !slices.Equal(got, want) {
		t.Errorf("big, with its importer rewritten: %v, want %v", got, want)
	}
	d := cacheUniverse(pkgs, nil, testSalt).demandOf(big)
	if d == nil || !slices.Equal(slices.Sorted(maps.Keys(d.names)), []string{"A", "T"}) {
		t.Errorf("demand of big: %v, want A and T", d)
	}
	// What rules add to an importer counts: a statement (big.B, in
	// user's files' name for the package), a file that imports it anew
	// (to other, which did not import it).
	added := cacheUniverse(pkgs, nil, testSalt, user)
	added.AddCode(user, "_ = big.B()")
	added.AddFile("example.com/lib/other", []byte("package other\n\nimport b \"example.com/lib/big\"\n\nvar _ = b.C\n"))
	if got, want := names(added), []string{"A", "B", "C", "T", "inner"}; !slices.Equal(got, want) {
		t.Errorf("big, with code that rules add: %v, want %v", got, want)
	}
	if d := cacheUniverse(pkgs, nil, testSalt).demandOf(user); d != nil {
		t.Errorf("demand of user, a small package: %v, want none", d)
	}
}

func TestSpelled(t *testing.T) {
	names := map[string]bool{}
	spelled([]byte("x := big.A(); y := notbig.B; // big.C\ns := \"big.D\"; big.\nbig.E"), "big", names)
	if got, want := slices.Sorted(maps.Keys(names)), []string{"A", "C", "D", "E"}; !slices.Equal(got, want) {
		t.Errorf("spelled: %v, want %v", got, want)
	}
}
