package modsetup

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// checkModule makes sure that the module's packages and their tests
// load from go.mod and go.sum as they are, so that go build and go test
// work after init. go get -tool can upgrade a module whose packages the
// program imports, because otelgen's dependency graph requires a newer
// version, and record only that version's go.mod hash in go.sum, since the
// tool imports none of its packages; go build then fails with "missing
// go.sum entry". checkModule adds those hashes with go mod download of
// the modules at the versions go.mod selects, which changes go.sum and
// nothing else, and checks again. It may download modules, as go build
// would.
func checkModule(root string, w io.Writer) error {
	bad, err := loadErrors(root)
	if err != nil {
		return err
	}
	if len(bad) == 0 {
		return nil
	}
	mods, err := missingSums(root, bad)
	if err != nil {
		return err
	}
	var downloadErr string
	if len(mods) > 0 {
		sum, _ := os.ReadFile(filepath.Join(root, "go.sum"))
		got, out, err := download(root, mods)
		for _, m := range got {
			if !bytes.Contains(append([]byte("\n"), sum...), []byte("\n"+m+" h1:")) {
				fmt.Fprintf(w, "go.sum: added the hash of %s, for the packages this module imports from it\n", m)
			}
		}
		if err != nil {
			downloadErr = out
		}
		if bad, err = loadErrors(root); err != nil {
			return err
		}
		if len(bad) == 0 {
			return nil
		}
	}

	var b strings.Builder
	b.WriteString("this module's packages do not load with go.mod and go.sum as they are, so go build would fail:\n")
	for i, e := range bad {
		if i == 6 {
			b.WriteString("\t...\n")
			break
		}
		fmt.Fprintf(&b, "\t%s\n", strings.ReplaceAll(e.String(), "\n", "\n\t"))
	}
	if downloadErr != "" {
		fmt.Fprintf(&b, "init could not download the modules whose hashes go.sum lacks:\n\t%s\n", strings.ReplaceAll(downloadErr, "\n", "\n\t"))
	}
	if mods, _ := missingSums(root, bad); len(mods) > 0 {
		fmt.Fprintf(&b, "Add their hashes to go.sum, then run init again:\n\tgo mod download %s", strings.Join(mods, " "))
	} else {
		b.WriteString("Fix that (go list -deps -test ./... shows the errors), then run init again")
	}
	return errors.New(b.String())
}

// loadError is a package that does not load, why, and the package
// that imports it when err does not say.
type loadError struct {
	pkg, err, from string
}

func (e loadError) String() string {
	if e.from == "" {
		return e.pkg + ": " + e.err
	}
	return fmt.Sprintf("%s (imported by %s): %s", e.pkg, e.from, e.err)
}

// loadErrors lists the errors of the module's packages, their tests and
// their dependencies, as go build and go test would meet them. With a vendor
// directory, which init brings up to date only afterwards, it checks go.mod
// and go.sum instead (-mod=readonly, which the go command otherwise
// implies).
func loadErrors(root string) ([]loadError, error) {
	args := []string{"list", "-e", "-deps", "-test", "-json=ImportPath,Error", "./..."}
	if _, err := os.Stat(filepath.Join(root, "vendor", "modules.txt")); err == nil {
		args = slices.Insert(args, 1, "-mod=readonly")
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, bytes.TrimSpace(stderr.Bytes()))
	}
	var bad []loadError
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath string
			Error      *struct {
				ImportStack []string
				Err         string
			}
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
		}
		if p.Error == nil {
			continue
		}
		e := loadError{pkg: p.ImportPath, err: strings.TrimSpace(p.Error.Err)}
		if st := p.Error.ImportStack; len(st) > 0 && !strings.Contains(e.err, "imported by") {
			e.from = st[len(st)-1]
		}
		// A package's error repeats in its copies for tests, named
		// "path [path.test]": keep one.
		if i := strings.Index(e.pkg, " ["); i >= 0 {
			e.pkg = e.pkg[:i]
		}
		if !slices.Contains(bad, e) {
			bad = append(bad, e)
		}
	}
	return bad, nil
}

// missingSums returns the modules, as path@version, that provide the
// packages whose errors say go.sum lacks an entry: every module go.mod
// requires whose path is the package's or a prefix of it, since the go
// command needs the hash of each to tell which one provides the package.
func missingSums(root string, bad []loadError) ([]string, error) {
	f, err := readModFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	var mods []string
	for _, e := range bad {
		if !strings.Contains(e.err, "missing go.sum entry") {
			continue
		}
		for _, r := range f.Require {
			p := r.Mod.Path
			if e.pkg != p && !strings.HasPrefix(e.pkg, p+"/") {
				continue
			}
			if m := p + "@" + r.Mod.Version; !slices.Contains(mods, m) {
				mods = append(mods, m)
			}
		}
	}
	return mods, nil
}

// download runs go mod download for mods, which records their hashes in
// go.sum. It returns the modules downloaded, as "path version", and on
// failure the go command's output.
func download(root string, mods []string) ([]string, string, error) {
	args := append([]string{"mod", "download", "-json"}, mods...)
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var (
		got  []string
		errs []string
	)
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var m struct{ Path, Version, Error string }
		if dec.Decode(&m) != nil {
			break
		}
		if m.Error != "" {
			if !strings.HasPrefix(m.Error, m.Path) {
				m.Error = m.Path + "@" + m.Version + ": " + m.Error
			}
			errs = append(errs, m.Error)
		} else {
			got = append(got, m.Path+" "+m.Version)
		}
	}
	if err == nil {
		return got, "", nil
	}
	if s := strings.TrimSpace(stderr.String()); s != "" {
		errs = append(errs, s)
	}
	if len(errs) == 0 {
		errs = append(errs, err.Error())
	}
	return got, strings.Join(errs, "\n"), err
}
