package httpmetric

import (
	"testing"

	"go.opentelemetry.io/otel/attribute"
)

func TestServer(t *testing.T) {
	for _, tt := range []struct {
		name string
		k    Server
		want []attribute.KeyValue
	}{
		{"full", Server{"GET", "http", "1.1", "example.com", 8080, 500, "500", "/users/{id}"}, []attribute.KeyValue{
			attribute.String("http.request.method", "GET"),
			attribute.String("url.scheme", "http"),
			attribute.String("network.protocol.version", "1.1"),
			attribute.String("server.address", "example.com"),
			attribute.Int("server.port", 8080),
			attribute.Int("http.response.status_code", 500),
			attribute.String("error.type", "500"),
			attribute.String("http.route", "/users/{id}"),
		}},
		{"bare", Server{Method: "_OTHER", Scheme: "https"}, []attribute.KeyValue{
			attribute.String("http.request.method", "_OTHER"),
			attribute.String("url.scheme", "https"),
		}},
		{"error without status", Server{Method: "GET", Scheme: "http", Proto: "2", ErrorType: "*errors.errorString"}, []attribute.KeyValue{
			attribute.String("http.request.method", "GET"),
			attribute.String("url.scheme", "http"),
			attribute.String("network.protocol.version", "2"),
			attribute.String("error.type", "*errors.errorString"),
		}},
	} {
		want := attribute.NewSet(tt.want...)
		for range 2 { // made, then kept
			if got := tt.k.Set(); !got.Equals(&want) {
				t.Errorf("%s: %v, want %v", tt.name, got.Encoded(attribute.DefaultEncoder()), want.Encoded(attribute.DefaultEncoder()))
			}
		}
	}
}

func TestClient(t *testing.T) {
	for _, tt := range []struct {
		name string
		k    Client
		want []attribute.KeyValue
	}{
		{"response", Client{"GET", "127.0.0.1", "1.1", 9000, 404, "404"}, []attribute.KeyValue{
			attribute.String("http.request.method", "GET"),
			attribute.String("server.address", "127.0.0.1"),
			attribute.Int("server.port", 9000),
			attribute.String("network.protocol.version", "1.1"),
			attribute.Int("http.response.status_code", 404),
			attribute.String("error.type", "404"),
		}},
		{"no response", Client{Method: "POST", Host: "db", ErrorType: "*net.OpError"}, []attribute.KeyValue{
			attribute.String("http.request.method", "POST"),
			attribute.String("server.address", "db"),
			attribute.Int("server.port", 0),
			attribute.String("error.type", "*net.OpError"),
		}},
	} {
		want := attribute.NewSet(tt.want...)
		for range 2 {
			if got := tt.k.Set(); !got.Equals(&want) {
				t.Errorf("%s: %v, want %v", tt.name, got.Encoded(attribute.DefaultEncoder()), want.Encoded(attribute.DefaultEncoder()))
			}
		}
	}
}

func TestResult(t *testing.T) {
	if got := Result(0, ""); len(got) != 0 {
		t.Errorf("Result(0, \"\") = %v", got)
	}
	got := attribute.NewSet(Result(503, "503")...)
	want := attribute.NewSet(attribute.Int("http.response.status_code", 503), attribute.String("error.type", "503"))
	if !got.Equals(&want) {
		t.Errorf("Result(503, \"503\") = %v", got.Encoded(attribute.DefaultEncoder()))
	}
}
