//go:build unix

package testkit

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"
)

var postgres server

// Postgres returns the connection URL of a PostgreSQL server of the test
// binary, which every test shares: user postgres, no password, database
// postgres, on 127.0.0.1, without TLS ("?sslmode=disable"). Its data is in
// a temporary directory, written without fsync. The server refuses to run as
// root, so the kit runs initdb and postgres as the user postgres that
// Debian's package creates.
func Postgres(t testing.TB) string {
	t.Helper()
	return "postgres://postgres@" + postgres.getIn(t, "postgres", "postgresql", postgresBinDirs(), startPostgres, postgresReady) + "/postgres?sslmode=disable"
}

// postgresBinDirs are where Debian installs the server's programs, newest
// release first; they are not on PATH.
func postgresBinDirs() []string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int {
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(a)))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(b)))
		return vb - va
	})
	return dirs
}

// getIn is get for a server whose program may live in one of dirs rather
// than on PATH.
func (s *server) getIn(t testing.TB, prog, pkg string, dirs []string, start func(bin, dir string, port int) (*exec.Cmd, error), ready func(addr string) error) string {
	t.Helper()
	if testing.Short() {
		t.Skipf("-short: no %s", prog)
	}
	requireMain(t)
	s.once.Do(func() {
		bin, err := exec.LookPath(prog)
		for _, d := range dirs {
			if p := filepath.Join(d, prog); isExec(p) {
				bin, err = p, nil
				break
			}
		}
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

func isExec(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// asUser makes cmd run as the named system user when the test runs as root,
// and returns that user's ids; as another user, cmd runs as the test does.
func asUser(cmd *exec.Cmd, name string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup(name)
	if err != nil {
		return fmt.Errorf("running %s as root needs the user %s: %v", cmd.Path, name, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	return nil
}

// ownedDir makes a directory under the system's temporary directory (which
// every user can reach, unlike the kit's own) for a server that runs as the
// named user, removed when Main returns.
func ownedDir(pattern, owner string) (string, error) {
	dir, err := os.MkdirTemp("", pattern)
	if err != nil {
		return "", err
	}
	atExit(func() { os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup(owner)
		if err != nil {
			return "", err
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return "", err
		}
	}
	return dir, nil
}

func startPostgres(bin, _ string, port int) (*exec.Cmd, error) {
	dir, err := ownedDir("otelgen-postgres-", "postgres")
	if err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(filepath.Dir(bin), "initdb"),
		"-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions")
	initdb.Dir = dir
	if err := asUser(initdb, "postgres"); err != nil {
		return nil, err
	}
	if out, err := initdb.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-D", data, "-p", strconv.Itoa(port), "-k", dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=50")
	cmd.Dir = dir
	return cmd, asUser(cmd, "postgres")
}

// postgresReady sends a startup message, as a client does first, and wants
// the authentication request that comes once the server takes sessions.
func postgresReady(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	startup := []byte{0, 0, 0, 0, 0, 3, 0, 0}
	startup = append(startup, "user\x00postgres\x00database\x00postgres\x00\x00"...)
	n := len(startup)
	startup[0], startup[1], startup[2], startup[3] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
	if _, err := c.Write(startup); err != nil {
		return err
	}
	buf := make([]byte, 1)
	if _, err := c.Read(buf); err != nil {
		return err
	}
	// 'R' is an authentication request (AuthenticationOk with trust): the
	// server takes sessions. 'E' is an error, such as "the database system
	// is starting up".
	if buf[0] != 'R' {
		return fmt.Errorf("postgres answered %q to a startup message", buf[0])
	}
	return nil
}
