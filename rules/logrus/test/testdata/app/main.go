// Command app is the logrus integration's test program. It knows nothing of
// OpenTelemetry: it logs through logrus's package-level functions and its
// own Loggers, in JSON and text, outside any request and inside the request
// GET /log, each entry's message naming its case, all to stdout. It prints
// "listening URL" and returns from main when its stdin ends.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"

	"github.com/sirupsen/logrus"
)

// jsonL is made before main, so before otelgen starts the SDK.
var jsonL = &logrus.Logger{
	Out:       os.Stdout,
	Formatter: &logrus.JSONFormatter{},
	Hooks:     logrus.LevelHooks{},
	Level:     logrus.InfoLevel,
}

// seen is a hook of the program's: it records whether the entry carried a
// trace_id when the hooks fired.
type seen struct{}

func (seen) Levels() []logrus.Level { return logrus.AllLevels }
func (seen) Fire(e *logrus.Entry) error {
	_, ok := e.Data["trace_id"]
	e.Data["hook_saw_trace_id"] = ok
	return nil
}

func main() {
	logrus.SetOutput(os.Stdout)
	logrus.SetFormatter(&logrus.TextFormatter{DisableTimestamp: true})
	jsonL.AddHook(seen{})

	logrus.Info("text-outside")
	jsonL.Info("json-outside")

	// worker runs outside any span: only a context passed to it names one.
	work := make(chan context.Context)
	done := make(chan bool)
	go func() {
		for ctx := range work {
			jsonL.WithContext(ctx).Info("worker-ctx")
			jsonL.Info("worker-noctx")
			done <- true
		}
	}()

	reused := jsonL.WithField("k", 1)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /log", func(w http.ResponseWriter, r *http.Request) {
		logrus.Info("text")
		logrus.WithField("k", 2).Warnf("%s", "text-field")
		jsonL.WithContext(r.Context()).Info("json-ctx")
		reused.Info("json-reused")
		jsonL.WithField("trace_id", "mine").Info("json-mine")
		jsonL.Debug("json-debug") // below the level: no entry
		var wg sync.WaitGroup
		wg.Go(func() { jsonL.Info("json-goroutine") })
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
	reused.Info("json-after") // the entry the handler reused is unchanged
}
