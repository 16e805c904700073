package typecheck

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// CacheEnv names the environment variable that moves otelgen's cache
// (default: the user's cache directory, as os.UserCacheDir says, /otelgen),
// or turns it off with "off".
const CacheEnv = "OTELGEN_CACHE"

// cacheFormat changes whenever what the cache holds, or how keys are made,
// changes: entries of another format are never read.
const cacheFormat = "otelgen-typecache-1"

// A Cache holds what type-checking a package produced, by a key that names
// everything the result depends on: the types of dependency packages as
// export data, and the verdict of full checks that found no error. Entries
// are never changed once written, only added, read and trimmed; a missing,
// truncated or corrupt entry is a miss. Any number of processes can share a
// cache: each entry is written to a temporary file and renamed into place.
type Cache struct {
	dir string
}

// OpenCache returns the cache that the environment asks for: $OTELGEN_CACHE,
// or otelgen/ under the user's cache directory; nil when OTELGEN_CACHE=off or
// when no directory can be had, in which case otelgen works without one.
func OpenCache() *Cache {
	dir := os.Getenv(CacheEnv)
	if dir == "off" {
		return nil
	}
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil
		}
		dir = filepath.Join(base, "otelgen")
	}
	return NewCache(dir)
}

// NewCache returns the cache in dir, creating dir if needed, or nil when it
// cannot be created.
func NewCache(dir string) *Cache {
	if !filepath.IsAbs(dir) {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil
		}
		dir = abs
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, "README")); err != nil {
		os.WriteFile(filepath.Join(dir, "README"), []byte("This directory holds otelgen's cache of type information. Any of it can be\n"+
			"deleted at any time (rm -rf this directory): otelgen then type-checks from\n"+
			"source again. OTELGEN_CACHE=dir moves it, OTELGEN_CACHE=off turns it off.\n"), 0o644)
	}
	return &Cache{dir: dir}
}

// Dir is the cache's directory.
func (c *Cache) Dir() string { return c.dir }

func (c *Cache) file(key string) string {
	return filepath.Join(c.dir, key[:2], key)
}

// get returns the data stored under key, or false. It checks that the entry
// is whole: its header names the key, and its checksum matches.
func (c *Cache) get(key string) ([]byte, bool) {
	if c == nil || len(key) < 2 {
		return nil, false
	}
	name := c.file(key)
	raw, err := os.ReadFile(name)
	if err != nil {
		return nil, false
	}
	data, ok := decodeEntry(key, raw)
	if !ok {
		return nil, false
	}
	// Mark the entry as used, at most once an hour, so that trim keeps
	// what is in use.
	if fi, err := os.Stat(name); err == nil && time.Since(fi.ModTime()) > time.Hour {
		now := time.Now()
		os.Chtimes(name, now, now)
	}
	return data, true
}

// put stores data under key. A failure to write is no error: the cache is
// only a cache.
func (c *Cache) put(key string, data []byte) {
	if c == nil || len(key) < 2 {
		return
	}
	name := c.file(key)
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return
	}
	_, werr := f.Write(encodeEntry(key, data))
	if cerr := f.Close(); werr != nil || cerr != nil {
		os.Remove(f.Name())
		return
	}
	if err := os.Rename(f.Name(), name); err != nil {
		os.Remove(f.Name())
	}
}

// GetNote returns the data that PutNote stored under name, if any. Notes
// are small records besides type information (the hook packages that a
// module's last generate loaded), under keys of their own: a hash of "note"
// and the name, which no type entry's key can be.
func (c *Cache) GetNote(name string) ([]byte, bool) { return c.get(noteKey(name)) }

// PutNote stores data under name, as put does.
func (c *Cache) PutNote(name string, data []byte) { c.put(noteKey(name), data) }

func noteKey(name string) string {
	sum := sha256.Sum256([]byte("note\x00" + name))
	return hex.EncodeToString(sum[:])
}

// An entry is a header line, "<format> <key> <sha256 of data> <len>\n",
// then the data.
func encodeEntry(key string, data []byte) []byte {
	sum := sha256.Sum256(data)
	head := fmt.Sprintf("%s %s %x %d\n", cacheFormat, key, sum, len(data))
	return append([]byte(head), data...)
}

func decodeEntry(key string, raw []byte) ([]byte, bool) {
	head, data, ok := bytes.Cut(raw, []byte("\n"))
	if !ok {
		return nil, false
	}
	fields := strings.Fields(string(head))
	if len(fields) != 4 || fields[0] != cacheFormat || fields[1] != key || fields[3] != fmt.Sprint(len(data)) {
		return nil, false
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != fields[2] {
		return nil, false
	}
	return data, true
}

// trimEvery and trimAge: once a day, entries unused for five days go.
const (
	trimEvery = 24 * time.Hour
	trimAge   = 5 * 24 * time.Hour
)

// Trim removes the entries that no run has used for five days, at most once
// a day, so that the cache holds about what the last days' runs needed.
func (c *Cache) Trim() {
	if c == nil {
		return
	}
	stamp := filepath.Join(c.dir, "trimmed")
	if fi, err := os.Stat(stamp); err == nil && time.Since(fi.ModTime()) < trimEvery {
		return
	}
	os.WriteFile(stamp, nil, 0o644)
	now := time.Now()
	entries, _ := os.ReadDir(c.dir)
	for _, d := range entries {
		if !d.IsDir() || len(d.Name()) != 2 {
			continue
		}
		sub := filepath.Join(c.dir, d.Name())
		filepath.WalkDir(sub, func(path string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return nil
			}
			if fi, err := e.Info(); err == nil && now.Sub(fi.ModTime()) > trimAge {
				os.Remove(path)
			}
			return nil
		})
	}
}

// Salt is what every key of a run shares: the cache's format, what
// type-checks (the Go that built otelgen, the x/tools that writes export
// data), and what selects and sizes the program's code (the toolchain's
// version, GOOS/GOARCH, GOFLAGS, which may set build tags, and CGO_ENABLED).
func Salt(goversion, goos, goarch, goflags, cgo string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nbuilt-with %s\n", cacheFormat, runtime.Version())
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "golang.org/x/tools" {
				fmt.Fprintf(&b, "x/tools %s %s\n", d.Version, d.Sum)
			}
		}
	}
	fmt.Fprintf(&b, "go %s\nplatform %s/%s\ngoflags %s\ncgo %s\n", goversion, goos, goarch, goflags, cgo)
	return b.String()
}
