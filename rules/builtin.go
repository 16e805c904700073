package rules

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"golang.org/x/tools/txtar"
)

// Module is otelgen's module path. Each built-in integration is a module of
// its own under it, rules/<name>, so that a program pulls in only the
// integrations whose rules apply to it.
const Module = "github.com/otelgen/otelgen"

// files holds this folder's schema and documentation, and builtin.txtar:
// the rule files of every integration and of the runtime patch, bundled,
// since the binary cannot embed files of other modules. TestBundle keeps the
// bundle equal to the folders; go generate rewrites it.
//
//go:generate go test -run TestBundle|TestHookReach -update
//go:embed README.md schema.json builtin.txtar
var files embed.FS

// BundleName is the bundle's file name in this folder.
const BundleName = "builtin.txtar"

// bundle is what builtin.txtar holds, parsed.
type bundle struct {
	rules    []*Rule
	settings []*Setting
}

var builtin = sync.OnceValues(func() (*bundle, error) {
	fsys, err := bundleFS()
	if err != nil {
		return nil, err
	}
	rs, settings, err := parseFS(fsys, "rules")
	if err != nil {
		return nil, err
	}
	const patch = "gls-runtime/patch/gls.yaml"
	data, err := fs.ReadFile(fsys, patch)
	if err != nil {
		return nil, err
	}
	gls, err := ParseRules(patch, data, func(rel string) ([]byte, error) { return fs.ReadFile(fsys, "gls-runtime/patch/"+rel) })
	if err != nil {
		return nil, err
	}
	return &bundle{append(rs, gls...), settings}, nil
})

func bundleFS() (fs.FS, error) {
	data, err := files.ReadFile(BundleName)
	if err != nil {
		return nil, err
	}
	fsys, err := txtar.FS(txtar.Parse(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", BundleName, err)
	}
	return fsys, nil
}

// Builtin returns the rules embedded in the binary.
func Builtin() ([]*Rule, error) {
	b, err := builtin()
	if err != nil {
		return nil, err
	}
	return b.rules, nil
}

// BuiltinSettings returns the settings that the built-in integrations
// declare, in the order of their files.
func BuiltinSettings() ([]*Setting, error) {
	b, err := builtin()
	if err != nil {
		return nil, err
	}
	return b.settings, nil
}

// Schema returns the JSON schema of a rule file.
func Schema() []byte {
	b, _ := files.ReadFile("schema.json")
	return b
}

// IntegrationModule returns the module of the built-in integration whose
// package path is, or "" when path belongs to none.
func IntegrationModule(path string) string {
	rest, ok := strings.CutPrefix(path, Module+"/rules/")
	if !ok || rest == "" {
		return ""
	}
	name, _, _ := strings.Cut(rest, "/")
	return Module + "/rules/" + name
}
