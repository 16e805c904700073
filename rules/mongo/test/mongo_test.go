package test

import (
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// app is testdata/app, built with the race detector (the monitor runs on
// every goroutine that calls the driver). Driver v1 names the server's
// error in error.type.
var app = testkit.MongoApp{
	Name:   "mongo",
	Build:  []testkit.Option{testkit.Race()},
	Failed: map[string]any{"error.type": "CommandNotFound"},
}

// TestMongo runs every kind of call of testdata/app and checks its spans
// (testkit.MongoApp.Check).
func TestMongo(t *testing.T) { app.Check(t) }

// TestQueryText: with OTEL_GO_MONGO_QUERY_TEXT=raw, the command bodies are
// in db.query.text.
func TestQueryText(t *testing.T) { app.CheckQueryText(t) }

// TestDisabled: with OTEL_GO_DISABLED_INSTRUMENTATIONS naming mongo, no
// span of otelgen's, and the program's monitor sees what it saw with
// otelgen.
func TestDisabled(t *testing.T) { app.CheckDisabled(t) }
