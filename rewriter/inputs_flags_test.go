package rewriter

import "testing"

func TestSourceFlags(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"-buildvcs=false", ""},
		{"-buildvcs=false -trimpath -ldflags=-s", ""},
		{"-mod=mod", "-mod=mod"},
		{"-tags=netgo -v -race", "-tags=netgo -race"},
		{"--tags=a,b -gcflags=all=-N", "--tags=a,b"},
		{"-modfile=alt.mod -x", "-modfile=alt.mod"},
	} {
		if got := sourceFlags(tt.in); got != tt.want {
			t.Errorf("sourceFlags(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
