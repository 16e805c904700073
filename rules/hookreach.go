package rules

import (
	_ "embed"
	"strings"
	"sync"
)

// hookReach is what the built-in hook packages import, directly or not, on
// which built-in rules match, as go list found it in this checkout:
// TestHookReach keeps it current and go generate rewrites it.
//
//go:embed hookreach.txt
var hookReach string

// HookReachName is the table's file name in this folder.
const HookReachName = "hookreach.txt"

var hookReachTable = sync.OnceValue(func() map[string][]string {
	return parseHookReach(hookReach)
})

// parseHookReach reads lines of a hook package followed by the packages it
// reaches; lines starting with # are comments.
func parseHookReach(text string) map[string][]string {
	m := map[string][]string{}
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		m[f[0]] = f[1:]
	}
	return m
}

// HookReach returns the packages that the built-in hook package pkg
// imports, directly or through any number of packages, on which a built-in
// rule (one that no option gates) matches, with the versions of its
// dependencies that otelgen's own modules require. A program can select
// other versions, whose imports differ: it is a guess of which rules
// loading pkg makes match, for a first load to start from.
func HookReach(pkg string) []string {
	return hookReachTable()[pkg]
}
