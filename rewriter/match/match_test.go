package match

import (
	"strings"
	"testing"

	"github.com/otelgen/otelgen/rewriter/load"
	"github.com/otelgen/otelgen/rules"
	"golang.org/x/tools/go/packages"
)

// graph builds a program from "importer: imports..." lines; the first
// package is the root, a package main. A path with "@" names its module
// version, as in "example.com/lib@v1.2.0".
func graph(t *testing.T, lines ...string) *load.Program {
	t.Helper()
	prog := &load.Program{Env: &load.Env{GOVERSION: "go1.26.8"}, All: map[string]*packages.Package{}, InBuild: map[string]bool{}}
	pkg := func(spec string) *packages.Package {
		path, ver, _ := strings.Cut(spec, "@")
		if p, ok := prog.All[path]; ok {
			return p
		}
		p := &packages.Package{ID: path, PkgPath: path, Name: path[strings.LastIndex(path, "/")+1:], Imports: map[string]*packages.Package{}}
		if ver != "" {
			p.Module = &packages.Module{Path: path, Version: ver}
		}
		prog.All[path] = p
		return p
	}
	for i, l := range lines {
		from, to, _ := strings.Cut(l, ":")
		p := pkg(strings.TrimSpace(from))
		for _, imp := range strings.Fields(to) {
			q := pkg(imp)
			p.Imports[q.PkgPath] = q
		}
		if i == 0 {
			p.Name = "main"
			prog.Roots = append(prog.Roots, p)
		}
	}
	packages.Visit(prog.Roots, nil, func(p *packages.Package) { prog.InBuild[p.ID] = true })
	return prog
}

// hookRule is a rule on pkg.F whose before hook is in hookPkg.
func hookRule(t *testing.T, id, pkg, hookPkg, extra string) *rules.Rule {
	t.Helper()
	src := "rules:\n  - id: " + id + "\n    kind: hook\n    package: " + pkg + "\n    function: F\n    before: " + hookPkg + ".B\n" + extra
	rs, err := rules.ParseRules("r.yaml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	return rs[0]
}

func ids(ms []*Match) string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Rule.ID+"@"+m.Pkg.PkgPath)
	}
	return strings.Join(out, " ")
}

func misses(ms []*Miss) string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Rule.ID+": "+m.Reason)
	}
	return strings.Join(out, "; ")
}

func TestRun(t *testing.T) {
	for _, c := range []struct {
		name       string
		graph      []string
		rules      func(t *testing.T) []*rules.Rule
		want, miss string
	}{
		{
			name:  "in the build",
			graph: []string{"example.com/app: example.com/lib@v1.2.0"},
			rules: func(t *testing.T) []*rules.Rule {
				return []*rules.Rule{hookRule(t, "lib", "example.com/lib", "example.com/hooks", "")}
			},
			want: "lib@example.com/lib",
		},
		{
			name:  "not in the build",
			graph: []string{"example.com/app:", "example.com/other: example.com/lib@v1.2.0"},
			rules: func(t *testing.T) []*rules.Rule {
				return []*rules.Rule{hookRule(t, "lib", "example.com/lib", "example.com/hooks", "")}
			},
			miss: "lib: example.com/lib is not in the build",
		},
		{
			name:  "version out of range",
			graph: []string{"example.com/app: example.com/lib@v2.1.0"},
			rules: func(t *testing.T) []*rules.Rule {
				return []*rules.Rule{hookRule(t, "lib", "example.com/lib", "example.com/hooks", "    version: \">=v1.0.0 <v2.0.0\"\n")}
			},
			miss: `lib: example.com/lib v2.1.0 is outside ">=v1.0.0 <v2.0.0"`,
		},
		{
			name:  "Go out of range",
			graph: []string{"example.com/app: strings"},
			rules: func(t *testing.T) []*rules.Rule {
				return []*rules.Rule{hookRule(t, "up", "strings", "example.com/hooks", "    go: \">=1.27\"\n")}
			},
			miss: `up: Go 1.26 is outside ">=1.27"`,
		},
		{
			name:  "main packages",
			graph: []string{"example.com/app: strings"},
			rules: func(t *testing.T) []*rules.Rule {
				return []*rules.Rule{hookRule(t, "m", "main", "example.com/hooks", "")}
			},
			want: "m@example.com/app",
		},
		{
			name: "hook packages join the build",
			// The hook package of rule a imports net/http, which rule b
			// targets: b matches only once a has.
			graph: []string{"example.com/app: example.com/lib@v1.0.0", "example.com/hooks: net/http"},
			rules: func(t *testing.T) []*rules.Rule {
				return []*rules.Rule{
					hookRule(t, "a", "example.com/lib", "example.com/hooks", ""),
					hookRule(t, "b", "net/http", "example.com/other", ""),
				}
			},
			want: "a@example.com/lib b@net/http",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			prog := graph(t, c.graph...)
			res := Run(prog, &rules.Set{Rules: c.rules(t)})
			if got := ids(res.Matches); got != c.want {
				t.Errorf("matches %q, want %q", got, c.want)
			}
			if got := misses(res.Misses); got != c.miss {
				t.Errorf("misses %q, want %q", got, c.miss)
			}
		})
	}
}

// TestFeature checks that a rule of a feature applies only while a matched
// rule needs that feature.
func TestFeature(t *testing.T) {
	prog := graph(t, "example.com/app: runtime example.com/lib@v1.0.0")
	patch := hookRule(t, "patch", "runtime", "example.com/hooks", "")
	patch.Feature = rules.FeatureGLS
	user := hookRule(t, "user", "example.com/lib", "example.com/hooks", "    needs: gls\n")

	res := Run(prog, &rules.Set{Rules: []*rules.Rule{patch}})
	if got := ids(res.Matches); got != "" {
		t.Errorf("alone, the feature's rule matched: %q", got)
	}
	if got := misses(res.Misses); got != "patch: no matched rule needs gls" {
		t.Errorf("misses %q", got)
	}
	res = Run(prog, &rules.Set{Rules: []*rules.Rule{patch, user}})
	if got := ids(res.Matches); got != "user@example.com/lib patch@runtime" {
		t.Errorf("with a rule that needs it: %q", got)
	}
}

// TestOptions checks that a rule of an option applies only when otelgen.yaml
// links the option or the program itself links the option's package; a
// package that only otelgen's own hooks bring in does not count.
func TestOptions(t *testing.T) {
	const miss = "grpc-exporter: option otlp-grpc (for OTEL_EXPORTER_OTLP_PROTOCOL=grpc) is not linked: the program does not link google.golang.org/grpc; to link it, add \"link: [otlp-grpc]\" to otelgen.yaml"
	opt := hookRule(t, "grpc-exporter", "example.com/lib", "example.com/hooks", "    option: otlp-grpc\n")
	for _, c := range []struct {
		name        string
		graph, link []string
		match, miss string
	}{
		{"off", []string{"example.com/app: example.com/lib@v1.0.0"}, nil, "", miss},
		{"linked in otelgen.yaml", []string{"example.com/app: example.com/lib@v1.0.0"}, []string{"otlp-grpc"}, "grpc-exporter@example.com/lib", ""},
		{"the program links grpc", []string{"example.com/app: example.com/lib@v1.0.0 google.golang.org/grpc@v1.0.0"}, nil, "grpc-exporter@example.com/lib", ""},
		{"only a hook links grpc", []string{"example.com/app: example.com/lib@v1.0.0", "example.com/hooks: google.golang.org/grpc@v1.0.0"}, nil, "", miss},
	} {
		t.Run(c.name, func(t *testing.T) {
			prog := graph(t, c.graph...)
			res := Run(prog, &rules.Set{Rules: []*rules.Rule{opt}, Link: c.link})
			if got := ids(res.Matches); got != c.match {
				t.Errorf("matches %q, want %q", got, c.match)
			}
			if got := misses(res.Misses); got != c.miss {
				t.Errorf("misses %q, want %q", got, c.miss)
			}
		})
	}
}
