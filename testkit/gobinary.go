package testkit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"
)

// goBinary returns the kit's cached build of a server written in Go, the
// command cmdPkg of module at version, building it first when the cache has
// none: it downloads the module through the module proxy, lets prepare edit
// a copy of its source, and runs go build there with env. Test binaries that
// start together wait for the one that builds, through a lock directory next
// to the binary.
func goBinary(name, module, version, cmdPkg string, env []string, prepare func(src string) error) (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		// No home directory: a cache that lasts as long as the machine's
		// temporary files.
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "otelgen-testkit", name+"-"+version+"-"+runtime.GOOS+"-"+runtime.GOARCH)
	bin := filepath.Join(dir, exe(name))
	if isFile(bin) {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	lock := filepath.Join(dir, "building")
	for {
		err := os.Mkdir(lock, 0o755)
		if err == nil {
			break
		}
		if !errors.Is(err, os.ErrExist) {
			return "", err
		}
		// Another test binary builds it; a lock older than any build is
		// left by one that died.
		if fi, err := os.Stat(lock); err == nil && time.Since(fi.ModTime()) > 15*time.Minute {
			os.Remove(lock)
			continue
		}
		time.Sleep(time.Second)
		if isFile(bin) {
			return bin, nil
		}
	}
	defer os.Remove(lock)
	if isFile(bin) {
		return bin, nil
	}

	tmp, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	dl := exec.Command("go", "mod", "download", "-json", module+"@"+version)
	dl.Dir = tmp
	dl.Env = append(os.Environ(), "GOFLAGS=", "GO111MODULE=on")
	var stderr bytes.Buffer
	dl.Stderr = &stderr
	out, err := dl.Output()
	var mod struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &mod); jerr != nil {
		return "", fmt.Errorf("go mod download: %v %v\n%s%s", err, jerr, out, stderr.Bytes())
	}
	if mod.Dir == "" {
		return "", fmt.Errorf("go mod download: %s", mod.Error)
	}
	src := filepath.Join(tmp, "src")
	if err := os.CopyFS(src, os.DirFS(mod.Dir)); err != nil {
		return "", err
	}
	if prepare != nil {
		if err := prepare(src); err != nil {
			return "", err
		}
	}
	built := filepath.Join(tmp, exe(name))
	if _, err := command(src, env, "go", "build", "-o", built, cmdPkg); err != nil {
		return "", err
	}
	if err := os.Rename(built, bin); err != nil {
		return "", err
	}
	return bin, nil
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}
