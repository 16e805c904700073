package github

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Event is what otelgen reads of a GitHub Actions event, the JSON file
// that GITHUB_EVENT_PATH names.
type Event struct {
	PullRequest *struct {
		Number int `json:"number"`
		Head   struct {
			Repo *Repo `json:"repo"`
		} `json:"head"`
		Base struct {
			Repo *Repo `json:"repo"`
		} `json:"base"`
	} `json:"pull_request"`
	Repository *Repo `json:"repository"`
}

// Repo is a repository as an event names it.
type Repo struct {
	FullName string `json:"full_name"`
}

// ReadEvent reads the event file of a GitHub Actions job.
func ReadEvent(name string) (*Event, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("reading the event: %w", err)
	}
	var ev Event
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, fmt.Errorf("reading the event %s: %w", name, err)
	}
	return &ev, nil
}

// FromFork reports whether the event is a pull request from a repository
// other than its base (repo, unless the event names the base), whose
// token is read-only, and names that repository ("a deleted fork" when it
// is gone). eventName is GITHUB_EVENT_NAME: pull_request_target runs with
// the base's token, which can write.
func (e *Event) FromFork(repo, eventName string) (head string, fork bool) {
	pr := e.PullRequest
	if pr == nil || eventName == "pull_request_target" {
		return "", false
	}
	base := repo
	if pr.Base.Repo != nil {
		base = pr.Base.Repo.FullName
	} else if e.Repository != nil {
		base = e.Repository.FullName
	}
	switch {
	case pr.Head.Repo == nil:
		return "a deleted fork", true
	case !strings.EqualFold(pr.Head.Repo.FullName, base):
		return pr.Head.Repo.FullName, true
	}
	return "", false
}

// AppendSummary adds text, as one paragraph, to the job summary: the file
// that GITHUB_STEP_SUMMARY names.
func AppendSummary(name, text string) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(f, "%s\n", strings.TrimRight(text, "\n"))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
