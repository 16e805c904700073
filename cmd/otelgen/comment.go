package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/otelgen/otelgen/internal/prdiff"
)

func init() {
	var o commentOptions
	commands = append(commands, &command{
		name:    "comment",
		summary: "post the instrumentation diff as one pull-request comment",
		help: `
Comment posts a Markdown comment, as "otelgen diff --base <ref> --format
markdown" writes it, on a GitHub pull request, and on later runs updates that
same comment rather than adding another: it lists the pull request's
comments (every page) and edits the one that starts with the hidden marker
"<!-- otelgen-pr-comment -->" (added when the text lacks it), or creates one.

It reads the comment from -body (default: standard input) and takes the
rest from the flags or from the environment a GitHub Actions job has:

	GITHUB_API_URL      the API (default https://api.github.com)
	GITHUB_REPOSITORY   owner/name
	GITHUB_EVENT_PATH   the event: pull_request.number and the repositories
	GITHUB_TOKEN        the token (or GH_TOKEN); it needs pull-requests: write
	GITHUB_STEP_SUMMARY the job summary

A pull request from a fork gets a read-only token: comment then writes the
text to the job summary instead (or to standard output when there is none)
and exits 0. It does the same when GitHub refuses the comment with 403 (a
read-only token, as for Dependabot), with a warning. Other failures exit 2.`,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&o.body, "body", "-", "read the comment from `file` (- for standard input)")
			fs.StringVar(&o.api, "api", "", "GitHub API `url` (default $GITHUB_API_URL, else https://api.github.com)")
			fs.StringVar(&o.repo, "repo", "", "the repository, `owner/name` (default $GITHUB_REPOSITORY)")
			fs.IntVar(&o.pr, "pr", 0, "the pull request `number` (default: pull_request.number in $GITHUB_EVENT_PATH)")
			fs.StringVar(&o.summary, "summary", "", "where to write the comment when it cannot be posted: a `file` (default $GITHUB_STEP_SUMMARY)")
		},
		run: func(c *cli, fs *flag.FlagSet, args []string) int {
			if len(args) > 0 {
				return c.usageError("comment takes no arguments")
			}
			return runComment(c, o)
		},
	})
}

type commentOptions struct {
	body, api, repo, summary string
	pr                       int
}

// ghEvent is what comment reads of a GitHub Actions event.
type ghEvent struct {
	PullRequest *struct {
		Number int `json:"number"`
		Head   struct {
			Repo *ghRepo `json:"repo"`
		} `json:"head"`
		Base struct {
			Repo *ghRepo `json:"repo"`
		} `json:"base"`
	} `json:"pull_request"`
	Repository *ghRepo `json:"repository"`
}

type ghRepo struct {
	FullName string `json:"full_name"`
}

type ghComment struct {
	ID      int64  `json:"id"`
	Body    string `json:"body"`
	HTMLURL string `json:"html_url"`
}

var repoRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)

func runComment(c *cli, o commentOptions) int {
	body, err := readBody(o.body)
	if err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	if strings.TrimSpace(body) == "" {
		c.errorf("the comment is empty")
		return exitUsage
	}
	if !strings.HasPrefix(body, prdiff.CommentMarker) {
		body = prdiff.CommentMarker + "\n" + body
	}
	if n := utf8.RuneCountInString(body); n > prdiff.CommentLimit {
		c.errorf("the comment has %d characters, more than GitHub takes (%d): otelgen diff --format markdown keeps under it", n, prdiff.CommentLimit)
		return exitUsage
	}
	if o.api == "" {
		o.api = os.Getenv("GITHUB_API_URL")
	}
	if o.api == "" {
		o.api = "https://api.github.com"
	}
	o.api = strings.TrimRight(o.api, "/")
	if o.repo == "" {
		o.repo = os.Getenv("GITHUB_REPOSITORY")
	}
	if o.summary == "" {
		o.summary = os.Getenv("GITHUB_STEP_SUMMARY")
	}
	var ev ghEvent
	if p := os.Getenv("GITHUB_EVENT_PATH"); p != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			c.errorf("reading the event: %v", err)
			return exitUsage
		}
		if err := json.Unmarshal(data, &ev); err != nil {
			c.errorf("reading the event %s: %v", p, err)
			return exitUsage
		}
	}
	if pr := ev.PullRequest; pr != nil {
		if o.pr == 0 {
			o.pr = pr.Number
		}
		base := o.repo
		if pr.Base.Repo != nil {
			base = pr.Base.Repo.FullName
		} else if ev.Repository != nil {
			base = ev.Repository.FullName
		}
		// pull_request_target runs with the base's token, which can write.
		if os.Getenv("GITHUB_EVENT_NAME") != "pull_request_target" && (pr.Head.Repo == nil || !strings.EqualFold(pr.Head.Repo.FullName, base)) {
			from := "a deleted fork"
			if pr.Head.Repo != nil {
				from = pr.Head.Repo.FullName
			}
			return c.toSummary(o, body, fmt.Sprintf("pull request #%d comes from %s, whose token cannot comment", o.pr, from))
		}
	}
	switch {
	case !repoRE.MatchString(o.repo):
		return c.usageError("no repository (owner/name): set -repo or GITHUB_REPOSITORY")
	case o.pr <= 0:
		return c.usageError("no pull request: set -pr, or run on a pull_request event (GITHUB_EVENT_PATH)")
	}
	token := os.Getenv("GITHUB_TOKEN")
	if token == "" {
		token = os.Getenv("GH_TOKEN")
	}
	if token == "" {
		c.errorf("no token: set GITHUB_TOKEN (in a workflow: env: GITHUB_TOKEN: ${{ github.token }})")
		return exitUsage
	}
	gh := &ghClient{api: o.api, token: token, http: &http.Client{Timeout: 30 * time.Second}}

	existing, err := gh.findComment(o.repo, o.pr)
	if err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	var done ghComment
	var status int
	switch {
	case existing != nil && existing.Body == body:
		fmt.Fprintf(c.stdout, "otelgen comment: unchanged %s\n", existing.HTMLURL)
		return exitOK
	case existing != nil:
		status, err = gh.do("PATCH", fmt.Sprintf("%s/repos/%s/issues/comments/%d", o.api, o.repo, existing.ID), map[string]string{"body": body}, &done, nil)
	default:
		status, err = gh.do("POST", fmt.Sprintf("%s/repos/%s/issues/%d/comments", o.api, o.repo, o.pr), map[string]string{"body": body}, &done, nil)
	}
	if status == http.StatusForbidden {
		return c.toSummary(o, body, fmt.Sprintf("GitHub refused the comment (%v): the token cannot write to pull request #%d (does the workflow have permissions: pull-requests: write?)", err, o.pr))
	}
	if err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	what := "created"
	if existing != nil {
		what = "updated"
	}
	fmt.Fprintf(c.stdout, "otelgen comment: %s %s\n", what, done.HTMLURL)
	return exitOK
}

// toSummary writes the comment to the job summary, for a run whose token
// cannot comment.
func (c *cli) toSummary(o commentOptions, body, why string) int {
	if os.Getenv("GITHUB_ACTIONS") == "true" {
		fmt.Fprintf(c.stdout, "::warning::otelgen comment: %s; the instrumentation diff is in the job summary\n", why)
	}
	if o.summary == "" {
		fmt.Fprintf(c.stderr, "otelgen comment: %s; here is the comment:\n", why)
		fmt.Fprint(c.stdout, body)
		return exitOK
	}
	f, err := os.OpenFile(o.summary, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err == nil {
		_, err = fmt.Fprintf(f, "%s\n", strings.TrimRight(body, "\n"))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		c.errorf("writing the job summary: %v", err)
		return exitUsage
	}
	fmt.Fprintf(c.stdout, "otelgen comment: %s; wrote the comment to the job summary\n", why)
	return exitOK
}

func readBody(name string) (string, error) {
	var data []byte
	var err error
	if name == "-" || name == "" {
		data, err = io.ReadAll(os.Stdin)
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return "", fmt.Errorf("reading the comment: %w", err)
	}
	return string(data), nil
}

// ghClient talks to the GitHub REST API.
type ghClient struct {
	api   string
	token string
	http  *http.Client
}

// findComment returns the pull request's comment that starts with the
// marker, the oldest if several do, or nil. It follows the pages of the list
// by their Link headers.
func (g *ghClient) findComment(repo string, pr int) (*ghComment, error) {
	next := fmt.Sprintf("%s/repos/%s/issues/%d/comments?per_page=100", g.api, repo, pr)
	for pages := 0; next != ""; pages++ {
		if pages == 1000 {
			return nil, fmt.Errorf("listing the comments: too many pages")
		}
		var page []ghComment
		var hdr http.Header
		if _, err := g.do("GET", next, nil, &page, &hdr); err != nil {
			return nil, fmt.Errorf("listing the comments: %w", err)
		}
		for i := range page {
			if strings.HasPrefix(strings.TrimSpace(page[i].Body), prdiff.CommentMarker) {
				return &page[i], nil
			}
		}
		n, err := g.nextPage(hdr.Get("Link"))
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
func (g *ghClient) nextPage(link string) (string, error) {
	for _, m := range linkRE.FindAllStringSubmatch(link, -1) {
		isNext := false
		for _, p := range strings.Split(m[2], ";") {
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
		api, _ := url.Parse(g.api)
		if u.Scheme != api.Scheme || u.Host != api.Host {
			return "", fmt.Errorf("listing the comments: the next page %s is not on %s", m[1], g.api)
		}
		return u.String(), nil
	}
	return "", nil
}

// do sends one request with a JSON body (when in is not nil), decodes a JSON
// answer into out and returns the status.
func (g *ghClient) do(method, u string, in, out any, hdr *http.Header) (int, error) {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return 0, err
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+g.token)
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	req.Header.Set("User-Agent", "otelgen/"+version())
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := g.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Message string `json:"message"`
		}
		json.Unmarshal(data, &e)
		if e.Message == "" {
			e.Message = strings.TrimSpace(string(data))
		}
		return resp.StatusCode, fmt.Errorf("%s %s: %s: %s", method, redact(u), resp.Status, e.Message)
	}
	if hdr != nil {
		*hdr = resp.Header
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: %w", method, redact(u), err)
		}
	}
	return resp.StatusCode, nil
}

// redact drops the query of a URL for messages.
func redact(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i]
	}
	return u
}
