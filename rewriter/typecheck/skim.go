package typecheck

import (
	"bytes"
	"go/ast"
	"go/token"
	"strconv"
)

// SkimBodies returns src with the bodies of its top-level function
// declarations blanked: every byte between the braces becomes a space, but
// newlines stay, so that every position in the file stays where it was. A
// check without function bodies needs none of them, and parsing them is
// most of the cost of parsing a dependency. So are the insides of the
// composite and function literals in package-level declarations, which no
// type depends on (the Unicode tables, for one): they are blanked too, but
// for those of [...] arrays, whose length is their count of elements. Only
// function declarations at the start of a line (where gofmt puts them) are
// skimmed, and a body or literal that holds a //line directive is kept;
// when the text is anything it does not follow (unbalanced braces, a
// string that does not end), SkimBodies returns src itself.
func SkimBodies(src []byte) []byte {
	fns, lits, arrays, _, ok := topLevel(src)
	if !ok {
		return src
	}
	var out []byte // a copy, made at the first body skimmed
	skim := func(open, close int) {
		if hasLineDirective(src[open:close]) {
			return
		}
		if out == nil {
			out = bytes.Clone(src)
		}
		blank(out, open+1, close)
	}
	for _, fn := range fns {
		if fn.open >= 0 {
			skim(fn.open, fn.close)
		}
	}
	for _, l := range lits {
		skim(l[0], l[1])
	}
	for _, a := range arrays {
		if text, ok := sized(src, a); ok && !hasLineDirective(src[a.open:a.close]) {
			if out == nil {
				out = bytes.Clone(src)
			}
			copy(out[a.lbrack:], text)
		}
	}
	if out == nil {
		return src
	}
	return out
}

// skimShort is SkimBodies for a file whose positions matter by line only,
// a dependency's: what SkimBodies blanks is dropped instead, and so are
// comments outside bodies but directives (//go:build sets the file's
// language version, //line positions), each but for its
// newlines, so that every line keeps its number and parsing has a third
// of the bytes to read. A token after a dropped comment on the same line
// moves left.
func skimShort(src []byte) []byte {
	fns, lits, arrays, comments, ok := topLevel(src)
	if !ok {
		return src
	}
	// Most files have no line directive: look for one in each range
	// only when the file has one.
	directives := hasLineDirective(src)
	hasLineDirective := func(text []byte) bool { return directives && hasLineDirective(text) }
	// Each list is in order, and no range of one overlaps another's:
	// take them in order, the first of the four each time.
	var out []byte // made at the first range dropped
	at := 0
	drop := func(from, to int, head []byte, tail string) {
		if out == nil {
			out = make([]byte, 0, len(src)/2)
		}
		out = append(out, src[at:from]...)
		out = append(out, head...)
		for range bytes.Count(src[from:to], []byte("\n")) {
			out = append(out, '\n')
		}
		out = append(out, tail...)
		at = to
	}
	const none = int(^uint(0) >> 1)
	for {
		f, l, a, c := none, none, none, none
		if len(fns) > 0 {
			f = fns[0].start
		}
		if len(lits) > 0 {
			l = lits[0][0]
		}
		if len(arrays) > 0 {
			a = arrays[0].lbrack
		}
		if len(comments) > 0 {
			c = comments[0][0]
		}
		switch min(f, l, a, c) {
		case none:
			if out == nil {
				return src
			}
			return append(out, src[at:]...)
		case f:
			if fn := fns[0]; fn.open >= 0 && !hasLineDirective(src[fn.open:fn.close]) {
				drop(fn.open+1, fn.close, nil, "")
			}
			fns = fns[1:]
		case l:
			if r := lits[0]; !hasLineDirective(src[r[0]:r[1]]) {
				drop(r[0]+1, r[1], nil, "")
			}
			lits = lits[1:]
		case a:
			if r := arrays[0]; !hasLineDirective(src[r.open:r.close]) {
				if head, ok := sizedHead(src, r); ok {
					drop(r.lbrack, r.close+1, head, "}")
				}
			}
			arrays = arrays[1:]
		case c:
			if r := comments[0]; !hasLineDirective(src[r[0]:r[1]]) && !bytes.HasPrefix(src[r[0]:], []byte("//go:")) {
				drop(r[0], r[1], nil, " ")
			}
			comments = comments[1:]
		}
	}
}

// sized returns the text of array literal a of src as one of its length,
// "[...]T{a, b, c}" as "[3]T{}", of the same size and with as many lines:
// the elements become spaces, less as many as the length has more digits
// than "...", lost from the first lines of the literal. It reports false for
// a literal with keys, an element type over more than one line, or elements
// it cannot count.
func sized(src []byte, a arrayLit) ([]byte, bool) {
	head, ok := sizedHead(src, a)
	if !ok {
		return nil, false
	}
	text := make([]byte, 0, a.close+1-a.lbrack)
	text = append(text, head...)
	drop := len(head) - (a.open + 1 - a.lbrack) // bytes to lose
	for ; drop < 0; drop++ {
		text = append(text, ' ') // a length shorter than "..."
	}
	for i := a.open + 1; i < a.close; i++ {
		switch {
		case src[i] == '\n':
			text = append(text, '\n')
		case drop > 0:
			drop--
		default:
			text = append(text, ' ')
		}
	}
	if drop > 0 {
		return nil, false
	}
	return append(text, '}'), true
}

// sizedHead returns the start of array literal a of src as one of its
// length, "[3]T{" for "[...]T{a, b, c}", or reports false as sized does.
func sizedHead(src []byte, a arrayLit) ([]byte, bool) {
	elem := src[a.rbrack+1 : a.open]
	if bytes.IndexByte(elem, '\n') >= 0 {
		return nil, false
	}
	count, depth, pending := 0, 0, false
	for i := a.open + 1; i < a.close; {
		c := src[i]
		switch c {
		case ' ', '\t', '\r', '\n':
			i++
			continue
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case ',':
			if depth == 0 {
				if !pending {
					return nil, false
				}
				count, pending = count+1, false
				i++
				continue
			}
		case ':':
			if depth == 0 {
				return nil, false // keys
			}
		}
		j, ok := skipToken(src, i)
		if !ok {
			return nil, false
		}
		if c != '/' || j == i+1 {
			pending = true // not a comment
		}
		i = j
	}
	if pending {
		count++
	}
	head := append([]byte("["+strconv.Itoa(count)+"]"), elem...)
	return append(head, '{'), true
}

// hasLineDirective reports whether text may hold a //line or /*line
// directive, which blanking would lose.
func hasLineDirective(text []byte) bool {
	for i := 0; ; {
		j := bytes.Index(text[i:], []byte("line "))
		if j < 0 {
			return false
		}
		if at := i + j; at >= 2 && text[at-2] == '/' && (text[at-1] == '/' || text[at-1] == '*') {
			return true
		}
		i += j + len("line ")
	}
}

// blank turns src[from:to] to spaces, newlines kept.
func blank(src []byte, from, to int) {
	for j := from; j < to; j++ {
		if src[j] != '\n' {
			src[j] = ' '
		}
	}
}

// funcDecl is where a top-level function declaration is in a file: from
// "func" at start, its body's braces at open and close, or open -1 when
// it has no body.
type funcDecl struct{ start, open, close int }

// funcDecls finds the top-level function declarations of src that start a
// line, in order, or reports that src is not text it follows.
func funcDecls(src []byte) ([]funcDecl, bool) {
	fns, _, _, _, ok := topLevel(src)
	return fns, ok
}

// An arrayLit is a composite literal of a [...] array type in src: the
// brackets of its length at lbrack and rbrack, its braces at open and close.
type arrayLit struct{ lbrack, rbrack, open, close int }

// topLevel finds the top-level function declarations of src that start a
// line, in order, the braces of the composite and function literals
// outside them that may be blanked: all but those of [...] arrays, which
// it returns apart, and those of struct and interface types, which are no
// literals; and the comments outside them, from their first byte to the
// one after their last. It reports whether src is text it follows.
func topLevel(src []byte) ([]funcDecl, [][2]int, []arrayLit, [][2]int, bool) {
	var fns []funcDecl
	var lits, comments [][2]int
	var arrays []arrayLit
	n := len(src)
	i := 0
	lineStart := true
	var prev []byte   // the last identifier, nil after any other token
	ellipsis := false // a [...] array type waits for its literal
	var lbrack, rbrack int
	for i < n {
		c := src[i]
		switch {
		case c == '\n':
			lineStart = true
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r':
			lineStart = false
			i++
			continue
		}
		if c == 'f' && lineStart && bytes.HasPrefix(src[i:], []byte("func")) && (i+4 == n || !isIdent(src[i+4])) {
			open, ok := bodyStart(src, i+4)
			if !ok {
				return nil, nil, nil, nil, false
			}
			prev, ellipsis = nil, false
			if open < 0 {
				fns = append(fns, funcDecl{i, -1, -1})
				i += 4
				lineStart = false
				continue
			}
			close, ok := matchBrace(src, open)
			if !ok {
				return nil, nil, nil, nil, false
			}
			fns = append(fns, funcDecl{i, open, close})
			i = close + 1
			lineStart = false
			continue
		}
		lineStart = false
		switch c {
		case '[':
			if j := skipSpace(src, i+1); bytes.HasPrefix(src[j:], []byte("...")) {
				if k := skipSpace(src, j+3); k < n && src[k] == ']' {
					ellipsis, lbrack, rbrack = true, i, k
				}
			}
		case '{':
			close, ok := matchBrace(src, i)
			if !ok {
				return nil, nil, nil, nil, false
			}
			switch {
			case string(prev) == "struct" || string(prev) == "interface":
			case ellipsis:
				ellipsis = false
				arrays = append(arrays, arrayLit{lbrack, rbrack, i, close})
			default:
				lits = append(lits, [2]int{i, close})
			}
			i, prev = close+1, nil
			continue
		}
		j, ok := skipToken(src, i)
		if !ok {
			return nil, nil, nil, nil, false
		}
		if isIdent(c) {
			prev = src[i:j]
		} else if c != '/' {
			prev = nil
		} else if j > i+1 {
			comments = append(comments, [2]int{i, j})
		}
		i = j
	}
	return fns, lits, arrays, comments, true
}

// skipSpace returns the offset of the first byte from i on that is no
// space, tab or newline (len(src) when there is none).
func skipSpace(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i++
	}
	return i
}

// SkimUnchanged returns data, a file made from orig by edits within some
// of its top-level functions and by declarations appended, with the
// bodies of the functions it has as orig had them blanked (as SkimBodies
// does), and the blanked ranges: their check found no error in orig, and
// would find none again. The functions are matched by their order, the
// whole declaration compared. It blanks nothing when either text is one
// SkimBodies would not skim.
func SkimUnchanged(data, orig []byte) ([]byte, [][2]int) {
	fd, ok := funcDecls(data)
	if !ok {
		return data, nil
	}
	fo, ok := funcDecls(orig)
	if !ok {
		return data, nil
	}
	var out []byte
	var ranges [][2]int
	for i := 0; i < len(fd) && i < len(fo); i++ {
		d, o := fd[i], fo[i]
		if d.open < 0 || o.open < 0 || !bytes.Equal(data[d.start:d.close], orig[o.start:o.close]) || hasLineDirective(data[d.open:d.close]) {
			continue
		}
		if out == nil {
			out = bytes.Clone(data)
		}
		blank(out, d.open+1, d.close)
		ranges = append(ranges, [2]int{d.open, d.close + 1})
	}
	if out == nil {
		return data, nil
	}
	return out, ranges
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// skipToken returns the offset after the token, comment or string at i.
func skipToken(src []byte, i int) (int, bool) {
	n := len(src)
	c := src[i]
	switch {
	case c == '/' && i+1 < n && src[i+1] == '/':
		j := bytes.IndexByte(src[i:], '\n')
		if j < 0 {
			return n, true
		}
		return i + j, true // the newline is the caller's
	case c == '/' && i+1 < n && src[i+1] == '*':
		j := bytes.Index(src[i+2:], []byte("*/"))
		if j < 0 {
			return 0, false
		}
		return i + 2 + j + 2, true
	case c == '"' || c == '\'':
		for j := i + 1; j < n; j++ {
			switch src[j] {
			case '\\':
				j++
			case c:
				return j + 1, true
			case '\n':
				return 0, false
			}
		}
		return 0, false
	case c == '`':
		j := bytes.IndexByte(src[i+1:], '`')
		if j < 0 {
			return 0, false
		}
		return i + 1 + j + 1, true
	case identByte[c]:
		j := i
		for j < n && identByte[src[j]] {
			j++
		}
		return j, true
	}
	return i + 1, true
}

// bodyStart returns the offset of the opening brace of the body of the
// function declared from i (just after "func"), or -1 when the declaration
// has no body: a newline outside parentheses, brackets and struct or
// interface braces ends the signature.
func bodyStart(src []byte, i int) (int, bool) {
	n := len(src)
	depth := 0
	var prev []byte // the last identifier
	for i < n {
		c := src[i]
		switch c {
		case '\n':
			if depth == 0 {
				return -1, true
			}
			i++
			continue
		case ' ', '\t', '\r':
			i++
			continue
		case '(', '[':
			depth++
		case ')', ']':
			depth--
			if depth < 0 {
				return 0, false
			}
		case '{':
			if string(prev) == "struct" || string(prev) == "interface" {
				end, ok := matchBrace(src, i)
				if !ok {
					return 0, false
				}
				i, prev = end+1, nil
				continue
			}
			if depth == 0 {
				return i, true
			}
		case ';':
			if depth == 0 {
				return -1, true
			}
		}
		j, ok := skipToken(src, i)
		if !ok {
			return 0, false
		}
		if isIdent(c) {
			prev = src[i:j]
		} else if c != '/' {
			prev = nil
		}
		i = j
	}
	return -1, true
}

// matchBrace returns the offset of the brace that closes the one at open.
func matchBrace(src []byte, open int) (int, bool) {
	depth := 0
	for i := open; i < len(src); i++ {
		for !braceByte[src[i]] {
			if i++; i == len(src) {
				return 0, false
			}
		}
		switch src[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i, true
			}
		case '"', '\'', '`', '/':
			// A string, a rune or a comment may hold braces.
			j, ok := skipToken(src, i)
			if !ok {
				return 0, false
			}
			i = j - 1
		}
	}
	return 0, false
}

// skimValues empties the composite literals in the values of f's package
// level variables, which a check without function bodies still walks
// element by element (the Unicode tables, for one) though no element changes
// a type. An array literal of [...] without keys becomes one of its length;
// one with keys keeps its elements, but their own literals are emptied.
func skimValues(f *ast.File) {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			for _, v := range spec.(*ast.ValueSpec).Values {
				skimExpr(v)
			}
		}
	}
}

func skimExpr(e ast.Expr) {
	switch e := e.(type) {
	case *ast.UnaryExpr:
		skimExpr(e.X)
	case *ast.ParenExpr:
		skimExpr(e.X)
	case *ast.CompositeLit:
		if at, ok := e.Type.(*ast.ArrayType); ok && at.Len != nil {
			if ell, ok := at.Len.(*ast.Ellipsis); ok {
				if len(e.Elts) > 0 && !hasKeys(e.Elts) {
					// [...]T{a, b, c} is a [3]T.
					at.Len = &ast.BasicLit{ValuePos: ell.Pos(), Kind: token.INT, Value: strconv.Itoa(len(e.Elts))}
					e.Elts = nil
					return
				}
				for _, el := range e.Elts {
					if kv, ok := el.(*ast.KeyValueExpr); ok {
						skimExpr(kv.Value)
					} else {
						skimExpr(el)
					}
				}
				return
			}
		}
		if e.Type == nil {
			// An element of an outer literal, its type elided: emptied
			// only when the outer one is.
			return
		}
		e.Elts = nil
	}
}

func hasKeys(elts []ast.Expr) bool {
	for _, el := range elts {
		if _, ok := el.(*ast.KeyValueExpr); ok {
			return true
		}
	}
	return false
}

// braceByte tells the bytes that matchBrace looks at.
var braceByte = [256]bool{'{': true, '}': true, '"': true, '\'': true, '`': true, '/': true}
