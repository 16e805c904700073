// Package urlredact keeps secrets out of the URL attributes (url.query,
// url.full) of the HTTP integrations (rules/nethttp, rules/fasthttp): the
// values of query parameters that usually carry a token or a password are
// replaced, and so are a URL's credentials.
package urlredact

import (
	"net/url"
	"strings"
)

// secretParams are the query parameters whose values are never exported:
// the semantic conventions' list for url.query and url.full, and the names
// that usually carry a token or a password. Compared without case.
var secretParams = map[string]bool{
	"awsaccesskeyid": true, "signature": true, "sig": true, "x-goog-signature": true,
	"token": true, "access_token": true, "refresh_token": true, "id_token": true,
	"api_key": true, "apikey": true, "key": true, "password": true, "passwd": true,
	"secret": true, "client_secret": true, "auth": true, "code": true, "session": true,
}

// Redacted replaces what must not leave the process.
const Redacted = "REDACTED"

// Query returns a raw query with the values of secret parameters replaced
// by REDACTED, everything else (order, encoding) as it was.
func Query(raw string) string {
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
		if hasValue && value != "" && isSecretParam(name) {
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

func isSecretParam(name string) bool {
	if n, err := url.QueryUnescape(name); err == nil {
		name = n
	}
	return secretParams[strings.ToLower(name)]
}
