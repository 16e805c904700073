// Command app is the zap integration's test program. It knows nothing of
// OpenTelemetry: it logs through zap Loggers and SugaredLoggers writing JSON
// and console lines, outside any request and inside the request GET /log,
// each entry's message naming its case, all to stdout. It prints
// "listening URL" and returns from main when its stdin ends.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

var (
	jsonCore = zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(os.Stdout), zap.InfoLevel)
	textCore = zapcore.NewCore(zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig()), zapcore.AddSync(os.Stdout), zap.InfoLevel)
	// early is made before main, so before otelgen starts the SDK.
	early = zap.New(jsonCore)
)

func main() {
	text := zap.New(textCore)
	// tee writes each entry to two JSON cores, the second with a field.
	tee := zap.New(zapcore.NewTee(jsonCore, jsonCore.With([]zapcore.Field{zap.String("core", "second")})))
	zap.ReplaceGlobals(early)

	early.Info("json-outside")
	text.Info("text-outside")
	zap.S().Infow("sugar-outside")

	mux := http.NewServeMux()
	mux.HandleFunc("GET /log", func(w http.ResponseWriter, r *http.Request) {
		early.Info("json", zap.Int("k", 1))
		text.Info("text")
		early.Sugar().Infow("sugar", "k", 2)
		zap.L().Info("global")
		zap.S().Infof("%s", "global-sugar")
		early.With(zap.String("scope", "child")).Info("child")
		tee.Info("tee")
		early.Info("json-mine", zap.String("trace_id", "mine"))
		early.Debug("json-debug") // below the level: no entry
		var wg sync.WaitGroup
		wg.Go(func() { early.Info("json-goroutine") })
		wg.Wait()
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go http.Serve(ln, mux)
	fmt.Println("listening", "http://"+ln.Addr().String())
	io.Copy(io.Discard, os.Stdin)
	early.Info("json-after")
}
