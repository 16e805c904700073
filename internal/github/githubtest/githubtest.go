// Package githubtest serves, on loopback, the three endpoints of the GitHub
// REST API that otelgen comment uses (list, create and edit the comments of
// a pull request), for one repository, with pages linked by Link headers as
// GitHub links them. It is a real HTTP server for tests of the client and of
// the command.
package githubtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Server is the API of one repository. Set its fields before the first
// request.
type Server struct {
	URL      string // the API's root
	Repo     string // owner/name
	Token    string // the token it accepts
	PageSize int    // comments per page of a list
	ReadOnly bool   // answer writes with 403, as for a read-only token
	NextHost string // when set, the next-page links point at this host

	mu       sync.Mutex
	comments map[int][]comment // by pull request
	nextID   int64
	requests []string // "METHOD path?query"
}

type comment struct {
	ID      int64  `json:"id"`
	Body    string `json:"body"`
	HTMLURL string `json:"html_url"`
}

// New starts a server for acme/app that accepts the token "secret-token",
// with two comments a page; the test's end stops it.
func New(t testing.TB) *Server {
	s := &Server{Repo: "acme/app", PageSize: 2, Token: "secret-token", comments: map[int][]comment{}, nextID: 100}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Add adds a comment to a pull request.
func (s *Server) Add(pr int, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	s.comments[pr] = append(s.comments[pr], comment{ID: s.nextID, Body: body, HTMLURL: s.htmlURL(pr, s.nextID)})
}

func (s *Server) htmlURL(pr int, id int64) string {
	return fmt.Sprintf("https://github.test/%s/pull/%d#issuecomment-%d", s.Repo, pr, id)
}

// Bodies returns the bodies of a pull request's comments, oldest first.
func (s *Server) Bodies(pr int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, c := range s.comments[pr] {
		out = append(out, c.Body)
	}
	return out
}

// Requests returns the requests served, as "METHOD path?query", in order.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Writes returns the requests other than GET, sorted.
func (s *Server) Writes() []string {
	var out []string
	for _, r := range s.Requests() {
		if !strings.HasPrefix(r, "GET ") {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return out
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r.Method+" "+r.URL.RequestURI())
	if r.Header.Get("Authorization") != "Bearer "+s.Token {
		http.Error(w, `{"message":"Bad credentials"}`, http.StatusUnauthorized)
		return
	}
	prefix := "/repos/" + s.Repo + "/issues/"
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
		if s.ReadOnly {
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
		for pr, cs := range s.comments {
			for i := range cs {
				if cs[i].ID == id {
					cs[i].Body = in.Body
					s.comments[pr] = cs
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
			page = max(page, 1)
			all := s.comments[pr]
			from := min((page-1)*s.PageSize, len(all))
			to := min(from+s.PageSize, len(all))
			if to < len(all) {
				host := s.URL
				if s.NextHost != "" {
					host = s.NextHost
				}
				w.Header().Set("Link", fmt.Sprintf(`<%s%s?per_page=100&page=%d>; rel="next", <%s%s?per_page=100&page=%d>; rel="last"`,
					host, r.URL.Path, page+1, host, r.URL.Path, (len(all)+s.PageSize-1)/s.PageSize))
			}
			write(http.StatusOK, append([]comment{}, all[from:to]...))
		case "POST":
			s.nextID++
			c := comment{ID: s.nextID, Body: in.Body, HTMLURL: s.htmlURL(pr, s.nextID)}
			s.comments[pr] = append(s.comments[pr], c)
			write(http.StatusCreated, c)
		default:
			write(http.StatusMethodNotAllowed, map[string]string{"message": "Method Not Allowed"})
		}
	default:
		write(http.StatusNotFound, map[string]string{"message": "Not Found"})
	}
}
