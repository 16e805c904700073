package github

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/otelgen/otelgen/internal/github/githubtest"
)

const marker = "<!-- otelgen-pr-comment -->"

func client(s *githubtest.Server) *Client {
	return &Client{API: s.URL, Token: s.Token, UserAgent: "otelgen/test", HTTP: &http.Client{Timeout: 10 * time.Second}}
}

func TestUpsertCreatesThenUpdates(t *testing.T) {
	s := githubtest.New(t)
	s.Add(7, "LGTM")
	s.Add(7, "a human quoting "+marker+" mid-text")
	s.Add(7, "another")
	gh := client(s)

	for _, step := range []struct{ body, want string }{
		{marker + "\nfirst\n", "created"},
		{marker + "\nsecond\n", "updated"}, // the fourth comment, on page two
		{marker + "\nsecond\n", "unchanged"},
	} {
		c, what, err := gh.Upsert(s.Repo, 7, marker, step.body)
		if err != nil || what != step.want {
			t.Fatalf("Upsert(%q) = %q, %v; want %q", step.body, what, err, step.want)
		}
		if !strings.HasPrefix(c.HTMLURL, "https://github.test/acme/app/pull/7#issuecomment-") || c.Body != step.body {
			t.Errorf("Upsert(%q) returned %+v", step.body, c)
		}
	}
	got := s.Bodies(7)
	want := []string{"LGTM", "a human quoting " + marker + " mid-text", "another", marker + "\nsecond\n"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("comments = %q, want %q", got, want)
	}
	if w := s.Writes(); len(w) != 2 || !strings.HasPrefix(w[0], "PATCH /repos/acme/app/issues/comments/") || w[1] != "POST /repos/acme/app/issues/7/comments" {
		t.Errorf("writes = %q", w)
	}
}

func TestFindCommentFollowsPages(t *testing.T) {
	s := githubtest.New(t)
	for i := range 9 {
		s.Add(3, fmt.Sprintf("comment %d", i))
	}
	s.Add(3, "  \n"+marker+"\nold") // page 5 of 5, after white space
	s.Add(3, marker+"\nnewer")
	s.Add(4, marker+"\nanother pull request")

	c, err := client(s).FindComment(s.Repo, 3, marker)
	if err != nil || c == nil || c.Body != "  \n"+marker+"\nold" {
		t.Fatalf("FindComment = %+v, %v", c, err)
	}
	var gets int
	for _, r := range s.Requests() {
		if strings.HasPrefix(r, "GET /repos/acme/app/issues/3/comments") {
			gets++
		}
	}
	if gets != 5 {
		t.Errorf("%d pages read, want 5: %q", gets, s.Requests())
	}

	if c, err := client(s).FindComment(s.Repo, 5, marker); c != nil || err != nil {
		t.Errorf("FindComment on a pull request without comments = %+v, %v", c, err)
	}
}

func TestFindCommentRefusesForeignNextPage(t *testing.T) {
	s := githubtest.New(t)
	s.NextHost = "http://attacker.invalid"
	for range 3 {
		s.Add(3, "x")
	}
	_, _, err := client(s).Upsert(s.Repo, 3, marker, marker+"\nnew\n")
	if err == nil || !strings.Contains(err.Error(), "is not on "+s.URL) {
		t.Errorf("err = %v", err)
	}
	if w := s.Writes(); len(w) != 0 {
		t.Errorf("wrote %q", w)
	}
}

func TestStatusErrors(t *testing.T) {
	s := githubtest.New(t)
	gh := client(s)
	gh.Token = "wrong"
	_, what, err := gh.Upsert(s.Repo, 5, marker, "x")
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusUnauthorized || what != "" {
		t.Fatalf("bad token: %q, %v", what, err)
	}
	if got, want := err.Error(), "listing the comments: GET "+s.URL+"/repos/acme/app/issues/5/comments: 401 Unauthorized: Bad credentials"; got != want {
		t.Errorf("bad token: %s\nwant %s", got, want)
	}

	s.ReadOnly = true
	_, what, err = client(s).Upsert(s.Repo, 5, marker, "x")
	if !errors.As(err, &se) || se.Code != http.StatusForbidden || what != "created" {
		t.Fatalf("read-only token: %q, %v", what, err)
	}
	if got, want := err.Error(), "POST "+s.URL+"/repos/acme/app/issues/5/comments: 403 Forbidden: Resource not accessible by integration"; got != want {
		t.Errorf("read-only token: %s\nwant %s", got, want)
	}
}

func TestNextPage(t *testing.T) {
	g := &Client{API: "https://api.github.com"}
	for _, tc := range []struct{ link, want, err string }{
		{``, ``, ``},
		{`<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"`, `https://api.github.com/x?page=2`, ``},
		{`<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=1>; rel="first"`, ``, ``},
		{`<https://api.github.com/x?page=3>; rel="last next"`, `https://api.github.com/x?page=3`, ``},
		{`<http://api.github.com/x?page=2>; rel="next"`, ``, `is not on https://api.github.com`},
		{`<https://evil.example/x?page=2>; rel="next"`, ``, `is not on https://api.github.com`},
	} {
		got, err := g.nextPage(tc.link)
		if got != tc.want || (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("nextPage(%q) = %q, %v; want %q, %q", tc.link, got, err, tc.want, tc.err)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"https://api.github.com/x?per_page=100&page=2": "https://api.github.com/x",
		"https://api.github.com/x":                     "https://api.github.com/x",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}
