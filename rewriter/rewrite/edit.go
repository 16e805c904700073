package rewrite

import (
	"bytes"
	"cmp"
	"slices"
)

// edit replaces src[off:end] with text. An insertion has off == end.
//
// The rewrite stage splices text into the original source instead of
// re-printing a syntax tree: every original byte and line stays where it was,
// so stack traces point at the original lines without //line directives, and
// the instrumentation diff shows only what was injected.
type edit struct {
	off, end int
	text     string
	seq      int // insertion order, to keep edits at one offset in order
}

type edits []edit

func (es *edits) insert(off int, text string) { es.replace(off, off, text) }

func (es *edits) replace(off, end int, text string) {
	*es = append(*es, edit{off, end, text, len(*es)})
}

// apply returns src with the edits made. Edits must not overlap.
func (es edits) apply(src []byte) []byte {
	sorted := slices.Clone(es)
	slices.SortFunc(sorted, func(a, b edit) int { return cmp.Or(cmp.Compare(a.off, b.off), cmp.Compare(a.seq, b.seq)) })
	var b bytes.Buffer
	last := 0
	for _, e := range sorted {
		b.Write(src[last:e.off])
		b.WriteString(e.text)
		last = e.end
	}
	b.Write(src[last:])
	return b.Bytes()
}

// within returns src[start:end] with the edits inside that range made,
// except the one whose seq is skip.
func (es edits) within(src []byte, start, end, skip int) []byte {
	var in edits
	for _, e := range es {
		if e.seq != skip && e.off >= start && e.end <= end && !(e.off == end && e.end == end) {
			e.off -= start
			e.end -= start
			in = append(in, e)
		}
	}
	return in.apply(src[start:end])
}
