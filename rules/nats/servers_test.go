package nats

import (
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	natsgo "github.com/nats-io/nats.go"
	"go.opentelemetry.io/otel/attribute"
)

// natsServer starts nats-server on a free loopback port for the test and
// returns its port and process.
func natsServer(t *testing.T) (int, *exec.Cmd) {
	t.Helper()
	bin, err := exec.LookPath("nats-server")
	if err != nil {
		bin = "/usr/sbin/nats-server"
		if _, err := os.Stat(bin); err != nil {
			t.Skip("no nats-server (Debian: apt-get install nats-server)")
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "-a", "127.0.0.1", "-p", strconv.Itoa(port))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", l.Addr().String()); err == nil {
			c.Close()
			return port, cmd
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("nats-server did not start")
	return 0, nil
}

func portOf(attrs []attribute.KeyValue) int64 {
	for _, kv := range attrs {
		if kv.Key == "server.port" {
			return kv.Value.AsInt64()
		}
	}
	return -1
}

// TestServerAttrsReconnect: the kept server attributes are those of the
// server the connection is on, after it reconnects to another one too.
func TestServerAttrsReconnect(t *testing.T) {
	pa, a := natsServer(t)
	pb, _ := natsServer(t)
	reconnected := make(chan struct{}, 1)
	nc, err := natsgo.Connect("nats://127.0.0.1:"+strconv.Itoa(pa)+",nats://127.0.0.1:"+strconv.Itoa(pb),
		natsgo.DontRandomize(), natsgo.ReconnectWait(10*time.Millisecond),
		natsgo.ReconnectHandler(func(*natsgo.Conn) { reconnected <- struct{}{} }))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	for range 2 {
		attrs := serverAttrs(nc, nil)
		if len(attrs) != 2 || attrs[0] != attribute.String("server.address", "127.0.0.1") || portOf(attrs) != int64(pa) {
			t.Fatalf("before the reconnect: %v, want 127.0.0.1:%d", attrs, pa)
		}
	}
	a.Process.Kill()
	select {
	case <-reconnected:
	case <-time.After(10 * time.Second):
		t.Fatal("no reconnect")
	}
	if got := portOf(serverAttrs(nc, nil)); got != int64(pb) {
		t.Errorf("after the reconnect: port %d, want %d", got, pb)
	}
}
