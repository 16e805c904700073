package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestToolchainInModuleCache runs otelgen under a Go toolchain that lives in
// the module cache, as GOTOOLCHAIN switching leaves it: the go command would
// refuse the overlay, so otelgen must stop with the remedy instead.
func TestToolchainInModuleCache(t *testing.T) {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	gos, _ := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "golang.org", "toolchain@*", "bin", "go"))
	if len(gos) == 0 {
		t.Skip("no toolchain in the module cache (.ci/run puts one there)")
	}
	// go mod download leaves the binary without execute bits; the go
	// command sets them on its first switch to that toolchain. Without
	// them, PATH would find another go and the test would prove nothing.
	if fi, err := os.Stat(gos[0]); err != nil || fi.Mode()&0o111 == 0 {
		t.Skipf("%s is not executable: run GOTOOLCHAIN=<its version> go version once (.ci/run does)", gos[0])
	}
	dir := copyModule(t, "engine")
	cmd := exec.Command(otelgen, "generate")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "PATH="+filepath.Dir(gos[0])+string(os.PathListSeparator)+os.Getenv("PATH"))
	msg, err := cmd.CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 2 {
		t.Fatalf("otelgen generate under %s: %v, want exit 2\n%s", gos[0], err, msg)
	}
	for _, want := range []string{"lives in the module cache", "GOTOOLCHAIN", "GOTOOLCHAIN=local"} {
		if !strings.Contains(string(msg), want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "_otel")); err == nil {
		t.Errorf("otelgen wrote _otel/ although it failed")
	}
}
