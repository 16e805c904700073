package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/internal/github/githubtest"
	"github.com/otelgen/otelgen/internal/prdiff"
)

// The tests of the command as a GitHub Actions job runs it: what it reads
// of the environment, and where the comment goes when the token cannot
// write. internal/github tests the client; testdata/script/comment.txtar
// the whole command.

// githubEnv sets the environment of a GitHub Actions pull_request job.
func githubEnv(t *testing.T, f *githubtest.Server, pr int, headRepo string) (summary string) {
	t.Helper()
	dir := t.TempDir()
	head := "null"
	if headRepo != "" {
		head = fmt.Sprintf(`{"full_name": %q}`, headRepo)
	}
	event := fmt.Sprintf(`{"action": "synchronize", "number": %d, "pull_request": {"number": %d, "head": {"repo": %s}, "base": {"repo": {"full_name": %q}}}, "repository": {"full_name": %q}}`,
		pr, pr, head, f.Repo, f.Repo)
	ev := filepath.Join(dir, "event.json")
	if err := os.WriteFile(ev, []byte(event), 0o644); err != nil {
		t.Fatal(err)
	}
	summary = filepath.Join(dir, "summary.md")
	for k, v := range map[string]string{
		"GITHUB_API_URL":      f.URL,
		"GITHUB_REPOSITORY":   f.Repo,
		"GITHUB_EVENT_PATH":   ev,
		"GITHUB_EVENT_NAME":   "pull_request",
		"GITHUB_TOKEN":        f.Token,
		"GH_TOKEN":            "",
		"GITHUB_STEP_SUMMARY": summary,
		"GITHUB_ACTIONS":      "",
	} {
		t.Setenv(k, v)
	}
	return summary
}

func runCommentCmd(t *testing.T, body string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "comment.md")
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code = run(append([]string{"comment", "-body", file}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCommentFromFork(t *testing.T) {
	f := githubtest.New(t)
	for _, head := range []string{"someone/app", ""} { // a fork, a deleted fork
		summary := githubEnv(t, f, 9, head)
		code, out, errOut := runCommentCmd(t, prdiff.CommentMarker+"\nfrom a fork\n")
		if code != 0 {
			t.Fatalf("exit %d: %s%s", code, out, errOut)
		}
		if !strings.Contains(out, "wrote the comment to the job summary") {
			t.Errorf("stdout = %q", out)
		}
		data, err := os.ReadFile(summary)
		if err != nil || string(data) != prdiff.CommentMarker+"\nfrom a fork\n" {
			t.Errorf("summary = %q, %v", data, err)
		}
	}
	if len(f.Requests()) != 0 {
		t.Errorf("requests to the API from a fork: %q", f.Requests())
	}
}

func TestCommentReadOnlyToken(t *testing.T) {
	f := githubtest.New(t)
	summary := githubEnv(t, f, 5, f.Repo)
	t.Setenv("GITHUB_ACTIONS", "true")
	f.ReadOnly = true
	code, out, errOut := runCommentCmd(t, prdiff.CommentMarker+"\ndependabot\n")
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	if !strings.Contains(out, "::warning::otelgen comment: GitHub refused the comment") {
		t.Errorf("stdout = %q", out)
	}
	if data, _ := os.ReadFile(summary); !strings.Contains(string(data), "dependabot") {
		t.Errorf("summary = %q", data)
	}
}

func TestCommentErrors(t *testing.T) {
	f := githubtest.New(t)
	githubEnv(t, f, 5, f.Repo)

	t.Setenv("GITHUB_TOKEN", "wrong")
	code, _, errOut := runCommentCmd(t, "x\n")
	if code != exitUsage || !strings.Contains(errOut, "401 Unauthorized: Bad credentials") || strings.Contains(errOut, "wrong") {
		t.Errorf("bad token: exit %d, stderr %q", code, errOut)
	}

	t.Setenv("GITHUB_TOKEN", "")
	code, _, errOut = runCommentCmd(t, "x\n")
	if code != exitUsage || !strings.Contains(errOut, "no token") {
		t.Errorf("no token: exit %d, stderr %q", code, errOut)
	}

	t.Setenv("GITHUB_TOKEN", f.Token)
	code, _, errOut = runCommentCmd(t, strings.Repeat("é", prdiff.CommentLimit))
	if code != exitUsage || !strings.Contains(errOut, "more than GitHub takes") {
		t.Errorf("too long: exit %d, stderr %q", code, errOut)
	}

	t.Setenv("GITHUB_EVENT_PATH", "")
	code, _, errOut = runCommentCmd(t, "x\n")
	if code != exitUsage || !strings.Contains(errOut, "no pull request") {
		t.Errorf("no event: exit %d, stderr %q", code, errOut)
	}
	// -pr and -repo stand in for the event.
	code, out, errOut := runCommentCmd(t, "x\n", "-pr", "12", "-repo", "acme/app")
	if code != 0 || !strings.Contains(out, "created") {
		t.Errorf("-pr: exit %d, %s%s", code, out, errOut)
	}
	if w := f.Writes(); len(w) != 1 || w[0] != "POST /repos/acme/app/issues/12/comments" {
		t.Errorf("writes = %q", w)
	}
}
