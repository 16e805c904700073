package rules

import (
	"fmt"
	"go/version"
	"strings"

	"golang.org/x/mod/semver"
)

// Range is a version constraint: comparisons joined by spaces, all of which
// must hold, as in ">=v1.2.0 <v2.0.0" for a module or ">=1.26" for Go.
type Range struct {
	Text  string
	terms []term
	goVer bool
}

type term struct {
	op string // one of >= > <= < =
	v  string // canonical: "v1.2.3" for modules, "go1.26" for Go
}

func (r Range) String() string { return r.Text }

// IsZero reports whether the range is empty, which matches every version.
func (r Range) IsZero() bool { return r.Text == "" }

// ParseModuleRange parses a semver range such as ">=v1.2.0 <v2.0.0".
func ParseModuleRange(s string) (Range, error) { return parseRange(s, false) }

// ParseGoRange parses a Go version range such as ">=1.26 <1.28".
func ParseGoRange(s string) (Range, error) { return parseRange(s, true) }

func parseRange(s string, goVer bool) (Range, error) {
	r := Range{Text: strings.TrimSpace(s), goVer: goVer}
	for _, f := range strings.FieldsFunc(s, func(c rune) bool { return c == ' ' || c == ',' || c == '\t' }) {
		op := "="
		for _, o := range []string{">=", "<=", ">", "<", "="} {
			if strings.HasPrefix(f, o) {
				op, f = o, f[len(o):]
				break
			}
		}
		var v string
		if goVer {
			v = "go" + strings.TrimPrefix(f, "go")
			if !version.IsValid(v) {
				return Range{}, fmt.Errorf("%q is not a Go version (want e.g. 1.26 or 1.26.3)", f)
			}
		} else {
			v = f
			if !strings.HasPrefix(v, "v") {
				v = "v" + v
			}
			if !semver.IsValid(v) {
				return Range{}, fmt.Errorf("%q is not a semantic version (want e.g. v1.2.0)", f)
			}
		}
		r.terms = append(r.terms, term{op, v})
	}
	if r.Text != "" && len(r.terms) == 0 {
		return Range{}, fmt.Errorf("empty range")
	}
	// A lower bound above an upper bound matches nothing: a mistake.
	for _, lo := range r.terms {
		for _, hi := range r.terms {
			if !strings.HasPrefix(lo.op, ">") && lo.op != "=" || !strings.HasPrefix(hi.op, "<") && hi.op != "=" {
				continue
			}
			c := r.compare(lo.v, hi.v)
			if c > 0 || c == 0 && (lo.op == ">" || hi.op == "<") {
				return Range{}, fmt.Errorf("%q matches no version", r.Text)
			}
		}
	}
	return r, nil
}

func (r Range) compare(a, b string) int {
	if r.goVer {
		return version.Compare(a, b)
	}
	return semver.Compare(a, b)
}

// Match reports whether v lies in the range. v is a module version
// ("v1.2.3") or a Go version ("go1.26.8" or "1.26.8").
func (r Range) Match(v string) bool {
	for _, t := range r.terms {
		var c int
		if r.goVer {
			// A term "1.26" holds every 1.26.x: compare at the term's precision.
			gv := "go" + strings.TrimPrefix(v, "go")
			if version.Lang(t.v) == t.v {
				gv = version.Lang(gv)
			}
			c = version.Compare(gv, t.v)
		} else {
			if !semver.IsValid(v) {
				return false
			}
			c = semver.Compare(v, t.v)
		}
		ok := false
		switch t.op {
		case ">=":
			ok = c >= 0
		case ">":
			ok = c > 0
		case "<=":
			ok = c <= 0
		case "<":
			ok = c < 0
		case "=":
			ok = c == 0
		}
		if !ok {
			return false
		}
	}
	return true
}
