// Package secrets proves that no secret the program handles leaves it in
// its telemetry, across the integrations: one program that uses them all
// the way services do, with a secret planted in every place that one
// usually is, and every span, metric and log record it exports searched
// for each.
package secrets

import (
	"net/http"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// plants are where the program sees a secret, and which integration
// records that place: the token is the same in each (the app passes the one
// it gets in the query on to every other place). Each row also says which
// span shows that the integration did record the place: a test that finds
// no secret because nothing was recorded proves nothing. Add rows as
// integrations record new kinds of places.
var plants = []struct {
	integration, where string
	recorded           testkit.Match
}{
	{"nethttp", "url.query of the server span (?token=)", testkit.Attr("url.query", "token=REDACTED")},
	{"nethttp", "the Authorization header of the request", testkit.Name("GET /login")},
	{"nethttp", "credentials and ?api_key= in the client span's url.full", testkit.Where("url.full with api_key", func(s testkit.Span) bool {
		u, _ := s.Attr("url.full").(string)
		return strings.Contains(u, "REDACTED:REDACTED@") && strings.HasSuffix(u, "/check?api_key=REDACTED")
	})},
	{"nethttp", "the Set-Cookie header of the backend's response", testkit.Attr("url.path", "/check")},
	{"databasesql", "a literal in a statement, through pgx's stdlib driver", testkit.Where("databasesql SELECT", func(s testkit.Span) bool {
		return s.Scope == "github.com/otelgen/otelgen/rules/databasesql" && s.Attr("db.query.text") == "SELECT length(?)"
	})},
	{"pgx", "a literal in a statement, through native pgx", testkit.Where("pgx SELECT", func(s testkit.Span) bool {
		return s.Scope == "github.com/otelgen/otelgen/rules/pgx" && s.Attr("db.query.text") == "SELECT length(?)"
	})},
	{"goredis", "the password of AUTH", testkit.Attr("db.operation.name", "AUTH")},
	{"goredis", "a SET value (the token in upper case)", testkit.Attr("db.operation.name", "SET")},
}

const token = "tok-7c1f3e9b"

// TestNoSecretLeaves runs GET /login?token=... with each setting that
// records more (raw query texts, headers named) and checks that the token
// is in no span, metric or log record.
func TestNoSecretLeaves(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	for _, c := range []struct {
		name    string
		env     []string
		secrets []string
	}{
		{"defaults", nil, []string{token, strings.ToUpper(token)}},
		{"most recorded", []string{
			// Raw Redis text records SET's value, by design, but never
			// AUTH's password; raw SQL records literals by design, so it
			// is left out.
			"OTEL_GO_REDIS_QUERY_TEXT=raw",
			"OTEL_GO_HTTP_REQUEST_HEADERS=authorization,x-request-id",
			"OTEL_GO_HTTP_RESPONSE_HEADERS=set-cookie,x-served-by",
		}, []string{token}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := testkit.StartReceiver(t)
			env := append(testkit.Env(r,
				"DATABASE_URL="+testkit.Postgres(t),
				"REDIS_ADDR="+testkit.Redis(t),
				"OTEL_LOGS_EXPORTER=otlp"), c.env...)
			p := testkit.Start(t, bin, env)
			base := p.WaitPrefix(t, "listening ")
			req, _ := http.NewRequest("GET", base+"/login?token="+token, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("X-Request-Id", "r-1")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			p.Stdin.Close()
			if out, state := p.Wait(t); !state.Success() {
				t.Fatalf("app ended with %v\n%s\nstderr:\n%s", state, out, p.Stderr())
			}
			spans := r.WaitSpans(t, 7)
			r.WaitLogs(t, 1)
			r.WaitMetric(t, "http.server.request.duration")
			for _, pl := range plants {
				testkit.One(t, spans, pl.recorded) // fails, naming the match, when the place was not recorded
			}
			// slog's records of the request went out over OTLP too.
			if logs := r.Logs(); len(logs) == 0 {
				t.Errorf("no log records")
			}
			testkit.WantNoSecret(t, r, c.secrets...)
		})
	}
}
