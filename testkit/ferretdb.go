package testkit

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// FerretDBVersion is the FerretDB release the kit builds: a MongoDB
// wire-protocol server written in Go, over SQLite. No MongoDB server is
// packaged for Debian, and FerretDB v1 comes from the Go module proxy.
const FerretDBVersion = "v1.24.2"

var ferretdb struct {
	once sync.Once
	bin  string
	err  error
	srv  server
}

// FerretDB returns the address (host:port) of a FerretDB server of the test
// binary, which every test shares: a test should use databases of its own.
// It speaks the MongoDB wire protocol, without authentication or TLS, and
// keeps its data in SQLite files in a temporary directory.
//
// The module proxy's copy of FerretDB cannot run as it is (its version
// file is empty), so the kit copies the module, writes the version and
// builds ./cmd/ferretdb, which takes a minute or more. The binary is kept
// in the user's cache directory, keyed by version and platform, and built
// only when it is not there: test binaries, test runs and Go releases share
// it. FerretDB is skipped under -short.
func FerretDB(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: no ferretdb")
	}
	requireMain(t)
	ferretdb.once.Do(func() { ferretdb.bin, ferretdb.err = ferretdbBinary() })
	if ferretdb.err != nil {
		t.Fatalf("building ferretdb %s: %v", FerretDBVersion, ferretdb.err)
	}
	s := &ferretdb.srv
	s.once.Do(func() {
		s.addr, s.err = startServer("ferretdb", ferretdb.bin, func(bin, dir string, port int) (*exec.Cmd, error) {
			cmd := exec.Command(bin,
				"--handler=sqlite", "--sqlite-url=file:"+dir+"/",
				"--listen-addr=127.0.0.1:"+strconv.Itoa(port),
				"--state-dir="+dir, "--telemetry=disable",
				"--debug-addr=127.0.0.1:0", "--log-level=warn")
			cmd.Dir = dir
			return cmd, nil
		}, mongoPing)
	})
	if s.err != nil {
		t.Fatalf("starting ferretdb: %v", s.err)
	}
	return s.addr
}

// ferretdbBinary returns the kit's build of FerretDB.
func ferretdbBinary() (string, error) {
	return goBinary("ferretdb", "github.com/FerretDB/FerretDB", FerretDBVersion, "./cmd/ferretdb", []string{"GOWORK=off"}, func(src string) error {
		// The module's version file is empty, and FerretDB refuses to start
		// without a version.
		return os.WriteFile(filepath.Join(src, "build", "version", "version.txt"), []byte(FerretDBVersion+"\n"), 0o644)
	})
}

// mongoPing sends the command {ping: 1} on database admin as an OP_MSG and
// wants a reply whose ok is 1.
func mongoPing(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))

	// The document {ping: 1, $db: "admin"}.
	var doc bytes.Buffer
	doc.Write([]byte{0, 0, 0, 0})
	doc.WriteByte(0x10) // int32
	doc.WriteString("ping\x00")
	binary.Write(&doc, binary.LittleEndian, int32(1))
	doc.WriteByte(0x02) // string
	doc.WriteString("$db\x00")
	binary.Write(&doc, binary.LittleEndian, int32(len("admin")+1))
	doc.WriteString("admin\x00")
	doc.WriteByte(0)
	d := doc.Bytes()
	binary.LittleEndian.PutUint32(d, uint32(len(d)))

	const opMsg = 2013
	var msg bytes.Buffer
	binary.Write(&msg, binary.LittleEndian, [4]int32{int32(16 + 4 + 1 + len(d)), 1, 0, opMsg})
	binary.Write(&msg, binary.LittleEndian, uint32(0)) // flag bits
	msg.WriteByte(0)                                   // section kind 0: the body
	msg.Write(d)
	if _, err := c.Write(msg.Bytes()); err != nil {
		return err
	}

	var head [4]int32
	if err := binary.Read(c, binary.LittleEndian, &head); err != nil {
		return err
	}
	if head[3] != opMsg || head[0] < 16+4+1+5 || head[0] > 1<<20 {
		return fmt.Errorf("ping: reply header %v", head)
	}
	body := make([]byte, head[0]-16)
	if _, err := io.ReadFull(c, body); err != nil {
		return err
	}
	// ok: 1, as a double (0x01) or an int32 (0x10).
	if !bytes.Contains(body, []byte("\x01ok\x00\x00\x00\x00\x00\x00\x00\xf0\x3f")) && !bytes.Contains(body, []byte("\x10ok\x00\x01\x00\x00\x00")) {
		return fmt.Errorf("ping: no ok: 1 in the reply %q", body)
	}
	return nil
}
