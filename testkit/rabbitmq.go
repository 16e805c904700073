//go:build unix

package testkit

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

var rabbit struct {
	once sync.Once
	url  string
	skip string
	err  error
}

// rabbitBin is where Debian's package keeps the server's own start script:
// /usr/sbin/rabbitmq-server switches to the rabbitmq user and ignores the
// environment this kit sets.
const rabbitBin = "/usr/lib/rabbitmq/bin/rabbitmq-server"

// rabbitWait bounds how long RabbitMQ takes to start: 5–10 s on an idle
// machine, several times that on a busy one.
const rabbitWait = 90 * time.Second

// RabbitMQ returns the AMQP URL ("amqp://guest:guest@127.0.0.1:PORT/") of a
// RabbitMQ node of the test binary, which every test shares: a test should
// use queues and exchanges of its own. The node, its Erlang port mapper and
// distribution listener take free loopback ports, its data and logs a
// temporary directory; its whole process group is killed, and its port
// mapper stopped, when Main returns.
func RabbitMQ(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: no rabbitmq-server")
	}
	requireMain(t)
	rabbit.once.Do(func() {
		if !isExec(rabbitBin) {
			rabbit.skip = "rabbitmq-server is not installed (on Debian: apt-get install rabbitmq-server)"
			return
		}
		rabbit.url, rabbit.err = startRabbitMQ()
	})
	if rabbit.skip != "" {
		t.Skip(rabbit.skip)
	}
	if rabbit.err != nil {
		t.Fatalf("starting rabbitmq-server: %v", rabbit.err)
	}
	return rabbit.url
}

func startRabbitMQ() (string, error) {
	dir, err := tempDir("rabbitmq-")
	if err != nil {
		return "", err
	}
	var ports [3]int // AMQP, epmd, distribution
	for i := range ports {
		if ports[i], err = freePort(); err != nil {
			return "", err
		}
	}
	port, epmd := ports[0], strconv.Itoa(ports[1])
	cmd := exec.Command(rabbitBin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"HOME="+dir, // the Erlang cookie
		"RABBITMQ_NODENAME=otelgen"+strconv.Itoa(port)+"@localhost",
		"RABBITMQ_NODE_IP_ADDRESS=127.0.0.1",
		"RABBITMQ_NODE_PORT="+strconv.Itoa(port),
		"RABBITMQ_DIST_PORT="+strconv.Itoa(ports[2]),
		"ERL_EPMD_PORT="+epmd,
		"ERL_EPMD_ADDRESS=127.0.0.1",
		"RABBITMQ_MNESIA_BASE="+filepath.Join(dir, "mnesia"),
		"RABBITMQ_LOG_BASE="+filepath.Join(dir, "log"),
		"RABBITMQ_PID_FILE="+filepath.Join(dir, "pid"),
		// None of the machine's configuration.
		"RABBITMQ_CONFIG_FILE="+filepath.Join(dir, "rabbitmq"),
		"RABBITMQ_ADVANCED_CONFIG_FILE="+filepath.Join(dir, "advanced.config"),
		"RABBITMQ_CONF_ENV_FILE="+filepath.Join(dir, "rabbitmq-env.conf"),
		"RABBITMQ_ENABLED_PLUGINS_FILE="+filepath.Join(dir, "enabled_plugins"),
	)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	atExit(func() {
		// The script, the Erlang VM and its helpers share the group; the
		// port mapper daemonizes out of it and is stopped by its own
		// command once no node is left on it.
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
		kill := exec.Command("epmd", "-port", epmd, "-kill")
		kill.Env = append(os.Environ(), "ERL_EPMD_PORT="+epmd)
		kill.Run()
	})
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(rabbitWait)
	for {
		err := amqpReady(addr)
		if err == nil {
			return "amqp://guest:guest@" + addr + "/", nil
		}
		select {
		case <-exited:
			return "", fmt.Errorf("rabbitmq-server ended: %v\n%s", cmd.ProcessState, out.String())
		default:
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("rabbitmq-server not ready in %v: %v\n%s", rabbitWait, err, out.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// amqpReady sends the AMQP 0-9-1 protocol header and wants the server's
// Connection.Start method frame back.
func amqpReady(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("AMQP\x00\x00\x09\x01")); err != nil {
		return err
	}
	frame := make([]byte, 11)
	if _, err := io.ReadFull(c, frame); err != nil {
		return err
	}
	// Type 1 (method), channel 0, then after the size class 10 method 10.
	if frame[0] != 1 || !bytes.Equal(frame[7:11], []byte{0, 10, 0, 10}) {
		return fmt.Errorf("greeting: % x", frame)
	}
	return nil
}
