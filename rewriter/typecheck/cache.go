package typecheck

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// CacheEnv names the environment variable that moves otelgen's cache
// (default: the user's cache directory, as os.UserCacheDir says, /otelgen),
// or turns it off with "off".
const CacheEnv = "OTELGEN_CACHE"

// cacheFormat changes whenever what the cache holds, or how keys are made,
// changes: entries of another format are never read.
const cacheFormat = "otelgen-typecache-2"

// A Cache holds what type-checking a package produced, by a key that names
// everything the result depends on: the types of dependency packages as
// shallow export data (see encodeShallow), and the verdict of full checks
// that found no error. Entries are never changed once written, only added,
// read and trimmed; a missing, truncated or corrupt entry is a miss.
//
// The entries that a run adds are written together at Close, in one file
// of packs/: making a file is most of the cost of writing a small one (on
// this project's machines about 1 ms each), and a first generate adds
// about 150. Notes, which change, are files of their own, in notes/. Any
// number of processes can share a cache: each file is written to a
// temporary file and renamed into place, and a run reads the packs there
// when it first reads.
type Cache struct {
	dir string

	mu      sync.Mutex
	pending map[string][]byte // added this run, for the next pack
	packs   map[string]*pack  // read this run, by file name; nil until the first read
	index   map[string][]place

	// Entries that putLater makes in the background, one at a time,
	// by key until made, and in order.
	later   map[string]*laterEntry
	queue   []*laterEntry
	making  bool // a goroutine of writers works through queue
	writers sync.WaitGroup
}

// A laterEntry is an entry of the cache that is made when first asked
// for, by get or by the goroutine that works through the queue.
type laterEntry struct {
	key  string
	once sync.Once
	make func() ([]byte, bool)
	data []byte
	ok   bool
}

func (l *laterEntry) get() ([]byte, bool) {
	l.once.Do(func() {
		l.data, l.ok = l.make()
		l.make = nil
	})
	return l.data, l.ok
}

// A pack is one file of packs/, open for reading.
type pack struct {
	f    *os.File
	data int64 // where the entries start
	used bool  // read from this run
}

// A place is where an entry is in a pack.
type place struct {
	p        *pack
	off, len int64
}

// packFormat heads every pack; packs of another format are not read.
const packFormat = "otelgen-pack-1"

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
	return &Cache{dir: dir, pending: map[string][]byte{}, later: map[string]*laterEntry{}}
}

// Dir is the cache's directory.
func (c *Cache) Dir() string { return c.dir }

// get returns the data stored under key, or false. It checks that the entry
// is whole: its header names the key, and its checksum matches.
func (c *Cache) get(key string) ([]byte, bool) {
	if c == nil || len(key) < 2 {
		return nil, false
	}
	c.mu.Lock()
	if data, ok := c.pending[key]; ok {
		c.mu.Unlock()
		return data, true
	}
	if l := c.later[key]; l != nil {
		c.mu.Unlock()
		return l.get()
	}
	if c.packs == nil {
		c.readPacks()
	}
	places := c.index[key]
	c.mu.Unlock()
	for _, pl := range places {
		if data, ok := readEntry(pl.p.f, pl.p.data, pl, key); ok {
			c.mu.Lock()
			pl.p.used = true
			c.mu.Unlock()
			return data, true
		}
	}
	return nil, false
}

// readPacks opens every pack of the cache and reads its index. The caller
// holds c.mu.
func (c *Cache) readPacks() {
	c.packs, c.index = map[string]*pack{}, map[string][]place{}
	entries, _ := os.ReadDir(filepath.Join(c.dir, "packs"))
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		f, err := os.Open(filepath.Join(c.dir, "packs", e.Name()))
		if err != nil {
			continue
		}
		p := &pack{f: f}
		places, data, ok := readIndex(f)
		if !ok {
			f.Close()
			continue
		}
		p.data = data
		c.packs[e.Name()] = p
		for key, pl := range places {
			pl.p = p
			c.index[key] = append(c.index[key], pl)
		}
	}
}

// readIndex reads the index at the start of a pack: the format, the number
// of entries, then a line "<key> <offset> <length>" for each, offsets from
// the end of the index. It returns the entries and where they start.
func readIndex(f *os.File) (map[string]place, int64, bool) {
	r := bufio.NewReader(f)
	var n int64
	line := func() (string, bool) {
		s, err := r.ReadString('\n')
		n += int64(len(s))
		return strings.TrimSuffix(s, "\n"), err == nil
	}
	if head, ok := line(); !ok || head != packFormat {
		return nil, 0, false
	}
	countLine, ok := line()
	count, err := strconv.Atoi(countLine)
	if !ok || err != nil || count < 0 {
		return nil, 0, false
	}
	places := make(map[string]place, count)
	for range count {
		l, ok := line()
		fields := strings.Fields(l)
		if !ok || len(fields) != 3 {
			return nil, 0, false
		}
		off, err1 := strconv.ParseInt(fields[1], 10, 64)
		size, err2 := strconv.ParseInt(fields[2], 10, 64)
		if err1 != nil || err2 != nil || off < 0 || size < 0 {
			return nil, 0, false
		}
		places[fields[0]] = place{off: off, len: size}
	}
	return places, n, true
}

// readEntry reads the entry of key at pl in pack file f, whose entries
// start at data, and decodes it.
func readEntry(f *os.File, data int64, pl place, key string) ([]byte, bool) {
	raw := make([]byte, pl.len)
	if _, err := f.ReadAt(raw, data+pl.off); err != nil {
		return nil, false
	}
	return decodeEntry(key, raw)
}

// put stores data under key, for the pack that Close writes. The same key
// always stores the same data.
func (c *Cache) put(key string, data []byte) {
	if c == nil || len(key) < 2 {
		return
	}
	c.mu.Lock()
	c.pending[key] = data
	c.mu.Unlock()
}

// putLater stores under key what make returns, unless it returns false,
// as put does; make runs in the background, after the entries put later
// before it, so that the caller goes on at once: the export data of a
// package is written while its importers are checked, and a run that adds
// many entries uses at most one core to make them.
func (c *Cache) putLater(key string, make func() ([]byte, bool)) {
	if c == nil || len(key) < 2 {
		return
	}
	l := &laterEntry{key: key, make: make}
	c.mu.Lock()
	c.later[key] = l
	c.queue = append(c.queue, l)
	start := !c.making
	c.making = true
	c.mu.Unlock()
	if start {
		c.writers.Go(c.makeLater)
	}
}

// makeLater makes the entries of the queue, in order, until it is empty.
func (c *Cache) makeLater() {
	for {
		c.mu.Lock()
		if len(c.queue) == 0 {
			c.making = false
			c.mu.Unlock()
			return
		}
		l := c.queue[0]
		c.queue = c.queue[1:]
		c.mu.Unlock()
		data, ok := l.get()
		c.mu.Lock()
		if ok {
			c.pending[l.key] = data
		}
		delete(c.later, l.key)
		c.mu.Unlock()
	}
}

// Close writes what the run added to a pack of its own, once the entries
// made later are made, marks the packs it read as used, so that the trim
// keeps them, and trims the cache. A failure to write is no error: the
// cache is only a cache. A second Close does nothing. Nothing may be added
// once Close is called.
func (c *Cache) Close() {
	if c == nil {
		return
	}
	c.writers.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pending) > 0 {
		c.writePack(c.pending)
		c.pending = map[string][]byte{}
	}
	now := time.Now()
	for name, p := range c.packs {
		if fi, err := p.f.Stat(); err == nil && p.used && now.Sub(fi.ModTime()) > time.Hour {
			os.Chtimes(filepath.Join(c.dir, "packs", name), now, now)
		}
		p.f.Close()
	}
	c.packs, c.index = nil, nil
	c.trim()
}

// writePack writes entries to a new pack, named by its content, and
// returns its name, "" when it could not.
func (c *Cache) writePack(entries map[string][]byte) string {
	var index, data bytes.Buffer
	keys := slices.Sorted(maps.Keys(entries))
	fmt.Fprintf(&index, "%s\n%d\n", packFormat, len(keys))
	for _, k := range keys {
		e := encodeEntry(k, entries[k])
		fmt.Fprintf(&index, "%s %d %d\n", k, data.Len(), len(e))
		data.Write(e)
	}
	dir := filepath.Join(c.dir, "packs")
	sum := sha256.New()
	sum.Write(index.Bytes())
	sum.Write(data.Bytes())
	name := hex.EncodeToString(sum.Sum(nil))[:32]
	if !writeFile(dir, name, index.Bytes(), data.Bytes()) {
		return ""
	}
	return name
}

// writeFile writes parts to dir/name through a temporary file, making dir
// when it is missing.
func writeFile(dir, name string, parts ...[]byte) bool {
	f, err := os.CreateTemp(dir, ".tmp-*")
	if errors.Is(err, fs.ErrNotExist) {
		if os.MkdirAll(dir, 0o755) == nil {
			f, err = os.CreateTemp(dir, ".tmp-*")
		}
	}
	if err != nil {
		return false
	}
	var werr error
	for _, p := range parts {
		if _, err := f.Write(p); err != nil && werr == nil {
			werr = err
		}
	}
	if cerr := f.Close(); werr != nil || cerr != nil {
		os.Remove(f.Name())
		return false
	}
	if err := os.Rename(f.Name(), filepath.Join(dir, name)); err != nil {
		os.Remove(f.Name())
		return false
	}
	return true
}

// Get returns what Put stored under name, if any.
func (c *Cache) Get(name string) ([]byte, bool) { return c.get(nameKey("entry", name)) }

// Put stores data under name, which must name that data only (a digest of
// what it was made from): it goes into the run's pack, as type entries do.
func (c *Cache) Put(name string, data []byte) { c.put(nameKey("entry", name), data) }

// GetNote returns the data that PutNote stored under name, if any. Notes
// are small records that change (the hook packages that a module's last
// generate loaded), each a file of its own, written at once.
func (c *Cache) GetNote(name string) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	key := nameKey("note", name)
	file := filepath.Join(c.dir, "notes", key)
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, false
	}
	if fi, err := os.Stat(file); err == nil && time.Since(fi.ModTime()) > time.Hour {
		now := time.Now()
		os.Chtimes(file, now, now)
	}
	return decodeEntry(key, raw)
}

// PutNote stores data under name in place of what it held.
func (c *Cache) PutNote(name string, data []byte) {
	if c == nil {
		return
	}
	key := nameKey("note", name)
	writeFile(filepath.Join(c.dir, "notes"), key, encodeEntry(key, data))
}

// nameKey is the key of a named entry of kind: a hash that no type entry's
// key can be.
func nameKey(kind, name string) string {
	sum := sha256.Sum256([]byte(kind + "\x00" + name))
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

// trimEvery and trimAge: once a day, packs and notes unused for five days
// go; maxPacks: then, more packs than that are merged into one.
const (
	trimEvery = 24 * time.Hour
	trimAge   = 5 * 24 * time.Hour
	maxPacks  = 16
)

// trim removes the packs and notes that no run has used for five days, at
// most once a day, so that the cache holds about what the last days' runs
// needed, and merges the packs left when there are many, so that opening
// them stays cheap. It also removes what older otelgens left: an entry a
// file, in directories named by the key's first two digits. The caller
// holds c.mu, and no pack is open.
func (c *Cache) trim() {
	stamp := filepath.Join(c.dir, "trimmed")
	if fi, err := os.Stat(stamp); err == nil && time.Since(fi.ModTime()) < trimEvery {
		return
	}
	os.WriteFile(stamp, nil, 0o644)
	now := time.Now()
	old := func(e fs.DirEntry) bool {
		fi, err := e.Info()
		return err == nil && now.Sub(fi.ModTime()) > trimAge
	}
	entries, _ := os.ReadDir(c.dir)
	for _, d := range entries {
		if !d.IsDir() || len(d.Name()) != 2 {
			continue
		}
		sub := filepath.Join(c.dir, d.Name())
		filepath.WalkDir(sub, func(path string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() && old(e) {
				os.Remove(path)
			}
			return nil
		})
		os.Remove(sub) // when empty
	}
	notes, _ := os.ReadDir(filepath.Join(c.dir, "notes"))
	for _, e := range notes {
		if old(e) {
			os.Remove(filepath.Join(c.dir, "notes", e.Name()))
		}
	}
	dir := filepath.Join(c.dir, "packs")
	packs, _ := os.ReadDir(dir)
	var live []string
	for _, e := range packs {
		switch {
		case strings.HasPrefix(e.Name(), ".") && old(e):
			os.Remove(filepath.Join(dir, e.Name())) // a temporary file left
		case strings.HasPrefix(e.Name(), "."):
		case old(e):
			os.Remove(filepath.Join(dir, e.Name()))
		default:
			live = append(live, e.Name())
		}
	}
	if len(live) > maxPacks {
		c.merge(live)
	}
}

// merge writes the entries of packs names to one pack, and removes them.
func (c *Cache) merge(names []string) {
	all := map[string][]byte{}
	for _, name := range names {
		f, err := os.Open(filepath.Join(c.dir, "packs", name))
		if err != nil {
			continue
		}
		places, data, _ := readIndex(f)
		for key, pl := range places {
			if d, ok := readEntry(f, data, pl, key); ok {
				all[key] = d
			}
		}
		f.Close()
	}
	merged := ""
	if len(all) > 0 {
		if merged = c.writePack(all); merged == "" {
			return
		}
	}
	for _, name := range names {
		if name != merged {
			os.Remove(filepath.Join(c.dir, "packs", name))
		}
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
