// Command apiserver is the server of bench/clientgo.sh: an HTTP server on
// loopback that answers a Get of the configmap bench/settings with the
// Kubernetes API's JSON, and anything else with the API's NotFound Status,
// as rules/clientgo's tests' server (test/apiserver_test.go) answers. It
// is no Kubernetes API server: none is packaged for Debian, and the
// client's work per request, what the script measures, depends only on the
// path, the status and the object's JSON. It runs in a process of its own,
// so that its CPU time is not the measured program's.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
)

const path = "/api/v1/namespaces/bench/configmaps/settings"

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	flag.Parse()
	cm := mustJSON(map[string]any{"kind": "ConfigMap", "apiVersion": "v1",
		"metadata": map[string]any{"name": "settings", "namespace": "bench", "uid": "uid-settings",
			"resourceVersion": "2", "creationTimestamp": "2026-01-01T00:00:00Z"},
		"data": map[string]any{"mode": "bench", "level": "3"}})
	notFound := mustJSON(map[string]any{"kind": "Status", "apiVersion": "v1", "metadata": map[string]any{},
		"status": "Failure", "message": "the server could not find the requested resource", "reason": "NotFound", "code": 404})
	log.Fatal(http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == "GET" && r.URL.Path == path {
			w.Write(cm)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		w.Write(notFound)
	})))
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		log.Fatal(err)
	}
	return append(b, '\n')
}
