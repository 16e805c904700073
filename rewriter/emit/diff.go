package emit

import (
	"bytes"
	"fmt"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
)

// contextLines is how many unchanged lines surround each change.
const contextLines = 3

// Diff renders the instrumentation diff: every file, original to
// instrumented, in the order given, as a git-style unified diff that
// "git apply" accepts against a tree of the originals laid out under their
// logical paths.
func Diff(files []*File) []byte {
	var b bytes.Buffer
	for _, f := range files {
		fmt.Fprintf(&b, "diff --git a/%s b/%s\n", f.Logical, f.Logical)
		from := "a/" + f.Logical
		if f.Original == nil {
			b.WriteString("new file mode 100644\n")
			from = "/dev/null"
		}
		b.WriteString(Unified(from, "b/"+f.Logical, string(f.Original), string(f.Output)))
	}
	return b.Bytes()
}

// line is one line of a diff: ' ' kept, '-' removed, '+' added.
type line struct {
	op   byte
	text string // with its newline, if it has one
}

// Unified renders a unified diff of two texts, or "" when they are equal.
// The line-level edits come from go-udiff; the hunks are laid out here,
// because its own hunk headers miscount lines when it merges nearby edits.
func Unified(from, to, old, new string) string {
	if old == new {
		return ""
	}
	oldLines := splitLines(old)
	// Byte offset of each old line's start, to map edits to lines.
	lineAt := map[int]int{}
	off := 0
	for i, l := range oldLines {
		lineAt[off] = i
		off += len(l)
	}
	lineAt[off] = len(oldLines)

	var ops []line
	next := 0
	for _, e := range udiff.Lines(old, new) {
		start, end := lineAt[e.Start], lineAt[e.End]
		for ; next < start; next++ {
			ops = append(ops, line{' ', oldLines[next]})
		}
		for ; next < end; next++ {
			ops = append(ops, line{'-', oldLines[next]})
		}
		for _, l := range splitLines(e.New) {
			ops = append(ops, line{'+', l})
		}
	}
	for ; next < len(oldLines); next++ {
		ops = append(ops, line{' ', oldLines[next]})
	}

	var b strings.Builder
	fmt.Fprintf(&b, "--- %s\n+++ %s\n", from, to)
	oldNo, newNo := 0, 0 // lines of each side before ops[i]
	for i := 0; i < len(ops); {
		if ops[i].op == ' ' {
			oldNo++
			newNo++
			i++
			continue
		}
		// A hunk: back up over leading context, then run until a stretch
		// of more than twice the context is unchanged.
		start := i
		for k := 0; k < contextLines && start > 0 && ops[start-1].op == ' '; k++ {
			start--
			oldNo--
			newNo--
		}
		end := i
		for j := i; j < len(ops); j++ {
			if ops[j].op != ' ' {
				end = j + 1
				continue
			}
			if j-end >= 2*contextLines {
				break
			}
		}
		stop := end
		for k := 0; k < contextLines && stop < len(ops) && ops[stop].op == ' '; k++ {
			stop++
		}
		oldCount, newCount := 0, 0
		for _, op := range ops[start:stop] {
			if op.op != '+' {
				oldCount++
			}
			if op.op != '-' {
				newCount++
			}
		}
		fmt.Fprintf(&b, "@@ -%s +%s @@\n", span(oldNo, oldCount), span(newNo, newCount))
		for _, op := range ops[start:stop] {
			b.WriteByte(op.op)
			b.WriteString(op.text)
			if !strings.HasSuffix(op.text, "\n") {
				b.WriteString("\n\\ No newline at end of file\n")
			}
		}
		oldNo += oldCount
		newNo += newCount
		i = stop
	}
	return b.String()
}

// span renders a hunk range: the first line and the count, where an empty
// range names the line before it.
func span(before, count int) string {
	if count == 0 {
		return fmt.Sprintf("%d,0", before)
	}
	return fmt.Sprintf("%d,%d", before+1, count)
}

func splitLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}
