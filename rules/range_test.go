package rules

import "testing"

func TestModuleRange(t *testing.T) {
	for _, c := range []struct {
		rng  string
		v    string
		want bool
	}{
		{"", "v0.0.1", true},
		{">=v1.2.0 <v2.0.0", "v1.2.0", true},
		{">=v1.2.0 <v2.0.0", "v1.1.9", false},
		{">=v1.2.0 <v2.0.0", "v2.0.0", false},
		{">=v1.2.0 <v2.0.0", "v1.47.0-rc.1", true},
		{">=v1.2.0 <v2.0.0", "v1.2.0-pre", false}, // a pre-release sorts before its release
		{">=v1.2.0 <v2.0.0", "", false},           // the main module or a directory replacement
		{">=v0.60.0,<v1.0.0", "v0.72.0", true},    // commas separate terms too
		{"1.2.3", "v1.2.3", true},                 // "v" may be left out; no operator is "="
		{"1.2.3", "v1.2.4", false},
		{">v1.0.0", "v1.0.0", false},
		{"<=v1.0.0", "v1.0.0", true},
		{">=v0.0.0-20200101000000-abcdefabcdef", "v0.0.0-20210101000000-abcdefabcdef", true}, // pseudo-versions compare by time
	} {
		r, err := ParseModuleRange(c.rng)
		if err != nil {
			t.Errorf("ParseModuleRange(%q): %v", c.rng, err)
			continue
		}
		if got := r.Match(c.v); got != c.want {
			t.Errorf("%q.Match(%q) = %v, want %v", c.rng, c.v, got, c.want)
		}
	}
}

func TestGoRange(t *testing.T) {
	for _, c := range []struct {
		rng  string
		v    string
		want bool
	}{
		{">=1.26", "go1.26.8", true},
		{">=1.26", "1.26.0", true},
		{">=1.26", "go1.25.9", false},
		{"<1.27", "go1.26.8", true},
		{"<1.27", "go1.27.0", false},
		{"<=1.26", "go1.26.8", true}, // a term at language precision holds every patch release
		{"=1.26", "go1.26.3", true},
		{">=1.26.3", "go1.26.2", false},
		{">=go1.26 <go1.28", "go1.27.4", true},
	} {
		r, err := ParseGoRange(c.rng)
		if err != nil {
			t.Errorf("ParseGoRange(%q): %v", c.rng, err)
			continue
		}
		if got := r.Match(c.v); got != c.want {
			t.Errorf("%q.Match(%q) = %v, want %v", c.rng, c.v, got, c.want)
		}
	}
}

func TestRangeErrors(t *testing.T) {
	for _, c := range []struct {
		rng  string
		goV  bool
		want string
	}{
		{"latest", false, `"latest" is not a semantic version (want e.g. v1.2.0)`},
		{">=v2.0.0 <v1.0.0", false, `">=v2.0.0 <v1.0.0" matches no version`},
		{">v1.0.0 <v1.0.0", false, `">v1.0.0 <v1.0.0" matches no version`},
		{" , ", false, "empty range"},
		{">=1.x", true, `"1.x" is not a Go version (want e.g. 1.26 or 1.26.3)`},
		{">=1.28 <1.26", true, `">=1.28 <1.26" matches no version`},
	} {
		var err error
		if c.goV {
			_, err = ParseGoRange(c.rng)
		} else {
			_, err = ParseModuleRange(c.rng)
		}
		if err == nil || err.Error() != c.want {
			t.Errorf("parsing %q: error %v, want %q", c.rng, err, c.want)
		}
	}
}
