//go:build unix

package testkit

import (
	"bufio"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

var nats server

// NATS returns the URL ("nats://127.0.0.1:PORT") of a nats-server of the
// test binary, with JetStream enabled and its store in a temporary
// directory, which every test shares: a test should use subjects and
// streams of its own. Debian installs the server in /usr/sbin, which is not
// on every PATH.
func NATS(t testing.TB) string {
	t.Helper()
	return "nats://" + nats.getIn(t, "nats-server", "nats-server", []string{"/usr/sbin"}, startNATS, natsReady)
}

func startNATS(bin, dir string, port int) (*exec.Cmd, error) {
	cmd := exec.Command(bin, "-a", "127.0.0.1", "-p", strconv.Itoa(port), "-js", "-sd", dir)
	cmd.Dir = dir
	return cmd, nil
}

// natsReady reads the INFO line a NATS server greets a client with.
func natsReady(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "INFO ") {
		return fmt.Errorf("greeting: %q", line)
	}
	return nil
}
