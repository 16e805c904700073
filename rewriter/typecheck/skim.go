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
// most of the cost of parsing a dependency. Only declarations at the start
// of a line (where gofmt puts them) are skimmed, and a body that holds a //line directive is kept; when
// the text is anything it does not follow (unbalanced braces, a string that
// does not end), SkimBodies returns src itself.
func SkimBodies(src []byte) []byte {
	var out []byte // a copy, made at the first body skimmed
	n := len(src)
	i := 0
	lineStart := true
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
				return src
			}
			if open < 0 {
				i += 4
				lineStart = false
				continue
			}
			close, ok := matchBrace(src, open)
			if !ok {
				return src
			}
			body := src[open+1 : close]
			if !bytes.Contains(body, []byte("line ")) {
				if out == nil {
					out = bytes.Clone(src)
				}
				for j := open + 1; j < close; j++ {
					if out[j] != '\n' {
						out[j] = ' '
					}
				}
			}
			i = close + 1
			lineStart = false
			continue
		}
		lineStart = false
		j, ok := skipToken(src, i)
		if !ok {
			return src
		}
		i = j
	}
	if out == nil {
		return src
	}
	return out
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
	case isIdent(c):
		j := i
		for j < n && isIdent(src[j]) {
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
	for i := open; i < len(src); {
		switch src[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i, true
			}
		case '\n', ' ', '\t', '\r':
			i++
			continue
		}
		j, ok := skipToken(src, i)
		if !ok {
			return 0, false
		}
		i = j
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
