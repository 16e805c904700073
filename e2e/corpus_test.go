package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// corpusPrograms are the main packages of testdata/corpus, under cmd/: each
// imports one large real dependency graph and prints "ok" when what it did
// with it worked.
var corpusPrograms = []struct{ name, uses string }{
	{"k8s", "k8s.io/client-go: a clientset for an API server at 127.0.0.1:1, no request"},
	{"aws", "aws-sdk-go-v2: config.LoadDefaultConfig with static credentials, an S3 client, no request"},
	{"grpc", "google.golang.org/grpc: a server and a client on loopback, one health check"},
	{"gin", "github.com/gin-gonic/gin: one request served through httptest"},
	{"mongo", "go.mongodb.org/mongo-driver/v2: Connect to 127.0.0.1:1, Disconnect, no operation"},
	{"kafka", "github.com/segmentio/kafka-go: a Writer for 127.0.0.1:1, closed unused"},
}

// TestCorpus takes testdata/corpus, one module whose programs import
// client-go, the AWS SDK, gRPC, gin, mongo-driver and kafka-go (go.mod and
// go.sum as go mod tidy wrote them, without otelgen), through what a user
// does: otelgen init, go build, otelgen generate, go build -overlay; then
// runs every instrumented program. One generate and one overlay build for
// all six, so that CI pays for these dependency graphs once per Go release.
// bench/corpus.sh measures generate on the same module.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("downloads large modules and builds six real programs twice")
	}
	// The checksum database may be out of reach where the module proxy is
	// not; go.sum holds every line the programs need before init.
	t.Setenv("GOSUMDB", "off")
	dir := copyModule(t, "corpus")
	bin := t.TempDir()
	steps := []string{}
	step := func(what, blame string, want int, name string, args ...string) string {
		t.Helper()
		start := time.Now()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=")
		out, err := cmd.CombinedOutput()
		code := 0
		if err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatalf("%s: %v", what, err)
			}
			code = ee.ExitCode()
		}
		took := time.Since(start).Round(100 * time.Millisecond)
		steps = append(steps, what+" "+took.String())
		if code != want {
			t.Fatalf("%s: %s %s: exit %d, want %d (%s)\n%s", what, filepath.Base(name), strings.Join(args, " "), code, want, blame, out)
		}
		return string(out)
	}
	defer func() { t.Logf("steps: %s", strings.Join(steps, ", ")) }()

	// The module is sound before otelgen touches it.
	step("verify go.sum", "testdata/corpus is broken, not otelgen", 0, "go", "list", "-deps", "./...")
	warmInitCache(t, dir)

	out := step("otelgen init", "an otelgen bug", 0, otelgen, "init")
	t.Logf("otelgen init:\n%s", out)
	step("plain build after init", "otelgen init left the module unbuildable: an otelgen bug", 0, "go", "build", "./...")

	step("otelgen generate", "an otelgen bug", 0, otelgen, "generate")
	var overlay struct{ Replace map[string]string }
	if err := json.Unmarshal([]byte(readFile(t, dir, filepath.Join("_otel", "overlay.json"))), &overlay); err != nil {
		t.Fatalf("_otel/overlay.json: %v", err)
	}
	for _, p := range corpusPrograms {
		// otelgen adds the SDK setup to every main package.
		if _, ok := overlay.Replace[filepath.Join(dir, "cmd", p.name, "otelgen_register.go")]; !ok {
			t.Errorf("otelgen generate did not instrument cmd/%s: no otelgen_register.go in _otel/overlay.json", p.name)
		}
	}
	step("overlay build", "the overlay that otelgen generate wrote does not build: an otelgen bug", 0,
		"go", "build", trimpath, overlayFlag(dir), "-o", bin+string(filepath.Separator), "./...")

	env := otelEnv(nil, "OTEL_TRACES_EXPORTER=none", "OTEL_METRICS_EXPORTER=none", "OTEL_LOGS_EXPORTER=none")
	for _, p := range corpusPrograms {
		t.Run(p.name, func(t *testing.T) {
			stdout, stderr, code := runProgram(t, filepath.Join(bin, exe(p.name)), env)
			if code != 0 || stdout != "ok\n" {
				t.Errorf("instrumented cmd/%s (%s): exit %d, stdout %q, want exit 0, stdout \"ok\\n\"\nstderr:\n%s", p.name, p.uses, code, stdout, stderr)
			}
		})
	}
}
