package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/otelgen/otelgen/internal/prdiff"
)

// fakeGitHub serves the three endpoints otelgen comment uses, for one
// repository, with pages of pageSize comments linked by Link headers.
type fakeGitHub struct {
	t        *testing.T
	srv      *httptest.Server
	repo     string
	pageSize int
	token    string
	readOnly bool   // answer writes with 403
	nextHost string // when set, the next link points at this host

	mu       sync.Mutex
	comments map[int][]ghComment // by pull request
	nextID   int64
	requests []string // "METHOD path?query"
}

func newFakeGitHub(t *testing.T) *fakeGitHub {
	f := &fakeGitHub{t: t, repo: "acme/app", pageSize: 2, token: "secret-token", comments: map[int][]ghComment{}, nextID: 100}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeGitHub) add(pr int, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	f.comments[pr] = append(f.comments[pr], ghComment{ID: f.nextID, Body: body, HTMLURL: fmt.Sprintf("https://github.test/%s/pull/%d#issuecomment-%d", f.repo, pr, f.nextID)})
}

func (f *fakeGitHub) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r.Method+" "+r.URL.RequestURI())
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		http.Error(w, `{"message":"Bad credentials"}`, http.StatusUnauthorized)
		return
	}
	prefix := "/repos/" + f.repo + "/issues/"
	rest, ok := strings.CutPrefix(r.URL.Path, prefix)
	if !ok {
		http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
		return
	}
	parts := strings.Split(rest, "/")
	write := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
	var in struct{ Body string }
	if r.Method != "GET" {
		if f.readOnly {
			write(http.StatusForbidden, map[string]string{"message": "Resource not accessible by integration"})
			return
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Body == "" {
			write(http.StatusUnprocessableEntity, map[string]string{"message": "no body"})
			return
		}
	}
	switch {
	case len(parts) == 2 && parts[0] == "comments" && r.Method == "PATCH":
		id, _ := strconv.ParseInt(parts[1], 10, 64)
		for pr, cs := range f.comments {
			for i := range cs {
				if cs[i].ID == id {
					cs[i].Body = in.Body
					f.comments[pr] = cs
					write(http.StatusOK, cs[i])
					return
				}
			}
		}
		write(http.StatusNotFound, map[string]string{"message": "Not Found"})
	case len(parts) == 2 && parts[1] == "comments":
		pr, err := strconv.Atoi(parts[0])
		if err != nil {
			write(http.StatusNotFound, map[string]string{"message": "Not Found"})
			return
		}
		switch r.Method {
		case "GET":
			page, _ := strconv.Atoi(r.URL.Query().Get("page"))
			if page < 1 {
				page = 1
			}
			all := f.comments[pr]
			from := min((page-1)*f.pageSize, len(all))
			to := min(from+f.pageSize, len(all))
			if to < len(all) {
				host := f.srv.URL
				if f.nextHost != "" {
					host = f.nextHost
				}
				w.Header().Set("Link", fmt.Sprintf(`<%s%s?per_page=100&page=%d>; rel="next", <%s%s?per_page=100&page=%d>; rel="last"`,
					host, r.URL.Path, page+1, host, r.URL.Path, (len(all)+f.pageSize-1)/f.pageSize))
			}
			write(http.StatusOK, append([]ghComment{}, all[from:to]...))
		case "POST":
			f.nextID++
			c := ghComment{ID: f.nextID, Body: in.Body, HTMLURL: fmt.Sprintf("https://github.test/%s/pull/%d#issuecomment-%d", f.repo, pr, f.nextID)}
			f.comments[pr] = append(f.comments[pr], c)
			write(http.StatusCreated, c)
		}
	default:
		write(http.StatusNotFound, map[string]string{"message": "Not Found"})
	}
}

func (f *fakeGitHub) bodies(pr int) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.comments[pr] {
		out = append(out, c.Body)
	}
	return out
}

func (f *fakeGitHub) writes() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.requests {
		if !strings.HasPrefix(r, "GET ") {
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}

// githubEnv sets the environment of a GitHub Actions pull_request job.
func githubEnv(t *testing.T, f *fakeGitHub, pr int, headRepo string) (summary string) {
	t.Helper()
	dir := t.TempDir()
	head := "null"
	if headRepo != "" {
		head = fmt.Sprintf(`{"full_name": %q}`, headRepo)
	}
	event := fmt.Sprintf(`{"action": "synchronize", "number": %d, "pull_request": {"number": %d, "head": {"repo": %s}, "base": {"repo": {"full_name": %q}}}, "repository": {"full_name": %q}}`,
		pr, pr, head, f.repo, f.repo)
	ev := filepath.Join(dir, "event.json")
	if err := os.WriteFile(ev, []byte(event), 0o644); err != nil {
		t.Fatal(err)
	}
	summary = filepath.Join(dir, "summary.md")
	for k, v := range map[string]string{
		"GITHUB_API_URL":      f.srv.URL,
		"GITHUB_REPOSITORY":   f.repo,
		"GITHUB_EVENT_PATH":   ev,
		"GITHUB_EVENT_NAME":   "pull_request",
		"GITHUB_TOKEN":        f.token,
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

func TestCommentCreatesThenUpdates(t *testing.T) {
	f := newFakeGitHub(t)
	githubEnv(t, f, 7, f.repo)
	f.add(7, "LGTM")
	f.add(7, "a human quoting <!-- otelgen-pr-comment --> mid-text")
	f.add(7, "another")

	code, out, errOut := runCommentCmd(t, prdiff.CommentMarker+"\nfirst\n")
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	if !strings.Contains(out, "otelgen comment: created https://github.test/acme/app/pull/7#issuecomment-") {
		t.Errorf("stdout = %q", out)
	}
	// Second run: the marker comment is the fourth, on page two.
	code, out, errOut = runCommentCmd(t, prdiff.CommentMarker+"\nsecond\n")
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	if !strings.Contains(out, "otelgen comment: updated ") {
		t.Errorf("stdout = %q", out)
	}
	// Third run, same text: nothing to write.
	code, out, _ = runCommentCmd(t, prdiff.CommentMarker+"\nsecond\n")
	if code != 0 || !strings.Contains(out, "otelgen comment: unchanged ") {
		t.Errorf("exit %d, stdout = %q", code, out)
	}
	got := f.bodies(7)
	want := []string{"LGTM", "a human quoting <!-- otelgen-pr-comment --> mid-text", "another", prdiff.CommentMarker + "\nsecond\n"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("comments = %q, want %q", got, want)
	}
	if w := f.writes(); len(w) != 2 || !strings.HasPrefix(w[0], "PATCH /repos/acme/app/issues/comments/") || w[1] != "POST /repos/acme/app/issues/7/comments" {
		t.Errorf("writes = %q", w)
	}
}

func TestCommentFollowsPages(t *testing.T) {
	f := newFakeGitHub(t)
	githubEnv(t, f, 3, f.repo)
	for i := 0; i < 9; i++ {
		f.add(3, fmt.Sprintf("comment %d", i))
	}
	f.add(3, "  \n"+prdiff.CommentMarker+"\nold") // page 5 of 5
	f.add(4, prdiff.CommentMarker+"\nanother pull request")

	// The text lacks the marker: comment adds it.
	code, out, errOut := runCommentCmd(t, "new\n")
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	got := f.bodies(3)
	if len(got) != 10 || got[9] != prdiff.CommentMarker+"\nnew\n" {
		t.Errorf("comments = %q", got)
	}
	var gets int
	for _, r := range f.requests {
		if strings.HasPrefix(r, "GET /repos/acme/app/issues/3/comments") {
			gets++
		}
	}
	if gets != 5 {
		t.Errorf("%d pages read, want 5: %q", gets, f.requests)
	}
	if f.bodies(4)[0] != prdiff.CommentMarker+"\nanother pull request" {
		t.Errorf("another pull request's comment changed: %q", f.bodies(4))
	}
}

func TestCommentRefusesForeignNextPage(t *testing.T) {
	f := newFakeGitHub(t)
	githubEnv(t, f, 3, f.repo)
	f.nextHost = "http://attacker.invalid"
	for i := 0; i < 3; i++ {
		f.add(3, "x")
	}
	code, _, errOut := runCommentCmd(t, prdiff.CommentMarker+"\nnew\n")
	if code != exitUsage || !strings.Contains(errOut, "is not on "+f.srv.URL) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if w := f.writes(); len(w) != 0 {
		t.Errorf("wrote %q", w)
	}
}

func TestCommentFromFork(t *testing.T) {
	f := newFakeGitHub(t)
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
	if len(f.requests) != 0 {
		t.Errorf("requests to the API from a fork: %q", f.requests)
	}
}

func TestCommentReadOnlyToken(t *testing.T) {
	f := newFakeGitHub(t)
	summary := githubEnv(t, f, 5, f.repo)
	t.Setenv("GITHUB_ACTIONS", "true")
	f.readOnly = true
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
	f := newFakeGitHub(t)
	githubEnv(t, f, 5, f.repo)

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

	t.Setenv("GITHUB_TOKEN", f.token)
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
	if w := f.writes(); len(w) != 1 || w[0] != "POST /repos/acme/app/issues/12/comments" {
		t.Errorf("writes = %q", w)
	}
}

func TestNextPage(t *testing.T) {
	g := &ghClient{api: "https://api.github.com"}
	for _, tc := range []struct{ link, want string }{
		{``, ``},
		{`<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"`, `https://api.github.com/x?page=2`},
		{`<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=1>; rel="first"`, ``},
		{`<https://api.github.com/x?page=3>; rel="last next"`, `https://api.github.com/x?page=3`},
	} {
		got, err := g.nextPage(tc.link)
		if err != nil || got != tc.want {
			t.Errorf("nextPage(%q) = %q, %v; want %q", tc.link, got, err, tc.want)
		}
	}
}
