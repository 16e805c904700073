package emit

import (
	"bytes"
	"fmt"

	udiff "github.com/aymanbagabas/go-udiff"
)

// Diff renders the instrumentation diff: every file, original to
// instrumented, in the order given, as a git-style unified diff that
// "git apply" accepts against a tree of the originals laid out under their
// logical paths.
func Diff(files []*File) []byte {
	var b bytes.Buffer
	for _, f := range files {
		fmt.Fprintf(&b, "diff --git a/%s b/%s\n", f.Logical, f.Logical)
		old, from := string(f.Original), "a/"+f.Logical
		if f.Original == nil {
			b.WriteString("new file mode 100644\n")
			from = "/dev/null"
		}
		b.WriteString(udiff.Unified(from, "b/"+f.Logical, old, string(f.Output)))
	}
	return b.Bytes()
}
