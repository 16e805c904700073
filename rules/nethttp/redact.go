package nethttp

import (
	"net/http"
	"net/url"

	"github.com/otelgen/otelgen/internal/urlredact"
)

// Redacted replaces what must not leave the process.
const Redacted = urlredact.Redacted

// redactQuery returns a raw query as url.query may carry it: the values of
// secret parameters replaced by REDACTED, cut to a bound, or "" when the
// settings leave queries out (internal/urlredact, shared with
// rules/fasthttp).
func redactQuery(raw string) string { return urlredact.Query(raw) }

// redact is the request's URL as url.full may carry it: credentials
// (user:password@) and the values of secret query parameters replaced by
// REDACTED, or no query at all when the settings say so.
func redact(req *http.Request) string {
	u := *req.URL
	u.RawQuery = redactQuery(u.RawQuery)
	u.ForceQuery = false
	if u.User != nil {
		u.User = url.UserPassword(Redacted, Redacted)
	}
	return urlredact.Cut(u.String())
}
