package testkit

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// ZincSearchVersion is the ZincSearch release the kit builds: a search
// engine written in Go whose /es/ API answers as Elasticsearch does (the
// document, bulk and search endpoints, with the X-Elastic-Product header
// that the Elasticsearch clients check). Elasticsearch and OpenSearch are
// Java programs that no Debian package ships; ZincSearch comes from the Go
// module proxy.
const ZincSearchVersion = "v0.4.10"

// The user and password of the ZincSearch server's administrator, the only
// user it has.
const (
	ZincSearchUser     = "otelgen"
	ZincSearchPassword = "Planted-zinc-pass-7c2e"
)

var zincsearch struct {
	once sync.Once
	bin  string
	err  error
	srv  server
}

// ZincSearch returns the base URL of the Elasticsearch API of a ZincSearch
// server of the test binary, which every test shares (a test should use
// indexes of its own), with its administrator's credentials in it:
// "http://otelgen:...@127.0.0.1:PORT/es". It keeps its data in a temporary
// directory.
//
// The module proxy's copy of ZincSearch cannot be built as it is: the
// files of its web interface (web/dist, which it embeds) are not in the
// module, and its profiling client (github.com/pyroscope-io/client) pulls
// in a package that current Go releases no longer compile. The kit copies
// the module, writes an empty web page, replaces the profiling client,
// which ZincSearch starts only when configured to, with a stand-in that
// does nothing, and builds ./cmd/zincsearch, which takes a few minutes.
// The binary is kept in the user's cache directory, keyed by version and
// platform, as FerretDB's is. ZincSearch is skipped under -short.
func ZincSearch(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: no zincsearch")
	}
	requireMain(t)
	zincsearch.once.Do(func() { zincsearch.bin, zincsearch.err = zincsearchBinary() })
	if zincsearch.err != nil {
		t.Fatalf("building zincsearch %s: %v", ZincSearchVersion, zincsearch.err)
	}
	s := &zincsearch.srv
	s.once.Do(func() {
		s.addr, s.err = startServer("zincsearch", zincsearch.bin, func(bin, dir string, port int) (*exec.Cmd, error) {
			cmd := exec.Command(bin)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(),
				"ZINC_FIRST_ADMIN_USER="+ZincSearchUser,
				"ZINC_FIRST_ADMIN_PASSWORD="+ZincSearchPassword,
				"ZINC_DATA_PATH="+dir,
				"ZINC_SERVER_ADDRESS=127.0.0.1",
				"ZINC_SERVER_PORT="+strconv.Itoa(port),
				"ZINC_TELEMETRY=false",
				"ZINC_SENTRY=false",
				"GIN_MODE=release",
			)
			return cmd, nil
		}, zincReady)
	})
	if s.err != nil {
		t.Fatalf("starting zincsearch: %v", s.err)
	}
	return "http://" + ZincSearchUser + ":" + ZincSearchPassword + "@" + s.addr + "/es"
}

// zincReady asks for the Elasticsearch API's root and wants a 200 that
// says it is Elasticsearch.
func zincReady(addr string) error {
	req, err := http.NewRequest("GET", "http://"+addr+"/es/", nil)
	if err != nil {
		return err
	}
	req.SetBasicAuth(ZincSearchUser, ZincSearchPassword)
	c := &http.Client{Timeout: time.Second}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Elastic-Product") != "Elasticsearch" {
		return fmt.Errorf("GET /es/: %s", resp.Status)
	}
	return nil
}

// zincsearchBinary returns the kit's build of ZincSearch: with a stand-in
// for its web UI's built files, which the module does not ship, and for the
// profiling client, which it never starts here.
func zincsearchBinary() (string, error) {
	env := []string{"GOWORK=off", "GOFLAGS=-mod=mod", "GOSUMDB=off"}
	return goBinary("zincsearch", "github.com/zincsearch/zincsearch", ZincSearchVersion, "./cmd/zincsearch", env, func(src string) error {
		files := map[string]string{
			"web/dist/index.html":                 "<!doctype html><title>ZincSearch</title>\n",
			"_nopyroscope/go.mod":                 "module github.com/pyroscope-io/client\n\ngo 1.20\n",
			"_nopyroscope/pyroscope/pyroscope.go": noPyroscope,
		}
		for name, content := range files {
			p := filepath.Join(src, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				return err
			}
		}
		_, err := command(src, env, "go", "mod", "edit", "-replace", "github.com/pyroscope-io/client=./_nopyroscope")
		return err
	})
}

// noPyroscope stands in for the profiling client that ZincSearch starts
// only when ZINC_PROFILER_SERVER is set, which the kit never sets.
const noPyroscope = `// Package pyroscope stands in for github.com/pyroscope-io/client/pyroscope
// in the kit's build of ZincSearch: it profiles nothing.
package pyroscope

type ProfileType string

const (
	ProfileCPU          ProfileType = "cpu"
	ProfileAllocObjects ProfileType = "alloc_objects"
	ProfileAllocSpace   ProfileType = "alloc_space"
	ProfileInuseObjects ProfileType = "inuse_objects"
	ProfileInuseSpace   ProfileType = "inuse_space"
)

type Config struct {
	ApplicationName string
	ServerAddress   string
	Logger          any
	AuthToken       string
	ProfileTypes    []ProfileType
}

type Profiler struct{}

func Start(Config) (*Profiler, error) { return &Profiler{}, nil }
`
