package rewriter

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/otelgen/otelgen/rules"
	"golang.org/x/mod/modfile"
)

// Each built-in integration is a module of its own (rules/<name>), which
// the user's go.mod does not require: adding otelgen as a tool must not pull
// gin or a Kafka client into a module that uses neither. generate adds the
// integrations whose rules apply to the go.mod the instrumented build sees
// (_otel/go.mod), at the version of otelgen that the module requires, or
// pointing at the same local checkout when go.mod replaces otelgen with one.

// otelgenSource is where the module gets otelgen from: a version, or a
// directory that go.mod replaces it with (as written there, relative to the
// module root or absolute).
type otelgenSource struct {
	version string
	dir     string
}

// findOtelgen reads how go.mod requires otelgen. fallback is the running
// otelgen's version, used when go.mod does not require otelgen at all.
func findOtelgen(f *modfile.File, fallback string) (otelgenSource, error) {
	var src otelgenSource
	for _, r := range f.Require {
		if r.Mod.Path == rules.Module {
			src.version = r.Mod.Version
		}
	}
	for _, r := range f.Replace {
		if r.Old.Path == rules.Module && (r.Old.Version == "" || r.Old.Version == src.version) {
			if r.New.Version == "" {
				src.dir = r.New.Path
			} else {
				src.version = r.New.Version
			}
		}
	}
	if src.version == "" {
		if !strings.HasPrefix(fallback, "v") {
			return src, fmt.Errorf("go.mod does not require %s, so otelgen cannot tell which version of its integrations the build needs:"+
				"\n\tadd otelgen as a tool with: go tool otelgen init (or go get -tool %s/cmd/otelgen)", rules.Module, rules.Module)
		}
		src.version = fallback
	}
	return src, nil
}

// addIntegrations adds to f a requirement of each module in mods, at
// otelgen's version. When otelgen comes from a directory, it returns the
// replace directives that point them, and the otelgen modules they require,
// at that directory's folders, read from root (the module root).
func addIntegrations(f *modfile.File, mods []string, src otelgenSource, root string) ([]string, error) {
	have := map[string]bool{}
	for _, r := range f.Require {
		have[r.Mod.Path] = true
	}
	for _, m := range mods {
		if !have[m] {
			if err := f.AddRequire(m, src.version); err != nil {
				return nil, err
			}
		}
	}
	if src.dir == "" {
		return nil, nil
	}
	var out []string
	replaced := map[string]bool{}
	for _, r := range f.Replace {
		replaced[r.Old.Path] = true
	}
	queue := slices.Clone(mods)
	for len(queue) > 0 {
		m := queue[0]
		queue = queue[1:]
		if replaced[m] {
			continue
		}
		replaced[m] = true
		sub := strings.TrimPrefix(m, rules.Module+"/")
		dir := path.Join(filepath.ToSlash(src.dir), sub)
		if !modfile.IsDirectoryPath(dir) {
			dir = "./" + dir
		}
		out = append(out, m+" => "+dir)
		abs := filepath.FromSlash(dir)
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(root, abs)
		}
		gomod := filepath.Join(abs, "go.mod")
		data, err := os.ReadFile(gomod)
		if err != nil {
			return nil, fmt.Errorf("go.mod replaces %s with %s, which has no module %s: %w", rules.Module, src.dir, m, err)
		}
		sf, err := modfile.ParseLax(gomod, data, nil)
		if err != nil {
			return nil, err
		}
		for _, r := range sf.Require {
			if strings.HasPrefix(r.Mod.Path, rules.Module+"/") {
				queue = append(queue, r.Mod.Path)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// integrationsComment heads the replacements of otelgen's modules.
const integrationsComment = "Added by otelgen: its integrations, from the checkout that replaces " + rules.Module + "."

// regroupReplaces moves the replace directives in lines (as replaceBlock
// takes them) into one block at the end of goMod.
func regroupReplaces(goMod []byte, comment string, lines []string) ([]byte, error) {
	if len(lines) == 0 {
		return goMod, nil
	}
	f, err := modfile.Parse("go.mod", goMod, nil)
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		old, _, _ := strings.Cut(l, " => ")
		if err := f.DropReplace(old, ""); err != nil {
			return nil, err
		}
	}
	f.Cleanup()
	out, err := f.Format()
	if err != nil {
		return nil, err
	}
	return replaceBlock(out, comment, lines), nil
}

// replaceBlock formats replace directives as a block appended to go.mod.
func replaceBlock(goMod []byte, comment string, lines []string) []byte {
	if len(lines) == 0 {
		return goMod
	}
	var b bytes.Buffer
	b.Write(goMod)
	if !bytes.HasSuffix(goMod, []byte("\n")) {
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "\n// %s\nreplace (\n", comment)
	for _, l := range lines {
		fmt.Fprintf(&b, "\t%s\n", l)
	}
	b.WriteString(")\n")
	return b.Bytes()
}

// missingIntegrations returns the integration modules of hook packages that
// f does not require, sorted.
func missingIntegrations(f *modfile.File, hookPkgs map[string]bool) []string {
	have := map[string]bool{}
	for _, r := range f.Require {
		have[r.Mod.Path] = true
	}
	var out []string
	for p := range hookPkgs {
		if m := rules.IntegrationModule(p); m != "" && !have[m] && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out
}
