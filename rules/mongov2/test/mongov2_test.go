package test

import (
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// app is testdata/app. Driver v2 gives the server's error code
// (CommandNotFound is 59) as error.type and db.response.status_code.
var app = testkit.MongoApp{
	Name:   "mongov2",
	Failed: map[string]any{"error.type": "59", "db.response.status_code": "59"},
}

// TestMongo runs every kind of call of testdata/app and checks its spans
// (testkit.MongoApp.Check).
func TestMongo(t *testing.T) { app.Check(t) }

// TestQueryText: with OTEL_GO_MONGO_QUERY_TEXT=raw, the command bodies are
// in db.query.text.
func TestQueryText(t *testing.T) { app.CheckQueryText(t) }

// TestDisabled: with OTEL_GO_DISABLED_INSTRUMENTATIONS naming mongov2, no
// span of otelgen's, and the program's monitor sees what it saw with
// otelgen.
func TestDisabled(t *testing.T) { app.CheckDisabled(t) }
