package testkit

import (
	"bufio"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Servers that an integration talks to (Redis here; PostgreSQL, NATS and
// others the same way) are real ones, from the machine's packages: each is
// started once per test binary, on a free loopback port, with its data in a
// directory that Main removes, and stopped when Main returns. A test that
// asks for one is skipped under -short, and when the server is not
// installed, with the package to install.

// A server is one server of the test binary, started by the first test that
// asks for it.
type server struct {
	once sync.Once
	addr string
	skip string // why the tests that need it are skipped
	err  error
}

// get returns the server's address, starting it with start on the first
// call; start gets a data directory and a free loopback port.
func (s *server) get(t testing.TB, prog, pkg string, start func(bin, dir string, port int) (*exec.Cmd, error), ready func(addr string) error) string {
	t.Helper()
	if testing.Short() {
		t.Skipf("-short: no %s", prog)
	}
	requireMain(t)
	s.once.Do(func() {
		bin, err := exec.LookPath(prog)
		if err != nil {
			s.skip = fmt.Sprintf("%s is not installed (on Debian: apt-get install %s)", prog, pkg)
			return
		}
		s.addr, s.err = startServer(prog, bin, start, ready)
	})
	if s.skip != "" {
		t.Skip(s.skip)
	}
	if s.err != nil {
		t.Fatalf("starting %s: %v", prog, s.err)
	}
	return s.addr
}

// serverWait bounds how long a server takes to be ready.
const serverWait = 20 * time.Second

func startServer(prog, bin string, start func(bin, dir string, port int) (*exec.Cmd, error), ready func(addr string) error) (string, error) {
	dir, err := tempDir(prog + "-")
	if err != nil {
		return "", err
	}
	port, err := freePort()
	if err != nil {
		return "", err
	}
	cmd, err := start(bin, dir, port)
	if err != nil {
		return "", err
	}
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	atExit(func() {
		cmd.Process.Kill()
		<-exited
	})
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(serverWait)
	for {
		err := ready(addr)
		if err == nil {
			return addr, nil
		}
		select {
		case <-exited:
			return "", fmt.Errorf("%s ended: %v\n%s", prog, cmd.ProcessState, out.String())
		default:
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("%s not ready in %v: %v\n%s", prog, serverWait, err, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// freePort returns a loopback port that nothing listens on now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

var redis server

// Redis returns the address (host:port) of a redis-server of the test
// binary, without persistence, which every test shares: a test should use
// keys of its own.
func Redis(t testing.TB) string {
	t.Helper()
	return redis.get(t, "redis-server", "redis-server", func(bin, dir string, port int) (*exec.Cmd, error) {
		cmd := exec.Command(bin,
			"--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--dir", dir,
			"--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", "")
		cmd.Dir = dir
		return cmd, nil
	}, redisPing)
}

// redisPing sends PING and wants PONG.
func redisPing(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "+PONG" {
		return fmt.Errorf("PING: %q", line)
	}
	return nil
}
