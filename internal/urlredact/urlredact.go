// Package urlredact keeps secrets out of the URL attributes (url.query,
// url.full) of the HTTP integrations (rules/nethttp, rules/fasthttp): the
// values of query parameters that usually carry a token or a password are
// replaced, and so are a URL's credentials. Its settings, shared by those
// integrations, add names to the list, remove names from it, or leave the
// query out; a long URL is cut to MaxLen.
package urlredact

import (
	"net/url"
	"strings"
	"sync"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/internal/bound"
)

// defaultSecrets are the query parameters whose values are not exported
// unless a setting keeps them: the semantic conventions' list for url.query
// and url.full, and the names that usually carry a token or a password.
// Compared without case.
var defaultSecrets = []string{
	"awsaccesskeyid", "signature", "sig", "x-goog-signature",
	"token", "access_token", "refresh_token", "id_token",
	"api_key", "apikey", "key", "password", "passwd",
	"secret", "client_secret", "auth", "code", "session",
}

// The settings' variables (declared in nethttp.yaml and fasthttp.yaml).
const (
	// QueryEnv is "redacted" (the default) or "off": no url.query, and
	// url.full without its query.
	QueryEnv = "OTEL_GO_HTTP_URL_QUERY"
	// RedactEnv adds parameter names to the secret ones.
	RedactEnv = "OTEL_GO_HTTP_REDACT_PARAMS"
	// KeepEnv removes parameter names from the secret ones.
	KeepEnv = "OTEL_GO_HTTP_KEEP_PARAMS"
)

// Redacted replaces what must not leave the process.
const Redacted = "REDACTED"

// MaxLen bounds url.query and url.full: a megabyte of query string must
// not make a megabyte attribute. Longer values are cut and end with "...".
const MaxLen = bound.MaxText

type config struct {
	off     bool
	secrets map[string]bool
}

var settings = sync.OnceValue(func() config {
	return newConfig(hook.Setting(QueryEnv), hook.Setting(RedactEnv), hook.Setting(KeepEnv))
})

func newConfig(query, redact, keep string) config {
	c := config{off: strings.EqualFold(strings.TrimSpace(query), "off"), secrets: map[string]bool{}}
	for _, n := range defaultSecrets {
		c.secrets[n] = true
	}
	for _, n := range names(redact) {
		c.secrets[n] = true
	}
	for _, n := range names(keep) {
		delete(c.secrets, n)
	}
	return c
}

func names(list string) []string {
	var out []string
	for _, n := range strings.Split(list, ",") {
		if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// Off reports whether the settings leave queries out of the telemetry.
func Off() bool { return settings().off }

// Query returns a raw query as url.query may carry it: the values of
// secret parameters replaced by REDACTED, everything else (order,
// encoding) as it was, cut to MaxLen; "" when the settings leave the query
// out.
func Query(raw string) string {
	c := settings()
	if c.off {
		return ""
	}
	return Cut(c.query(raw))
}

func (c config) query(raw string) string {
	if raw == "" {
		return raw
	}
	var b strings.Builder
	changed := false
	for i, part := range strings.Split(raw, "&") {
		if i > 0 {
			b.WriteByte('&')
		}
		name, value, hasValue := strings.Cut(part, "=")
		if hasValue && value != "" && c.secret(name) {
			b.WriteString(name)
			b.WriteString("=" + Redacted)
			changed = true
			continue
		}
		b.WriteString(part)
	}
	if !changed {
		return raw
	}
	return b.String()
}

func (c config) secret(name string) bool {
	if n, err := url.QueryUnescape(name); err == nil {
		name = n
	}
	return c.secrets[strings.ToLower(name)]
}

// Full returns a URL as url.full may carry it, from its parts: credentials
// (when hasUser) replaced by REDACTED, the query as Query returns it (none
// when the settings leave it out), the fragment dropped, cut to MaxLen.
func Full(scheme, hostport string, hasUser bool, path, rawQuery string) string {
	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	if hasUser {
		b.WriteString(Redacted + ":" + Redacted + "@")
	}
	b.WriteString(hostport)
	b.WriteString(path)
	if rawQuery != "" && !Off() {
		b.WriteByte('?')
		b.WriteString(settings().query(rawQuery))
	}
	return Cut(b.String())
}

// Cut returns s cut to MaxLen bytes, on a UTF-8 boundary, ending with
// "..." when it was longer.
func Cut(s string) string { return bound.Cut(s, MaxLen) }
