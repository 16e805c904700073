package clientgo

import (
	"net/url"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		method, url string
		want        apiCall
		ok          bool
	}{
		{"GET", "https://h/api/v1/namespaces/ns1/pods/p1", apiCall{verb: "get", version: "v1", resource: "pods", namespace: "ns1", name: "p1"}, true},
		{"GET", "https://h/api/v1/namespaces/ns1/pods?limit=5", apiCall{verb: "list", version: "v1", resource: "pods", namespace: "ns1"}, true},
		{"GET", "https://h/api/v1/pods?watch=true", apiCall{verb: "watch", version: "v1", resource: "pods"}, true},
		{"GET", "https://h/api/v1/namespaces/ns1/pods/p1/log", apiCall{verb: "get", version: "v1", resource: "pods", namespace: "ns1", name: "p1", subresource: "log"}, true},
		{"POST", "https://h/apis/apps/v1/namespaces/ns1/deployments", apiCall{verb: "create", group: "apps", version: "v1", resource: "deployments", namespace: "ns1"}, true},
		{"PUT", "https://h/apis/apps/v1/namespaces/ns1/deployments/d/status", apiCall{verb: "update", group: "apps", version: "v1", resource: "deployments", namespace: "ns1", name: "d", subresource: "status"}, true},
		{"PATCH", "https://h/api/v1/nodes/n1", apiCall{verb: "patch", version: "v1", resource: "nodes", name: "n1"}, true},
		{"DELETE", "https://h/api/v1/namespaces/ns1/configmaps", apiCall{verb: "deletecollection", version: "v1", resource: "configmaps", namespace: "ns1"}, true},
		{"DELETE", "https://h/api/v1/namespaces/ns1", apiCall{verb: "delete", version: "v1", resource: "namespaces", namespace: "ns1", name: "ns1"}, true},
		{"PUT", "https://h/api/v1/namespaces/ns1/finalize", apiCall{verb: "update", version: "v1", resource: "namespaces", namespace: "ns1", name: "ns1", subresource: "finalize"}, true},
		{"GET", "https://h/k8s/clusters/c-1/api/v1/namespaces/a/secrets/s", apiCall{verb: "get", version: "v1", resource: "secrets", namespace: "a", name: "s"}, true},
		{"GET", "https://h/api", apiCall{}, false},
		{"GET", "https://h/apis/apps/v1", apiCall{}, false},
		{"GET", "https://h/version", apiCall{}, false},
	} {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := parse(tt.method, u)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("parse(%s %s) = %+v, %v; want %+v, %v", tt.method, tt.url, got, ok, tt.want, tt.ok)
		}
	}
}
