package test

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// apiServer is the server the test runs the program against: an HTTP
// server on loopback that serves the Kubernetes API's JSON for the calls
// testdata/app makes (configmaps and namespaces in the core group), with
// the API's Status objects for errors.
// It is no Kubernetes API server: none is packaged for Debian, and
// building kube-apiserver (k8s.io/kubernetes) and running it with etcd
// takes longer than a test may. It answers as one does for these calls,
// which is all that the spans depend on: paths, methods, status codes.
type apiServer struct {
	token string
	mu    sync.Mutex
	cms   map[string]map[string]any // namespace/name: ConfigMap
	rv    int
}

func startAPIServer(t *testing.T, token string) string {
	s := &apiServer{token: token, cms: map[string]map[string]any{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: s}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

func (s *apiServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// client-go sends no bearer token over plain HTTP: the token the
	// kubeconfig holds is not asked for, only looked for in the spans.
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rv++
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
		meta["namespace"], meta["resourceVersion"], meta["uid"] = ns, fmt.Sprint(s.rv), fmt.Sprintf("uid-%d", s.rv)
		cm["kind"], cm["apiVersion"] = "ConfigMap", "v1"
		s.cms[ns+"/"+name] = cm
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
	case len(rest) == 1 && (r.Method == "GET" || r.Method == "DELETE"):
		cm, ok := s.cms[ns+"/"+rest[0]]
		if !ok {
			status(w, 404, "NotFound", fmt.Sprintf("configmaps %q not found", rest[0]), "configmaps", rest[0])
			return
		}
		if r.Method == "DELETE" {
			delete(s.cms, ns+"/"+rest[0])
			write(w, 200, map[string]any{"kind": "Status", "apiVersion": "v1", "metadata": map[string]any{}, "status": "Success",
				"details": map[string]any{"name": rest[0], "kind": "configmaps"}})
			return
		}
		write(w, 200, cm)
	default:
		status(w, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource", "", "")
	}
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
