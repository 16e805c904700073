package testkit

import (
	"net/http"
	"testing"
)

// GetAndExit runs a test program that serves HTTP: it starts bin with env,
// waits for its "listening <base URL>" line, gets each path in turn, then
// closes the program's standard input (the test programs' sign to return
// from main) and waits for it to end. It fails the test if a request fails or
// the program does not end well; it logs what the program printed to stdout,
// and returns it.
func GetAndExit(t testing.TB, bin string, env []string, paths ...string) string {
	t.Helper()
	p := Start(t, bin, env)
	base := p.WaitPrefix(t, "listening ")
	for _, path := range paths {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	p.Stdin.Close()
	out, state := p.Wait(t)
	if !state.Success() {
		t.Fatalf("app ended with %v\n%s\nstderr:\n%s", state, out, p.Stderr())
	}
	t.Logf("the app printed:\n%s", out)
	return out
}
