// Command app is the zerolog integration's test program. It knows nothing
// of OpenTelemetry: it logs through zerolog Loggers, the global one of
// zerolog/log and a ConsoleWriter, outside any request and inside the
// request GET /log, each event's message naming its case, all to stdout. It
// prints "listening URL" and returns from main when its stdin ends.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"

	"github.com/rs/zerolog"
	"github.com/rs/zerolog/log"
)

// jsonL is made before main, so before otelgen starts the SDK.
var jsonL = zerolog.New(os.Stdout).Level(zerolog.InfoLevel)

func main() {
	console := zerolog.New(zerolog.ConsoleWriter{Out: os.Stdout, NoColor: true, PartsExclude: []string{zerolog.TimestampFieldName}})
	log.Logger = jsonL.With().Str("logger", "global").Logger()
	// hooked runs a hook of the program's, which writes its own trace_id
	// into one event.
	hooked := jsonL.Hook(zerolog.HookFunc(func(e *zerolog.Event, _ zerolog.Level, msg string) {
		if msg == "hook-mine" {
			e.Str("trace_id", "mine")
		}
	}))
	mine := jsonL.With().Str("trace_id", "mine").Logger()

	jsonL.Info().Msg("json-outside")
	console.Info().Msg("console-outside")

	// worker runs outside any span: only a context passed to it names one.
	work := make(chan context.Context)
	done := make(chan bool)
	go func() {
		for ctx := range work {
			jsonL.Info().Ctx(ctx).Msg("worker-ctx")
			jsonL.Info().Msg("worker-noctx")
			done <- true
		}
	}()

	mux := http.NewServeMux()
	mux.HandleFunc("GET /log", func(w http.ResponseWriter, r *http.Request) {
		jsonL.Info().Int("k", 1).Msg("json")
		jsonL.Warn().Msgf("%s", "json-msgf")
		jsonL.Info().Str("message", "json-send").Send()
		console.Info().Msg("console")
		log.Info().Msg("global")
		hooked.Info().Msg("hook-mine")
		mine.Info().Msg("context-mine")
		jsonL.Debug().Msg("json-debug") // below the level: no event
		var wg sync.WaitGroup
		wg.Go(func() { jsonL.Info().Msg("json-goroutine") })
		wg.Wait()
		work <- r.Context()
		<-done
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go http.Serve(ln, mux)
	fmt.Println("listening", "http://"+ln.Addr().String())
	io.Copy(io.Discard, os.Stdin)
	jsonL.Info().Msg("json-after")
}
