package github

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFromFork(t *testing.T) {
	for _, tc := range []struct {
		name, event, eventName, repo string
		head                         string
		fork                         bool
	}{
		{"same repository", `{"pull_request": {"number": 7, "head": {"repo": {"full_name": "acme/app"}}, "base": {"repo": {"full_name": "acme/app"}}}}`, "pull_request", "acme/app", "", false},
		{"case differs", `{"pull_request": {"number": 7, "head": {"repo": {"full_name": "Acme/App"}}, "base": {"repo": {"full_name": "acme/app"}}}}`, "pull_request", "acme/app", "", false},
		{"fork", `{"pull_request": {"number": 8, "head": {"repo": {"full_name": "someone/app"}}, "base": {"repo": {"full_name": "acme/app"}}}}`, "pull_request", "acme/app", "someone/app", true},
		{"deleted fork", `{"pull_request": {"number": 8, "head": {"repo": null}, "base": {"repo": {"full_name": "acme/app"}}}}`, "pull_request", "acme/app", "a deleted fork", true},
		{"fork, pull_request_target", `{"pull_request": {"number": 8, "head": {"repo": {"full_name": "someone/app"}}, "base": {"repo": {"full_name": "acme/app"}}}}`, "pull_request_target", "acme/app", "", false},
		{"base from repository", `{"pull_request": {"number": 8, "head": {"repo": {"full_name": "acme/app"}}}, "repository": {"full_name": "other/app"}}`, "pull_request", "acme/app", "acme/app", true},
		{"base from repo", `{"pull_request": {"number": 8, "head": {"repo": {"full_name": "acme/app"}}}}`, "pull_request", "acme/app", "", false},
		{"push", `{"repository": {"full_name": "acme/app"}}`, "push", "acme/app", "", false},
	} {
		name := filepath.Join(t.TempDir(), "event.json")
		if err := os.WriteFile(name, []byte(tc.event), 0o644); err != nil {
			t.Fatal(err)
		}
		ev, err := ReadEvent(name)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		head, fork := ev.FromFork(tc.repo, tc.eventName)
		if head != tc.head || fork != tc.fork {
			t.Errorf("%s: FromFork = %q, %v; want %q, %v", tc.name, head, fork, tc.head, tc.fork)
		}
	}
}

func TestReadEventErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadEvent(filepath.Join(dir, "none.json")); err == nil || !strings.HasPrefix(err.Error(), "reading the event: ") {
		t.Errorf("missing file: %v", err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{"), 0o644)
	if _, err := ReadEvent(bad); err == nil || !strings.HasPrefix(err.Error(), "reading the event "+bad+": ") {
		t.Errorf("bad JSON: %v", err)
	}
}

func TestAppendSummary(t *testing.T) {
	name := filepath.Join(t.TempDir(), "summary.md")
	for _, text := range []string{"one\n\n\n", "two"} {
		if err := AppendSummary(name, text); err != nil {
			t.Fatal(err)
		}
	}
	if data, _ := os.ReadFile(name); string(data) != "one\ntwo\n" {
		t.Errorf("summary = %q", data)
	}
	if err := AppendSummary(filepath.Join(name, "x"), "y"); err == nil {
		t.Errorf("no error writing under a file")
	}
}
