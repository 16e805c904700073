package emit

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteContextCancelled: a write stopped before the swap leaves the old
// tree byte-identical and no temporary directory behind.
func TestWriteContextCancelled(t *testing.T) {
	root := t.TempDir()
	old := Tree{"main/a.go": []byte("package a // old\n"), LockFile: []byte("{}\n")}
	if _, err := Write(root, old); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	changed, err := WriteContext(ctx, root, Tree{"main/a.go": []byte("package a // new\n")})
	if err != context.Canceled || changed {
		t.Fatalf("WriteContext = %v, %v; want false, context.Canceled", changed, err)
	}
	have, err := ReadTree(root)
	if err != nil {
		t.Fatal(err)
	}
	if d := Compare(have, old); len(d) > 0 {
		t.Errorf("the old tree changed: %v", d)
	}
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if e.Name() != Dir {
			t.Errorf("left behind: %s", filepath.Join(root, e.Name()))
		}
		if strings.HasPrefix(e.Name(), "."+Dir) {
			t.Errorf("temporary directory left: %s", e.Name())
		}
	}
}
