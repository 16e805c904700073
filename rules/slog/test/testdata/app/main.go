// Command app is the slog integration's test program. It knows nothing of
// OpenTelemetry: it logs with slog's JSON, text and default handlers and
// through a handler of its own, outside any request and inside the
// requests GET /log and GET /bridge, each record's message naming its case,
// all to stdout. It prints "listening URL" and returns from main when its
// stdin ends.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
)

// early is made before main, so before otelgen starts the SDK.
var early = slog.New(slog.NewJSONHandler(os.Stdout, nil))

var (
	jsonL = slog.New(slog.NewJSONHandler(os.Stdout, nil))
	textL = slog.New(slog.NewTextHandler(os.Stdout, nil))
	// ownL writes through the program's own handler, which wraps a
	// JSONHandler that wraps nothing, behind a second wrapper.
	ownL = slog.New(wrap{wrap{slog.NewJSONHandler(os.Stdout, nil)}})
)

// wrap is a handler of the program's own: it adds an attribute and passes
// the record on.
type wrap struct{ slog.Handler }

func (w wrap) Handle(ctx context.Context, r slog.Record) error {
	r.AddAttrs(slog.Bool("wrapped", true))
	return w.Handler.Handle(ctx, r)
}

func main() {
	log.SetOutput(os.Stdout) // the default handler writes through the standard logger
	log.SetFlags(0)

	jsonL.Info("json-outside")
	textL.Info("text-outside")
	slog.Info("default-outside")

	mux := http.NewServeMux()
	mux.HandleFunc("GET /log", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		jsonL.InfoContext(ctx, "json-ctx", "k", 1)
		jsonL.Info("json-noctx")
		textL.InfoContext(ctx, "text-ctx")
		textL.Warn("text-noctx")
		ownL.InfoContext(ctx, "own-ctx")
		early.Info("early")
		slog.Info("default")
		jsonL.Info("json-mine", "trace_id", "mine")
		var wg sync.WaitGroup
		wg.Go(func() { jsonL.Info("json-goroutine") })
		wg.Wait()
	})
	// After slog.SetDefault, the standard logger's lines go to the handler.
	mux.HandleFunc("GET /bridge", func(w http.ResponseWriter, r *http.Request) {
		slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stdout, nil)))
		log.Print("std-bridge")
		slog.Info("default-json")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, mux)
	fmt.Println("listening", "http://"+ln.Addr().String())
	io.Copy(io.Discard, os.Stdin)
	jsonL.Info("json-after")
}
