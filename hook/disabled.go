package hook

import (
	"os"
	"strings"
	"sync"
)

// DisabledEnv names the variable that turns integrations off when the
// program starts, without a new build: a comma-separated list of their
// names (the folder names under rules/, as in "nethttp,otelsdk"), or "all".
const DisabledEnv = "OTEL_GO_DISABLED_INSTRUMENTATIONS"

var disabled = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, name := range strings.Split(os.Getenv(DisabledEnv), ",") {
		if name = strings.ToLower(strings.TrimSpace(name)); name != "" {
			m[name] = true
		}
	}
	return m
})

// Disabled reports whether DisabledEnv turns off the integration of that
// name. An integration's hook package asks in its init function and then
// unbinds its hooks, so that a disabled integration costs its nil checks and
// nothing more.
func Disabled(integration string) bool {
	m := disabled()
	return m["all"] || m[integration]
}
