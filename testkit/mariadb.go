//go:build unix

package testkit

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

var mariadb server

// MariaDB returns the data source name, in go-sql-driver/mysql's form, of a
// MariaDB server of the test binary, which every test shares: user root, no
// password, database test, over TCP on 127.0.0.1. Its data is in a temporary
// directory owned by the user mysql, which the server switches to.
func MariaDB(t testing.TB) string {
	t.Helper()
	return "root@tcp(" + mariadb.get(t, "mariadbd", "mariadb-server", startMariaDB, mariadbReady) + ")/test"
}

func startMariaDB(bin, _ string, port int) (*exec.Cmd, error) {
	dir, err := ownedDir("otelgen-mariadb-", "mysql")
	if err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	install, err := exec.LookPath("mariadb-install-db")
	if err != nil {
		return nil, fmt.Errorf("mariadb-install-db is not installed: %v", err)
	}
	// The client connects over TCP as root: skip-name-resolve makes
	// 127.0.0.1 match root@localhost, which has no password.
	init := exec.Command(install, "--no-defaults", "--datadir="+data, "--user=mysql",
		"--auth-root-authentication-method=normal", "--skip-name-resolve", "--skip-test-db")
	init.Dir = dir
	if out, err := init.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("mariadb-install-db: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "--no-defaults", "--datadir="+data, "--user=mysql",
		"--port="+fmt.Sprint(port), "--bind-address=127.0.0.1", "--socket="+filepath.Join(dir, "mysqld.sock"),
		"--pid-file="+filepath.Join(dir, "mysqld.pid"), "--skip-name-resolve", "--skip-log-bin",
		"--innodb-flush-log-at-trx-commit=0", "--innodb-buffer-pool-size=32M",
		"--init-file="+filepath.Join(dir, "init.sql"))
	cmd.Dir = dir
	return cmd, writeFile(filepath.Join(dir, "init.sql"), "CREATE DATABASE IF NOT EXISTS test;\n")
}

// mariadbReady reads the server's greeting, a handshake packet of protocol
// version 10, which it sends once it takes connections.
func mariadbReady(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	buf := make([]byte, 5)
	if _, err := io.ReadFull(c, buf); err != nil {
		return err
	}
	if buf[4] != 10 {
		return fmt.Errorf("mariadbd greeted with packet %x", buf)
	}
	return nil
}

func writeFile(name, content string) error { return os.WriteFile(name, []byte(content), 0o644) }
