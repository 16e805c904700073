package typecheck

import (
	"bytes"
	"slices"
	"unsafe"
)

// pruneTexts returns the short texts (see skimShort) of the files of one
// package without the top-level declarations that no root reaches, found
// by their words, before anything is parsed: what withoutUnreachable drops
// after parsing, parsed for nothing. Parsing is most of what a dependency
// costs, and most of a wide one's declarations are never reached:
// crypto/tls's, the constants of syscall. It keeps more than it must, never
// less: a declaration that names a kept one by any word but a selector's
// (x.Name names no declaration of the package) is kept with it, a kept type
// keeps every method declared on it, and text it does not follow is kept.
// A dropped declaration leaves its newlines, so that lines stay. The roots
// are the declarations whose names root accepts, and methods whose
// receiver it cannot read. It returns texts itself when one is text it
// does not follow, or when a file imports "C", whose names no file
// declares.
func pruneTexts(texts [][]byte, root func(name string) bool) [][]byte {
	units := make([][]unit, len(texts))
	n := 0
	for i, src := range texts {
		us, ok := declUnits(src)
		if !ok {
			return texts
		}
		for _, u := range us {
			if u.kind == unitImport && bytes.Contains(src[u.from:u.to], []byte(`"C"`)) {
				return texts
			}
		}
		units[i] = us
		n += len(us)
	}
	names := 0
	for _, us := range units {
		for i := range us {
			names += len(us[i].names)
			for j := range us[i].specs {
				names += len(us[i].specs[j].names)
			}
		}
	}
	// Every declaration, spec by spec, by the names it declares (a chain
	// of refs per name); methods by their receiver's type.
	type ref struct {
		u    *unit
		next int32 // the ref of the next declaration of the name, -1 at the end
	}
	refs := make([]ref, 0, n)
	byName := make(map[string]int32, names)
	methods := map[string][]*unit{}
	var stack []*unit
	directives := slices.ContainsFunc(texts, hasLineDirective)
	index := func(d *unit) {
		if directives && hasLineDirective(d.src[d.from:d.to]) {
			// The lines after it follow the directive.
			stack = append(stack, d)
		}
		switch {
		case d.kind == unitMethod && d.recv != "":
			methods[d.recv] = append(methods[d.recv], d)
		case d.kind == unitMethod, d.kind == unitOther:
			stack = append(stack, d)
		case d.kind == unitImport:
			d.kept = true
		}
		for _, name := range d.names {
			next, ok := byName[name]
			if !ok {
				next = -1
			}
			byName[name] = int32(len(refs))
			refs = append(refs, ref{d, next})
			if root(name) {
				stack = append(stack, d)
			}
		}
	}
	for _, us := range units {
		for i := range us {
			if u := &us[i]; u.specs == nil {
				index(u)
			} else {
				for j := range u.specs {
					index(&u.specs[j])
				}
			}
		}
	}
	for len(stack) > 0 {
		d := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if d.kept {
			continue
		}
		d.kept = true
		if d.kind == unitType {
			stack = append(stack, methods[d.names[0]]...)
		}
		words(d.src[d.from:d.to], func(w []byte) {
			r, ok := byName[string(w)]
			for ok && r >= 0 {
				if !refs[r].u.kept {
					stack = append(stack, refs[r].u)
				}
				r = refs[r].next
			}
		})
	}
	// Each file's text, less what is not kept.
	out := make([][]byte, len(texts))
	for i, src := range texts {
		var drops [][2]int
		for _, u := range units[i] {
			switch {
			case u.kind == unitImport || u.kept:
			case u.specs == nil || !u.anyKept():
				drops = append(drops, [2]int{u.from, u.to})
			default:
				for _, s := range u.specs {
					if !s.kept {
						drops = append(drops, [2]int{s.from, s.to})
					}
				}
			}
		}
		out[i] = dropRanges(src, drops)
	}
	return out
}

// dropRanges returns src without the ranges, in order, each but its
// newlines, or src itself when there is nothing to drop.
func dropRanges(src []byte, drops [][2]int) []byte {
	var out []byte
	at := 0
	for _, r := range drops {
		if out == nil {
			out = make([]byte, 0, len(src))
		}
		out = append(out, src[at:r[0]]...)
		for range bytes.Count(src[r[0]:r[1]], []byte("\n")) {
			out = append(out, '\n')
		}
		at = r[1]
	}
	if out == nil {
		return src
	}
	return append(out, src[at:]...)
}

// unitKind is what a top-level declaration declares.
type unitKind uint8

const (
	unitOther  unitKind = iota // the package clause, or text not followed: kept
	unitImport                 // kept: unused imports are dropped after parsing
	unitFunc
	unitMethod
	unitType
	unitValue // a var spec, or a const declaration whole (its specs share iota)
)

// A unit is one top-level declaration of a file's text, from its first
// byte to the one after its last, or one spec of a parenthesized type or
// var declaration (in specs).
type unit struct {
	src      []byte
	from, to int
	kind     unitKind
	names    []string
	recv     string // a method's receiver's base type, "" if unread
	specs    []unit // of a parenthesized type or var declaration
	kept     bool
}

func (u *unit) anyKept() bool {
	for _, s := range u.specs {
		if s.kept {
			return true
		}
	}
	return false
}

// declUnits splits src into its top-level declarations, the package
// clause among them, or reports that it is not text it follows.
func declUnits(src []byte) ([]unit, bool) {
	spans, _, ok := statements(src, 0, len(src), false)
	if !ok {
		return nil, false
	}
	units := make([]unit, len(spans))
	for i, s := range spans {
		if !readUnit(&units[i], src, s[0], s[1]) {
			return nil, false
		}
	}
	return units, true
}

// name returns src[a:b] as a string that shares its bytes: src is never
// changed, and the names of a file's declarations are most of its
// identifiers.
func name(src []byte, a, b int) string { return unsafe.String(&src[a], b-a) }

// readUnit reads the declaration of src[from:to] into u.
func readUnit(u *unit, src []byte, from, to int) bool {
	*u = unit{src: src, from: from, to: to}
	l := lexer{src: src[:to], i: from}
	k, a, b := l.nextSolid()
	if k != tokIdent {
		return true
	}
	kw := name(src, a, b)
	switch kw {
	case "import":
		u.kind = unitImport
	case "func":
		k, a, b = l.nextSolid()
		if k == '(' {
			// The receiver's base type: its last name outside brackets.
			parens, brackets := 1, 0
			for parens > 0 {
				k, a, b = l.nextSolid()
				switch k {
				case tokEOF:
					return false
				case '(':
					parens++
				case ')':
					parens--
				case '[':
					brackets++
				case ']':
					brackets--
				case tokIdent:
					if parens == 1 && brackets == 0 {
						u.recv = name(src, a, b)
					}
				}
			}
			u.kind = unitMethod
			return true
		}
		if k == tokIdent {
			u.kind, u.names = unitFunc, []string{name(src, a, b)}
		}
	case "type", "var", "const":
		kind := unitType
		if kw != "type" {
			kind = unitValue
		}
		k, a, b = l.nextSolid()
		if k != '(' {
			u.kind, u.names = kind, specNames(nil, src, a, to, kind)
			return true
		}
		specs, _, ok := statements(src, b, to, true)
		if !ok {
			return false
		}
		u.kind = kind
		for _, s := range specs {
			if kw == "const" {
				// A const block stays or goes whole.
				u.names = specNames(u.names, src, s[0], s[1], kind)
				continue
			}
			u.specs = append(u.specs, unit{src: src, from: s[0], to: s[1], kind: kind, names: specNames(nil, src, s[0], s[1], kind)})
		}
	}
	return true
}

// specNames appends to names those that the spec of src from a declares:
// a type's, or a var or const spec's list of names.
func specNames(names []string, src []byte, a, to int, kind unitKind) []string {
	l := lexer{src: src[:to], i: a}
	for {
		k, a, b := l.nextSolid()
		if k != tokIdent {
			return names
		}
		names = append(names, name(src, a, b))
		if kind == unitType {
			return names
		}
		if k, _, _ := l.nextSolid(); k != ',' {
			return names
		}
	}
}

// statements splits src[from:to] into what semicolons, written or implied
// by a line's end, end outside brackets: from each one's first token to
// the byte after its last (its semicolon, when written). Comments between
// them are in none. Within a parenthesized list (inList), the parenthesis
// that closes it ends the last one, and its offset is returned too.
func statements(src []byte, from, to int, inList bool) ([][2]int, int, bool) {
	var out [][2]int
	l := lexer{src: src[:to], i: from}
	depth := 0
	semi := false // a line's end now implies a semicolon
	start := -1
	for {
		k, a, b := l.next()
		switch k {
		case tokEOF:
			if depth != 0 || inList {
				return nil, 0, false
			}
			if start >= 0 {
				out = append(out, [2]int{start, b})
			}
			return out, b, true
		case tokBad:
			return nil, 0, false
		case tokNewline:
			if depth == 0 && semi && start >= 0 {
				out = append(out, [2]int{start, a})
				start = -1
			}
			semi = false
			continue
		case tokComment:
			continue
		}
		if k == ')' && depth == 0 && inList {
			if start >= 0 {
				out = append(out, [2]int{start, a})
			}
			return out, a, true
		}
		if start < 0 {
			start = a
		}
		switch k {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth--; depth < 0 {
				return nil, 0, false
			}
		case ';':
			if depth == 0 {
				out = append(out, [2]int{start, b})
				start, semi = -1, false
				continue
			}
		}
		semi = impliesSemi(k, src[a:b])
	}
}

// impliesSemi reports whether a line that ends with the token of kind k
// and text t ends a statement, as Go's rule for semicolons says.
func impliesSemi(k tokKind, t []byte) bool {
	switch k {
	case tokLit, tokIncDec, ')', ']', '}':
		return true
	case tokIdent:
		switch string(t) {
		case "break", "continue", "fallthrough", "return":
			return true
		}
		return !isKeyword(t)
	}
	return false
}

// isKeyword reports whether identifier t is one of Go's keywords.
func isKeyword(t []byte) bool {
	if len(t) < 2 || len(t) > 11 || t[0] < 'b' || t[0] > 'v' {
		return false
	}
	switch string(t) {
	case "break", "case", "chan", "const", "continue", "default", "defer",
		"else", "fallthrough", "for", "func", "go", "goto", "if", "import",
		"interface", "map", "package", "range", "return", "select", "struct",
		"switch", "type", "var":
		return true
	}
	return false
}

// words calls f with each identifier of src that may name a package-level
// declaration: not a keyword, and not a selector's name (after a ".").
func words(src []byte, f func(w []byte)) {
	l := lexer{src: src}
	afterDot := false
	for {
		k, a, b := l.nextSolid()
		switch k {
		case tokEOF, tokBad:
			return
		case tokIdent:
			if !afterDot && !isKeyword(src[a:b]) {
				f(src[a:b])
			}
		}
		afterDot = k == '.'
	}
}

// tokKind is the kind of a token: one of the consts, or the byte of a
// punctuation mark that matters here ("([{}]);,.").
type tokKind byte

const (
	tokEOF     tokKind = 0
	tokBad     tokKind = 1 // a string or comment that does not end
	tokNewline tokKind = '\n'
	tokComment tokKind = '/' // on one line
	tokIdent   tokKind = 'a'
	tokLit     tokKind = '0' // a number, string or rune
	tokIncDec  tokKind = '+' // "++" or "--"
	tokOp      tokKind = '*' // any other operator, "..." among them
)

// lexer reads the tokens of Go text, enough of them to split it into
// declarations and find their words.
type lexer struct {
	src []byte
	i   int
}

// next returns the kind and the bounds of the next token. A comment that
// holds a newline is one (tokNewline); at the end, a tokEOF at len(src).
func (l *lexer) next() (tokKind, int, int) {
	src, n := l.src, len(l.src)
	i := l.i
	for i < n && (src[i] == ' ' || src[i] == '\t' || src[i] == '\r') {
		i++
	}
	if i == n {
		l.i = n
		return tokEOF, n, n
	}
	a, c := i, src[i]
	var k tokKind
	switch {
	case c == '\n':
		k, i = tokNewline, i+1
	case c >= '0' && c <= '9' || c == '.' && i+1 < n && src[i+1] >= '0' && src[i+1] <= '9':
		// A number: its exponent's sign is its own, "1." and ".5" too.
		exp := byte('e')
		if c == '0' && i+1 < n && src[i+1]|0x20 == 'x' {
			exp = 'p'
		}
		for i < n && (identByte[src[i]] || src[i] == '.') {
			if i++; src[i-1]|0x20 == exp && i < n && (src[i] == '+' || src[i] == '-') {
				i++
			}
		}
		k = tokLit
	case identByte[c]:
		for i < n && identByte[src[i]] {
			i++
		}
		k = tokIdent
	case c == '"' || c == '\'' || c == '`':
		j, ok := skipToken(src, i)
		if !ok {
			l.i = n
			return tokBad, a, n
		}
		k, i = tokLit, j
	case c == '/' && i+1 < n && (src[i+1] == '/' || src[i+1] == '*'):
		j, ok := skipToken(src, i)
		if !ok {
			l.i = n
			return tokBad, a, n
		}
		k, i = tokComment, j
		if src[a+1] == '*' && bytes.IndexByte(src[a:j], '\n') >= 0 {
			k = tokNewline // a /* */ comment over lines ends one
		}
	case c == '.' && i+2 < n && src[i+1] == '.' && src[i+2] == '.':
		k, i = tokOp, i+3
	case (c == '+' || c == '-') && i+1 < n && src[i+1] == c:
		k, i = tokIncDec, i+2
	case c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == ';' || c == ',' || c == '.':
		k, i = tokKind(c), i+1
	default:
		k, i = tokOp, i+1
	}
	l.i = i
	return k, a, i
}

// nextSolid is next without newlines and comments.
func (l *lexer) nextSolid() (tokKind, int, int) {
	for {
		k, a, b := l.next()
		if k != tokNewline && k != tokComment {
			return k, a, b
		}
	}
}

// identByte tells the bytes that isIdent accepts.
var identByte = func() (t [256]bool) {
	for c := range t {
		t[c] = isIdent(byte(c))
	}
	return t
}()
