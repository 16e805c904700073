package emit

import "testing"

func TestPackageOf(t *testing.T) {
	for _, tt := range []struct{ logical, modPath, want string }{
		{"std/net/http/server.go", "", "net/http"},
		{"mod/github.com/a/b@v1.2.3/c/d.go", "", "github.com/a/b/c"},
		{"mod/github.com/a/b@v1.2.3/d.go", "", "github.com/a/b"},
		{"main/main.go", "example.com/app", "example.com/app"},
		{"main/cmd/x/main.go", "example.com/app", "example.com/app/cmd/x"},
		{"main/cmd/x/main.go", "", "cmd/x"},
		{"work/example.com/lib/p/p.go", "example.com/app", "example.com/lib/p"},
	} {
		if got := PackageOf(tt.logical, tt.modPath); got != tt.want {
			t.Errorf("PackageOf(%q, %q) = %q, want %q", tt.logical, tt.modPath, got, tt.want)
		}
	}
}

func TestOrigin(t *testing.T) {
	for _, tt := range []struct{ logical, from, rest string }{
		{StdPath("os/proc.go"), FromStd, "os/proc.go"},
		{ModPath("example.com/m", "v1.0.0", "x.go"), FromMod, "example.com/m@v1.0.0/x.go"},
		{WorkPath("example.com/w", "p/x.go"), FromWork, "example.com/w/p/x.go"},
		{MainPath("x.go"), FromMain, "x.go"},
		{"other/x.go", "", "other/x.go"},
	} {
		if from, rest := Origin(tt.logical); from != tt.from || rest != tt.rest {
			t.Errorf("Origin(%q) = %q, %q; want %q, %q", tt.logical, from, rest, tt.from, tt.rest)
		}
	}
}
