package test

import (
	"net"
	"syscall"
	"testing"
)

// closedPort returns a loopback address where nothing accepts connections
// (they are refused) and nothing else can listen for as long as the test
// runs: a socket bound to it but not listening. A port merely freed after a
// listen could be taken by another module's server, tested at the same
// time, which would then answer the exporter.
func closedPort(t *testing.T) string {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return (&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: sa.(*syscall.SockaddrInet4).Port}).String()
}
