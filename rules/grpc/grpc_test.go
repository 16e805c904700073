package grpc

import (
	"net"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
)

func TestTargetAddress(t *testing.T) {
	for _, c := range []struct {
		target string
		host   string
		port   int
	}{
		{"127.0.0.1:50051", "127.0.0.1", 50051},
		{"localhost", "localhost", 0},
		{"[::1]:443", "::1", 443},
		{"dns:///api.example.com:443", "api.example.com", 443},
		{"dns://8.8.8.8/api.example.com:443", "api.example.com", 443},
		{"passthrough:///10.0.0.1:9000", "10.0.0.1", 9000},
		{"unix:///run/app.sock", "/run/app.sock", 0},
		{"localhost:50051", "localhost", 50051},
		{"unix:app.sock", "app.sock", 0},
		{"xds:///service.internal", "service.internal", 0},
	} {
		host, port := targetAddress(c.target)
		if host != c.host || port != c.port {
			t.Errorf("targetAddress(%q) = %q, %d; want %q, %d", c.target, host, port, c.host, c.port)
		}
	}
}

func TestStatus(t *testing.T) {
	if got := statusName(codes.DeadlineExceeded); got != "DEADLINE_EXCEEDED" {
		t.Errorf("statusName(DeadlineExceeded) = %q", got)
	}
	if got := statusName(codes.Code(42)); got != "CODE(42)" {
		t.Errorf("statusName(42) = %q", got)
	}
	var errs []codes.Code
	for c := codes.OK; c <= codes.Unauthenticated; c++ {
		if serverError(c) {
			errs = append(errs, c)
		}
	}
	want := []codes.Code{codes.Unknown, codes.DeadlineExceeded, codes.Unimplemented, codes.Internal, codes.Unavailable, codes.DataLoss}
	if len(errs) != len(want) {
		t.Fatalf("server errors %v, want %v", errs, want)
	}
	for i := range want {
		if errs[i] != want[i] {
			t.Fatalf("server errors %v, want %v", errs, want)
		}
	}
}

func TestConnAttrs(t *testing.T) {
	tcp := func(s string) net.Addr { a, _ := net.ResolveTCPAddr("tcp", s); return a }
	for _, c := range []struct {
		name          string
		local, remote net.Addr
		want          string
	}{
		{"tcp", tcp("127.0.0.1:50051"), tcp("127.0.0.1:41000"), "server.address=127.0.0.1 server.port=50051 network.peer.address=127.0.0.1 network.peer.port=41000"},
		{"unix", &net.UnixAddr{Name: "/run/x.sock", Net: "unix"}, &net.UnixAddr{Name: "@", Net: "unix"}, "server.address=/run/x.sock network.peer.address=@"},
		{"none", nil, nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, kv := range connAttrs(c.local, c.remote) {
				got = append(got, string(kv.Key)+"="+kv.Value.Emit())
			}
			if s := strings.Join(got, " "); s != c.want {
				t.Errorf("connAttrs = %q, want %q", s, c.want)
			}
		})
	}
}
