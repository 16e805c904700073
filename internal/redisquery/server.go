package redisquery

import (
	"net"
	"strconv"
)

// Server returns server.address and server.port of a client's network and
// address options: a Unix socket's path and no port, or the host and port
// of a TCP address; "" and 0 for an address that does not split.
func Server(network, addr string) (host string, port int) {
	if network == "unix" {
		return addr, 0
	}
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0
	}
	port, _ = strconv.Atoi(p)
	return h, port
}

// Peer returns server.address and server.port of a connection's remote
// address, as Server does for the options.
func Peer(a net.Addr) (host string, port int) {
	switch a := a.(type) {
	case *net.TCPAddr:
		return a.IP.String(), a.Port
	case *net.UnixAddr:
		return a.Name, 0
	case nil:
		return "", 0
	}
	return Server(a.Network(), a.String())
}
