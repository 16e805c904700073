package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/otelgen/otelgen/internal/github"
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
	if p := os.Getenv("GITHUB_EVENT_PATH"); p != "" {
		ev, err := github.ReadEvent(p)
		if err != nil {
			c.errorf("%v", err)
			return exitUsage
		}
		if ev.PullRequest != nil && o.pr == 0 {
			o.pr = ev.PullRequest.Number
		}
		if from, fork := ev.FromFork(o.repo, os.Getenv("GITHUB_EVENT_NAME")); fork {
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
	gh := &github.Client{API: o.api, Token: token, UserAgent: "otelgen/" + version(), HTTP: &http.Client{Timeout: 30 * time.Second}}
	done, what, err := gh.Upsert(o.repo, o.pr, prdiff.CommentMarker, body)
	if se := (*github.StatusError)(nil); errors.As(err, &se) && se.Code == http.StatusForbidden && what != "" {
		return c.toSummary(o, body, fmt.Sprintf("GitHub refused the comment (%v): the token cannot write to pull request #%d (does the workflow have permissions: pull-requests: write?)", err, o.pr))
	}
	if err != nil {
		c.errorf("%v", err)
		return exitUsage
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
	if err := github.AppendSummary(o.summary, body); err != nil {
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
