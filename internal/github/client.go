// Package github is what "otelgen comment" needs of GitHub: a client of the
// REST API that finds, creates and edits one pull-request comment, and the
// parts of a GitHub Actions job it reads (the event) and writes (the job
// summary).
package github

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Comment is a comment on an issue or a pull request.
type Comment struct {
	ID      int64  `json:"id"`
	Body    string `json:"body"`
	HTMLURL string `json:"html_url"`
}

// Client talks to the GitHub REST API with one token.
type Client struct {
	API       string // the API's root URL, without a trailing slash
	Token     string
	UserAgent string
	HTTP      *http.Client
}

// StatusError is an answer of the API with a status other than 2xx.
type StatusError struct {
	Method  string
	URL     string
	Status  string // "403 Forbidden"
	Code    int    // 403
	Message string // GitHub's message, or the body
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: %s: %s", e.Method, redact(e.URL), e.Status, e.Message)
}

// Upsert makes body the pull request's comment that starts with marker:
// it edits that comment when there is one, the oldest if several, and
// creates one otherwise. It returns the comment and what it did: "created",
// "updated", or "unchanged" when the comment already had that body.
func (c *Client) Upsert(repo string, pr int, marker, body string) (*Comment, string, error) {
	existing, err := c.FindComment(repo, pr, marker)
	if err != nil {
		return nil, "", err
	}
	switch {
	case existing != nil && existing.Body == body:
		return existing, "unchanged", nil
	case existing != nil:
		done, err := c.EditComment(repo, existing.ID, body)
		return done, "updated", err
	default:
		done, err := c.CreateComment(repo, pr, body)
		return done, "created", err
	}
}

// CreateComment adds a comment to a pull request.
func (c *Client) CreateComment(repo string, pr int, body string) (*Comment, error) {
	var done Comment
	if err := c.do("POST", fmt.Sprintf("%s/repos/%s/issues/%d/comments", c.API, repo, pr), map[string]string{"body": body}, &done, nil); err != nil {
		return nil, err
	}
	return &done, nil
}

// EditComment replaces the body of a comment.
func (c *Client) EditComment(repo string, id int64, body string) (*Comment, error) {
	var done Comment
	if err := c.do("PATCH", fmt.Sprintf("%s/repos/%s/issues/comments/%d", c.API, repo, id), map[string]string{"body": body}, &done, nil); err != nil {
		return nil, err
	}
	return &done, nil
}

// FindComment returns the pull request's comment that starts with marker
// (after white space), the oldest if several do, or nil. It follows the
// pages of the list by their Link headers.
func (c *Client) FindComment(repo string, pr int, marker string) (*Comment, error) {
	next := fmt.Sprintf("%s/repos/%s/issues/%d/comments?per_page=100", c.API, repo, pr)
	for pages := 0; next != ""; pages++ {
		if pages == 1000 {
			return nil, errors.New("listing the comments: too many pages")
		}
		var page []Comment
		var hdr http.Header
		if err := c.do("GET", next, nil, &page, &hdr); err != nil {
			return nil, fmt.Errorf("listing the comments: %w", err)
		}
		for i := range page {
			if strings.HasPrefix(strings.TrimSpace(page[i].Body), marker) {
				return &page[i], nil
			}
		}
		n, err := c.nextPage(hdr.Get("Link"))
		if err != nil {
			return nil, err
		}
		next = n
	}
	return nil, nil
}

var linkRE = regexp.MustCompile(`<([^>]*)>\s*((?:;\s*[^;,]*)*)`)

// nextPage returns the rel="next" link of a Link header, or "". The token
// goes only to the API's own host.
func (c *Client) nextPage(link string) (string, error) {
	for _, m := range linkRE.FindAllStringSubmatch(link, -1) {
		isNext := false
		for p := range strings.SplitSeq(m[2], ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.TrimSpace(k) == "rel" {
				for _, r := range strings.Fields(strings.Trim(strings.TrimSpace(v), `"`)) {
					isNext = isNext || r == "next"
				}
			}
		}
		if !isNext {
			continue
		}
		u, err := url.Parse(m[1])
		if err != nil {
			return "", fmt.Errorf("listing the comments: bad next link %q", m[1])
		}
		api, _ := url.Parse(c.API)
		if u.Scheme != api.Scheme || u.Host != api.Host {
			return "", fmt.Errorf("listing the comments: the next page %s is not on %s", m[1], c.API)
		}
		return u.String(), nil
	}
	return "", nil
}

// do sends one request with a JSON body (when in is not nil) and decodes a
// JSON answer into out. An answer other than 2xx is a *StatusError.
func (c *Client) do(method, u string, in, out any, hdr *http.Header) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	req.Header.Set("User-Agent", c.UserAgent)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Message string `json:"message"`
		}
		json.Unmarshal(data, &e)
		if e.Message == "" {
			e.Message = strings.TrimSpace(string(data))
		}
		return &StatusError{Method: method, URL: u, Status: resp.Status, Code: resp.StatusCode, Message: e.Message}
	}
	if hdr != nil {
		*hdr = resp.Header
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: %w", method, redact(u), err)
		}
	}
	return nil
}

// redact drops the query of a URL for messages.
func redact(u string) string {
	u, _, _ = strings.Cut(u, "?")
	return u
}
