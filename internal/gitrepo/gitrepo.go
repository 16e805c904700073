// Package gitrepo reads files as a commit of a git repository has them, with
// the git command: "otelgen diff --base" compares the working tree's _otel/
// with the _otel/ of a git revision this way, without checking it out.
package gitrepo

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
)

// Prefix returns the path of dir relative to the top of the git repository
// that holds it, as git writes it: "" at the top, else ending with "/".
func Prefix(dir string) (string, error) {
	out, err := Run(dir, "rev-parse", "--show-prefix")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(out), nil
}

// Commit resolves ref (a branch, a tag, a commit, "HEAD~1"...) to the name of
// the commit it points to, in the repository that holds dir. A ref that
// starts with "-" is refused: git would read it as an option.
func Commit(dir, ref string) (string, error) {
	if strings.HasPrefix(ref, "-") {
		return "", fmt.Errorf("bad git revision %q", ref)
	}
	out, err := Run(dir, "rev-parse", "--verify", "--quiet", ref+"^{commit}")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(out), nil
}

// Run runs a git command in dir and returns its standard output. When git
// fails, the error is what it wrote on standard error, if anything.
func Run(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return "", errors.New(msg)
		}
		return "", err
	}
	return string(out), nil
}

// CatFiles reads git objects named "<commit>:<path>" (the path from the top
// of the repository) with one "git cat-file --batch" run in dir. Objects
// that do not exist, or are not files, are left out of the result.
func CatFiles(dir string, names []string) (map[string][]byte, error) {
	out := map[string][]byte{}
	if len(names) == 0 {
		return out, nil
	}
	var in bytes.Buffer
	for _, n := range names {
		in.WriteString(n + "\n")
	}
	cmd := exec.Command("git", "cat-file", "--batch")
	cmd.Dir = dir
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	r := bufio.NewReader(stdout)
	var readErr error
	for _, n := range names {
		header, err := r.ReadString('\n')
		if err != nil {
			readErr = fmt.Errorf("git cat-file: %w", err)
			break
		}
		fields := strings.Fields(header)
		if len(fields) != 3 {
			continue // "<name> missing", "<name> ambiguous"
		}
		size, err := strconv.Atoi(fields[2])
		if err != nil {
			readErr = fmt.Errorf("git cat-file: bad header %q", header)
			break
		}
		data := make([]byte, size+1) // and the newline after it
		if _, err := io.ReadFull(r, data); err != nil {
			readErr = fmt.Errorf("git cat-file: %w", err)
			break
		}
		if fields[1] == "blob" {
			out[n] = data[:size]
		}
	}
	io.Copy(io.Discard, r)
	if err := cmd.Wait(); err != nil && readErr == nil {
		readErr = fmt.Errorf("git cat-file: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return out, readErr
}
