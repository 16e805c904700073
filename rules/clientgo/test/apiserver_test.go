package test

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// apiServer is the server the test runs the program against: an HTTP
// server on loopback that serves the Kubernetes API's JSON for the calls
// testdata/app makes (configmaps and namespaces in the core group), with
// the API's Status objects for errors, and the watches of configmaps that
// informers make: a stream of watch events, the initial ones of a watch
// list (sendInitialEvents) ending with the bookmark that says so.
// It is no Kubernetes API server: none is packaged for Debian, and
// building kube-apiserver (k8s.io/kubernetes) and running it with etcd
// takes longer than a test may. It answers as one does for these calls,
// which is all that the spans depend on: paths, methods, status codes,
// the objects' JSON.
type apiServer struct {
	token string
	mu    sync.Mutex
	cms   map[string]map[string]any // namespace/name: ConfigMap
	rv    int                       // of the last change
	log   []watchEvent              // every change, oldest first
	wake  chan struct{}             // closed, and made again, on a change
	done  chan struct{}             // closed when the test ends
}

// watchEvent is a change of a configmap, as a watch sends it.
type watchEvent struct {
	rv        int
	namespace string
	Type      string         `json:"type"`
	Object    map[string]any `json:"object"`
}

func startAPIServer(t *testing.T, token string) string {
	s := &apiServer{token: token, cms: map[string]map[string]any{}, rv: 1,
		wake: make(chan struct{}), done: make(chan struct{})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: s}
	go srv.Serve(ln)
	t.Cleanup(func() {
		close(s.done)
		srv.Close()
	})
	return "http://" + ln.Addr().String()
}

func (s *apiServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// client-go sends no bearer token over plain HTTP: the token the
	// kubeconfig holds is not asked for, only looked for in the spans.
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if q := r.URL.Query().Get("watch"); (q == "true" || q == "1") && len(parts) == 5 && parts[4] == "configmaps" {
		s.watch(w, r, parts[3])
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case len(parts) == 3 && parts[2] == "namespaces" && r.Method == "GET":
		write(w, 200, map[string]any{"kind": "NamespaceList", "apiVersion": "v1",
			"metadata": map[string]any{"resourceVersion": fmt.Sprint(s.rv)},
			"items":    []any{namespace("app-ns")}})
	case len(parts) == 4 && parts[2] == "namespaces" && r.Method == "GET":
		if parts[3] != "app-ns" {
			status(w, 404, "NotFound", fmt.Sprintf("namespaces %q not found", parts[3]), "namespaces", parts[3])
			return
		}
		write(w, 200, namespace("app-ns"))
	case len(parts) >= 5 && parts[2] == "namespaces" && parts[4] == "configmaps":
		s.configMaps(w, r, parts[3], parts[5:])
	default:
		status(w, 404, "NotFound", "the server could not find the requested resource", "", "")
	}
}

// change records a change of a configmap, under s.mu, and wakes the
// watches.
func (s *apiServer) change(typ, ns string, cm map[string]any) {
	s.rv++
	meta, _ := cm["metadata"].(map[string]any)
	meta["resourceVersion"] = fmt.Sprint(s.rv)
	s.log = append(s.log, watchEvent{rv: s.rv, namespace: ns, Type: typ, Object: clone(cm)})
	close(s.wake)
	s.wake = make(chan struct{})
}

func (s *apiServer) configMaps(w http.ResponseWriter, r *http.Request, ns string, rest []string) {
	switch {
	case len(rest) == 0 && r.Method == "POST":
		var cm map[string]any
		if err := json.NewDecoder(r.Body).Decode(&cm); err != nil {
			status(w, 400, "BadRequest", err.Error(), "", "")
			return
		}
		meta, _ := cm["metadata"].(map[string]any)
		name, _ := meta["name"].(string)
		if _, ok := s.cms[ns+"/"+name]; ok {
			status(w, 409, "AlreadyExists", fmt.Sprintf("configmaps %q already exists", name), "configmaps", name)
			return
		}
		meta["namespace"], meta["uid"] = ns, fmt.Sprintf("uid-%d", s.rv+1)
		meta["creationTimestamp"] = "2026-01-01T00:00:00Z"
		cm["kind"], cm["apiVersion"] = "ConfigMap", "v1"
		s.cms[ns+"/"+name] = cm
		s.change("ADDED", ns, cm)
		write(w, 201, cm)
	case len(rest) == 0 && r.Method == "GET":
		items := []any{}
		for key, cm := range s.cms {
			if strings.HasPrefix(key, ns+"/") {
				items = append(items, cm)
			}
		}
		write(w, 200, map[string]any{"kind": "ConfigMapList", "apiVersion": "v1",
			"metadata": map[string]any{"resourceVersion": fmt.Sprint(s.rv)}, "items": items})
	case len(rest) == 1 && (r.Method == "GET" || r.Method == "DELETE" || r.Method == "PUT"):
		cm, ok := s.cms[ns+"/"+rest[0]]
		if !ok {
			status(w, 404, "NotFound", fmt.Sprintf("configmaps %q not found", rest[0]), "configmaps", rest[0])
			return
		}
		switch r.Method {
		case "DELETE":
			delete(s.cms, ns+"/"+rest[0])
			s.change("DELETED", ns, cm)
			write(w, 200, map[string]any{"kind": "Status", "apiVersion": "v1", "metadata": map[string]any{}, "status": "Success",
				"details": map[string]any{"name": rest[0], "kind": "configmaps", "uid": cm["metadata"].(map[string]any)["uid"]}})
		case "PUT":
			var up map[string]any
			if err := json.NewDecoder(r.Body).Decode(&up); err != nil {
				status(w, 400, "BadRequest", err.Error(), "", "")
				return
			}
			old := cm["metadata"].(map[string]any)
			meta, _ := up["metadata"].(map[string]any)
			if meta == nil || meta["name"] != rest[0] {
				status(w, 400, "BadRequest", "the name of the object does not match the name on the URL", "", "")
				return
			}
			meta["namespace"], meta["uid"], meta["creationTimestamp"] = ns, old["uid"], old["creationTimestamp"]
			up["kind"], up["apiVersion"] = "ConfigMap", "v1"
			s.cms[ns+"/"+rest[0]] = up
			s.change("MODIFIED", ns, up)
			write(w, 200, up)
		default:
			write(w, 200, cm)
		}
	default:
		status(w, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource", "", "")
	}
}

// watch streams the changes of the configmaps of a namespace, one JSON
// watch event a line, as the API server does: after the resourceVersion
// asked for, or, for a watch list (sendInitialEvents=true), an ADDED event
// per configmap there now, then a BOOKMARK annotated
// k8s.io/initial-events-end, then the changes after. It ends when the
// client goes, at timeoutSeconds, or when the test ends.
func (s *apiServer) watch(w http.ResponseWriter, r *http.Request, ns string) {
	q := r.URL.Query()
	timeout := 5 * time.Minute
	if sec, err := strconv.Atoi(q.Get("timeoutSeconds")); err == nil && sec > 0 {
		timeout = time.Duration(sec) * time.Second
	}
	end := time.After(timeout)
	s.mu.Lock()
	var first []watchEvent
	from := s.rv
	if q.Get("sendInitialEvents") == "true" {
		for key, cm := range s.cms {
			if strings.HasPrefix(key, ns+"/") {
				first = append(first, watchEvent{Type: "ADDED", Object: clone(cm)})
			}
		}
		first = append(first, watchEvent{Type: "BOOKMARK", Object: map[string]any{"kind": "ConfigMap", "apiVersion": "v1",
			"metadata": map[string]any{"resourceVersion": fmt.Sprint(s.rv),
				"annotations": map[string]any{"k8s.io/initial-events-end": "true"}}}})
	} else if rv, err := strconv.Atoi(q.Get("resourceVersion")); err == nil && rv > 0 {
		from = rv
	}
	s.mu.Unlock()

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(200)
	fl, _ := w.(http.Flusher)
	enc := json.NewEncoder(w)
	send := func(evs []watchEvent) bool {
		for _, ev := range evs {
			if enc.Encode(ev) != nil {
				return false
			}
		}
		if fl != nil {
			fl.Flush()
		}
		return true
	}
	if !send(first) {
		return
	}
	for {
		s.mu.Lock()
		var next []watchEvent
		for _, ev := range s.log {
			if ev.rv > from && ev.namespace == ns {
				next = append(next, ev)
			}
		}
		if n := len(s.log); n > 0 {
			from = max(from, s.log[n-1].rv)
		}
		wake := s.wake
		s.mu.Unlock()
		if !send(next) {
			return
		}
		select {
		case <-wake:
		case <-end:
			return
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
}

func clone(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	var out map[string]any
	json.Unmarshal(b, &out)
	return out
}

func namespace(name string) map[string]any {
	return map[string]any{"kind": "Namespace", "apiVersion": "v1",
		"metadata": map[string]any{"name": name, "uid": "uid-" + name, "resourceVersion": "1"},
		"status":   map[string]any{"phase": "Active"}}
}

func status(w http.ResponseWriter, code int, reason, msg, kind, name string) {
	st := map[string]any{"kind": "Status", "apiVersion": "v1", "metadata": map[string]any{},
		"status": "Failure", "message": msg, "reason": reason, "code": code}
	if kind != "" {
		st["details"] = map[string]any{"name": name, "kind": kind}
	}
	write(w, code, st)
}

func write(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
