package typecheck

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"math/big"
	"slices"
	"sync"
)

// The cache holds a package's types in a shallow encoding of otelgen's own:
// the package's objects, and of other packages only the names of the types
// it refers to. The export data of go/types (gcexportdata) is deep: each
// package's entry repeats every declaration of other packages that its own
// lead to (the hook package of go-redis held go-redis's client API again),
// and writing it was an eighth of a first run's work. A read of an entry
// has the packages it refers to read or checked first (see fromCache), so
// names are enough.
//
// An entry is: the format, the package's name, the other packages it refers
// to (path and name), the files of its positions (name and last line),
// then its objects, sorted by name, twice: first what declaring them needs
// (kind, name, position, type parameters), then each one's index and type
// (and value, methods), aliases first, each after those it names, so that
// a reader meets every alias defined. A type written once is written
// again as its index, and read once. Positions are a file and a line.

const shallowFormat = "otelgen-shallow-2"

// Object kinds.
const (
	objConst = 'c'
	objVar   = 'v'
	objFunc  = 'f'
	objType  = 't'
	objAlias = 'a'
)

// Type tags.
const (
	tagBasic     = 'b'
	tagNamed     = 'n' // a named type or an alias: package, name, type arguments
	tagTypeParam = 'q'
	tagPointer   = 'p'
	tagSlice     = 's'
	tagArray     = 'r'
	tagMap       = 'm'
	tagChan      = 'c'
	tagStruct    = 'S'
	tagInterface = 'I'
	tagUnion     = 'U'
	tagSignature = 'F'
	tagTuple     = 'T'
	tagAny       = 'A' // the universe's empty interface, which prints as any
	tagSame      = '=' // the constraint of the type parameter before
	tagRef       = '#' // a type read before, by its index
)

// universeAny is the underlying type of any.
var universeAny = types.Universe.Lookup("any").Type().Underlying()

// Package references: the package itself, the universe's objects, or
// another package, from 2 on.
const (
	pkgSelf     = 0
	pkgUniverse = 1
)

// encodeShallow returns the shallow encoding of pkg, or an error for a type
// it does not know.
func encodeShallow(fset *token.FileSet, pkg *types.Package) (data []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			data, err = nil, fmt.Errorf("encoding %s: %v", pkg.Path(), r)
		}
	}()
	e := &encoder{fset: fset, pkg: pkg, pkgIndex: map[*types.Package]int{}, fileIndex: map[string]int{}, tparams: map[*types.TypeParam]int{}, typIndex: map[types.Type]int{}}
	scope := pkg.Scope()
	names := scope.Names()
	var head, bodies bytes.Buffer
	e.uint(&head, len(names))
	for _, name := range names {
		e.header(&head, scope.Lookup(name))
	}
	for _, i := range bodyOrder(pkg, names) {
		e.uint(&bodies, i)
		e.body(&bodies, scope.Lookup(names[i]))
	}
	var out bytes.Buffer
	e.string(&out, shallowFormat)
	e.string(&out, pkg.Name())
	e.uint(&out, len(e.pkgs))
	for _, p := range e.pkgs {
		e.string(&out, p.Path())
		e.string(&out, p.Name())
	}
	e.uint(&out, len(e.files))
	for i, name := range e.files {
		e.string(&out, name)
		e.uint(&out, e.lastLine[i])
	}
	out.Write(head.Bytes())
	out.Write(bodies.Bytes())
	return out.Bytes(), nil
}

type encoder struct {
	fset      *token.FileSet
	pkg       *types.Package
	pkgs      []*types.Package // other packages, by index - 2
	pkgIndex  map[*types.Package]int
	files     []string
	lastLine  []int
	fileIndex map[string]int
	tparams   map[*types.TypeParam]int // in the order declared
	typIndex  map[types.Type]int       // the types written, in order, but basic ones and type parameters
	scratch   [binary.MaxVarintLen64]byte
}

func (e *encoder) uint(b *bytes.Buffer, n int) {
	b.Write(binary.AppendUvarint(e.scratch[:0], uint64(n)))
}

func (e *encoder) int(b *bytes.Buffer, n int64) {
	b.Write(binary.AppendVarint(e.scratch[:0], n))
}

func (e *encoder) string(b *bytes.Buffer, s string) {
	e.uint(b, len(s))
	b.WriteString(s)
}

func (e *encoder) bool(b *bytes.Buffer, v bool) {
	if v {
		b.WriteByte(1)
	} else {
		b.WriteByte(0)
	}
}

// pos writes a position as a file's index + 1 and a line, 0 for none.
func (e *encoder) pos(b *bytes.Buffer, p token.Pos) {
	if !p.IsValid() {
		e.uint(b, 0)
		return
	}
	posn := e.fset.Position(p)
	i, ok := e.fileIndex[posn.Filename]
	if !ok {
		i = len(e.files)
		e.fileIndex[posn.Filename] = i
		e.files = append(e.files, posn.Filename)
		e.lastLine = append(e.lastLine, 0)
	}
	e.lastLine[i] = max(e.lastLine[i], posn.Line)
	e.uint(b, i+1)
	e.uint(b, posn.Line)
}

func (e *encoder) pkgRef(b *bytes.Buffer, p *types.Package) {
	switch {
	case p == e.pkg:
		e.uint(b, pkgSelf)
	case p == nil:
		e.uint(b, pkgUniverse)
	default:
		i, ok := e.pkgIndex[p]
		if !ok {
			i = len(e.pkgs) + 2
			e.pkgIndex[p] = i
			e.pkgs = append(e.pkgs, p)
		}
		e.uint(b, i)
	}
}

// bodyOrder returns the order in which to write the bodies of the objects
// of pkg, names sorted: aliases first, each after those its definition
// names, so that a reader meets an alias defined, then every other object
// in the order of names.
func bodyOrder(pkg *types.Package, names []string) []int {
	index := map[string]int{}
	for i, name := range names {
		index[name] = i
	}
	var order []int
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(a *types.Alias)
	var walk func(t types.Type, seen map[types.Type]bool)
	walk = func(t types.Type, seen map[types.Type]bool) {
		if t == nil || seen[t] {
			return
		}
		seen[t] = true
		switch t := t.(type) {
		case *types.Alias:
			if o := t.Origin(); o.Obj().Pkg() == pkg {
				visit(o)
			}
			for i := range t.TypeArgs().Len() {
				walk(t.TypeArgs().At(i), seen)
			}
		case *types.Named:
			for i := range t.TypeArgs().Len() {
				walk(t.TypeArgs().At(i), seen)
			}
		case *types.Pointer:
			walk(t.Elem(), seen)
		case *types.Slice:
			walk(t.Elem(), seen)
		case *types.Array:
			walk(t.Elem(), seen)
		case *types.Chan:
			walk(t.Elem(), seen)
		case *types.Map:
			walk(t.Key(), seen)
			walk(t.Elem(), seen)
		case *types.Tuple:
			for i := range t.Len() {
				walk(t.At(i).Type(), seen)
			}
		case *types.Signature:
			walk(t.Params(), seen)
			walk(t.Results(), seen)
			for i := range t.TypeParams().Len() {
				walk(t.TypeParams().At(i).Constraint(), seen)
			}
		case *types.Struct:
			for i := range t.NumFields() {
				walk(t.Field(i).Type(), seen)
			}
		case *types.Interface:
			for i := range t.NumExplicitMethods() {
				walk(t.ExplicitMethod(i).Type(), seen)
			}
			for i := range t.NumEmbeddeds() {
				walk(t.EmbeddedType(i), seen)
			}
		case *types.Union:
			for i := range t.Len() {
				walk(t.Term(i).Type(), seen)
			}
		case *types.TypeParam:
			walk(t.Constraint(), seen)
		}
	}
	visit = func(a *types.Alias) {
		name := a.Obj().Name()
		if state[name] != 0 {
			return // done, or a cycle, which a check reports
		}
		state[name] = 1
		seen := map[types.Type]bool{}
		walk(a.Rhs(), seen)
		for i := range a.TypeParams().Len() {
			walk(a.TypeParams().At(i).Constraint(), seen)
		}
		state[name] = 2
		order = append(order, index[name])
	}
	for _, name := range names {
		if tn, ok := pkg.Scope().Lookup(name).(*types.TypeName); ok {
			if a, ok := tn.Type().(*types.Alias); ok {
				visit(a)
			}
		}
	}
	for i, name := range names {
		if state[name] == 0 {
			order = append(order, i)
		}
	}
	return order
}

// header writes what declaring obj needs.
func (e *encoder) header(b *bytes.Buffer, obj types.Object) {
	switch obj := obj.(type) {
	case *types.Const:
		b.WriteByte(objConst)
	case *types.Var:
		b.WriteByte(objVar)
	case *types.Func:
		b.WriteByte(objFunc)
	case *types.TypeName:
		switch t := obj.Type().(type) {
		case *types.Named:
			b.WriteByte(objType)
			e.string(b, obj.Name())
			e.pos(b, obj.Pos())
			e.declareTParams(b, t.TypeParams())
			return
		case *types.Alias:
			b.WriteByte(objAlias)
			e.string(b, obj.Name())
			e.pos(b, obj.Pos())
			e.declareTParams(b, t.TypeParams())
			return
		default:
			panic(fmt.Sprintf("type name %s of %T", obj.Name(), t))
		}
	default:
		panic(fmt.Sprintf("object %s of %T", obj.Name(), obj))
	}
	e.string(b, obj.Name())
	e.pos(b, obj.Pos())
}

// declareTParams writes the names of a list of type parameters and gives
// each an index; their constraints follow, with constraints.
func (e *encoder) declareTParams(b *bytes.Buffer, list *types.TypeParamList) {
	e.uint(b, list.Len())
	for i := range list.Len() {
		tp := list.At(i)
		e.tparams[tp] = len(e.tparams)
		e.string(b, tp.Obj().Name())
		e.pos(b, tp.Obj().Pos())
	}
}

// constraints writes the constraints of list; one that is the one before
// (in [A, B ~[]E]) is written so, to read as one too.
func (e *encoder) constraints(b *bytes.Buffer, list *types.TypeParamList) {
	for i := range list.Len() {
		if c := list.At(i).Constraint(); i > 0 && c == list.At(i-1).Constraint() {
			b.WriteByte(tagSame)
		} else {
			e.typ(b, c)
		}
	}
}

// body writes obj's type, and a constant's value, a type's methods.
func (e *encoder) body(b *bytes.Buffer, obj types.Object) {
	switch obj := obj.(type) {
	case *types.Const:
		e.typ(b, obj.Type())
		e.value(b, obj.Val())
	case *types.Var:
		e.typ(b, obj.Type())
	case *types.Func:
		e.signature(b, obj.Type().(*types.Signature))
	case *types.TypeName:
		switch t := obj.Type().(type) {
		case *types.Named:
			e.constraints(b, t.TypeParams())
			e.typ(b, t.Underlying())
			e.uint(b, t.NumMethods())
			for i := range t.NumMethods() {
				m := t.Method(i)
				e.string(b, m.Name())
				e.pos(b, m.Pos())
				sig := m.Type().(*types.Signature)
				recv := sig.Recv()
				e.string(b, recv.Name())
				e.pos(b, recv.Pos())
				e.declareTParams(b, sig.RecvTypeParams())
				e.constraints(b, sig.RecvTypeParams())
				e.typ(b, recv.Type())
				e.signature(b, sig)
			}
		case *types.Alias:
			e.constraints(b, t.TypeParams())
			e.typ(b, t.Rhs())
		}
	}
}

// signature writes sig but its receiver.
func (e *encoder) signature(b *bytes.Buffer, sig *types.Signature) {
	e.declareTParams(b, sig.TypeParams())
	e.constraints(b, sig.TypeParams())
	e.tuple(b, sig.Params())
	e.tuple(b, sig.Results())
	e.bool(b, sig.Variadic())
}

func (e *encoder) tuple(b *bytes.Buffer, t *types.Tuple) {
	e.uint(b, t.Len())
	for i := range t.Len() {
		v := t.At(i)
		e.string(b, v.Name())
		e.pos(b, v.Pos())
		e.typ(b, v.Type())
	}
}

// typ writes t, or a reference to it when written already: a type written
// once is read once, and shared, as a check shares it.
func (e *encoder) typ(b *bytes.Buffer, t types.Type) {
	switch t.(type) {
	case *types.Basic, *types.TypeParam:
	default:
		if t == universeAny {
			break
		}
		if i, ok := e.typIndex[t]; ok {
			b.WriteByte(tagRef)
			e.uint(b, i)
			return
		}
		defer func() { e.typIndex[t] = len(e.typIndex) }()
	}
	switch t := t.(type) {
	case *types.Basic:
		b.WriteByte(tagBasic)
		e.uint(b, int(t.Kind()))
		e.string(b, t.Name()) // "byte" and "rune" are kinds of their own names
	case *types.Named:
		b.WriteByte(tagNamed)
		e.pkgRef(b, t.Obj().Pkg())
		e.string(b, t.Obj().Name())
		e.typeList(b, t.TypeArgs())
	case *types.Alias:
		b.WriteByte(tagNamed)
		e.pkgRef(b, t.Obj().Pkg())
		e.string(b, t.Obj().Name())
		e.typeList(b, t.TypeArgs())
	case *types.TypeParam:
		i, ok := e.tparams[t]
		if !ok {
			panic(fmt.Sprintf("type parameter %s out of its declaration", t))
		}
		b.WriteByte(tagTypeParam)
		e.uint(b, i)
	case *types.Pointer:
		b.WriteByte(tagPointer)
		e.typ(b, t.Elem())
	case *types.Slice:
		b.WriteByte(tagSlice)
		e.typ(b, t.Elem())
	case *types.Array:
		b.WriteByte(tagArray)
		e.int(b, t.Len())
		e.typ(b, t.Elem())
	case *types.Map:
		b.WriteByte(tagMap)
		e.typ(b, t.Key())
		e.typ(b, t.Elem())
	case *types.Chan:
		b.WriteByte(tagChan)
		e.uint(b, int(t.Dir()))
		e.typ(b, t.Elem())
	case *types.Struct:
		b.WriteByte(tagStruct)
		e.uint(b, t.NumFields())
		for i := range t.NumFields() {
			f := t.Field(i)
			e.string(b, f.Name())
			e.pkgRef(b, f.Pkg())
			e.pos(b, f.Pos())
			e.bool(b, f.Embedded())
			e.string(b, t.Tag(i))
			e.typ(b, f.Type())
		}
	case *types.Interface:
		if t == universeAny {
			b.WriteByte(tagAny)
			return
		}
		b.WriteByte(tagInterface)
		e.bool(b, t.IsImplicit())
		e.uint(b, t.NumExplicitMethods())
		for i := range t.NumExplicitMethods() {
			m := t.ExplicitMethod(i)
			e.string(b, m.Name())
			e.pkgRef(b, m.Pkg())
			e.pos(b, m.Pos())
			// The methods of a named interface have it as their
			// receiver, as a check gives them.
			sig := m.Type().(*types.Signature)
			named, ok := sig.Recv().Type().(*types.Named)
			e.bool(b, ok)
			if ok {
				e.typ(b, named)
			}
			e.signature(b, sig)
		}
		e.uint(b, t.NumEmbeddeds())
		for i := range t.NumEmbeddeds() {
			e.typ(b, t.EmbeddedType(i))
		}
	case *types.Union:
		b.WriteByte(tagUnion)
		e.uint(b, t.Len())
		for i := range t.Len() {
			e.bool(b, t.Term(i).Tilde())
			e.typ(b, t.Term(i).Type())
		}
	case *types.Signature:
		b.WriteByte(tagSignature)
		e.signature(b, t)
	case *types.Tuple:
		b.WriteByte(tagTuple)
		e.tuple(b, t)
	default:
		panic(fmt.Sprintf("type %s of %T", t, t))
	}
}

func (e *encoder) typeList(b *bytes.Buffer, list *types.TypeList) {
	e.uint(b, list.Len())
	for i := range list.Len() {
		e.typ(b, list.At(i))
	}
}

func (e *encoder) value(b *bytes.Buffer, v constant.Value) {
	b.WriteByte(byte(v.Kind()))
	switch v.Kind() {
	case constant.Bool:
		e.bool(b, constant.BoolVal(v))
	case constant.String:
		e.string(b, constant.StringVal(v))
	case constant.Int:
		e.string(b, v.ExactString())
	case constant.Float:
		switch x := constant.Val(v).(type) {
		case *big.Rat:
			b.WriteByte('r')
			e.string(b, x.String())
		case *big.Float:
			b.WriteByte('f')
			e.string(b, x.Text('p', 0))
		default:
			panic(fmt.Sprintf("float constant %v", v))
		}
	case constant.Complex:
		e.value(b, constant.Real(v))
		e.value(b, constant.Imag(v))
	}
}

// decodeShallow reads data, which encodeShallow made, as package path. Other
// packages come from others, by path; it fails when one is missing or lacks
// a name the data refers to.
func decodeShallow(fset *token.FileSet, data []byte, path string, others func(path string) *types.Package) (pkg *types.Package, err error) {
	d := &decoder{data: data, fset: fset}
	defer func() {
		// Data from the cache is not trusted: go/types panics on some
		// that does not make sense, as the decoder does.
		if r := recover(); r != nil {
			pkg, err = nil, fmt.Errorf("reading the types of %s: %v", path, r)
		}
	}()
	if d.string() != shallowFormat {
		return nil, errors.New("not " + shallowFormat)
	}
	d.pkg = types.NewPackage(path, d.string())
	d.pkgs = []*types.Package{d.pkg, nil}
	for range d.count() {
		p, name := d.string(), d.string()
		other := others(p)
		if other == nil || other.Name() != name {
			d.fail("package %s is not at hand", p)
		}
		d.pkgs = append(d.pkgs, other)
	}
	nfiles := d.count()
	d.files = make([]*token.File, nfiles)
	for i := range nfiles {
		name, last := d.string(), d.uint()
		// A file of one byte a line: positions are lines.
		f := fset.AddFile(name, -1, last+1)
		f.SetLines(lineStarts(last + 1))
		d.files[i] = f
	}
	// The objects, declared: types have their type parameters.
	n := d.count()
	d.objs = make([]*declared, n)
	d.byName = make(map[string]*declared, n)
	for i := range n {
		o := &declared{kind: d.byte(), name: d.string()}
		pos := d.pos()
		switch o.kind {
		case objType:
			tn := types.NewTypeName(pos, d.pkg, o.name, nil)
			named := types.NewNamed(tn, nil, nil)
			named.SetTypeParams(d.declareTParams())
			o.obj = tn
		case objAlias:
			o.tn = types.NewTypeName(pos, d.pkg, o.name, nil)
			o.tparams = d.declareTParams()
		case objConst, objVar, objFunc:
			o.pos = pos
		default:
			d.fail("object kind %q", o.kind)
		}
		d.objs[i] = o
		d.byName[o.name] = o
	}
	for range d.objs {
		i := d.uint()
		if i >= len(d.objs) || d.objs[i].defined {
			d.fail("object %d defined twice", i)
		}
		d.define(d.objs[i])
	}
	for _, o := range d.objs {
		if !o.defined || d.pkg.Scope().Insert(o.obj) != nil {
			d.fail("%s not defined, or declared twice", o.name)
		}
	}
	if d.at != len(d.data) {
		d.fail("%d bytes left over", len(d.data)-d.at)
	}
	for _, b := range d.bounds {
		b.tp.SetConstraint(b.t)
	}
	for _, it := range d.ifaces {
		it.Complete()
	}
	d.pkg.MarkComplete()
	return d.pkg, nil
}

type decodeError string

// A declared is an object of the package being read.
type declared struct {
	kind    byte
	name    string
	pos     token.Pos
	obj     types.Object
	tn      *types.TypeName    // an alias's, until defined
	tparams []*types.TypeParam // an alias's
	defined bool
}

type decoder struct {
	data    []byte
	at      int
	fset    *token.FileSet
	pkg     *types.Package
	pkgs    []*types.Package // by reference: pkgSelf, pkgUniverse (nil), others
	files   []*token.File
	objs    []*declared
	byName  map[string]*declared
	tparams []*types.TypeParam // in the order declared
	ifaces  []*types.Interface
	bounds  []bound      // constraints to set
	types   []types.Type // read, but basic types and type parameters, by index
}

func (d *decoder) fail(format string, args ...any) {
	panic(decodeError(fmt.Sprintf(format, args...)))
}

func (d *decoder) byte() byte {
	if d.at >= len(d.data) {
		d.fail("data ends early")
	}
	c := d.data[d.at]
	d.at++
	return c
}

func (d *decoder) uint() int {
	v, n := binary.Uvarint(d.data[d.at:])
	if n <= 0 || v > 1<<31 {
		d.fail("bad number at %d", d.at)
	}
	d.at += n
	return int(v)
}

// count reads the length of a list, which has as many bytes at least.
func (d *decoder) count() int {
	n := d.uint()
	if n > len(d.data)-d.at {
		d.fail("a list of %d at %d", n, d.at)
	}
	return n
}

func (d *decoder) int() int64 {
	v, n := binary.Varint(d.data[d.at:])
	if n <= 0 {
		d.fail("bad number at %d", d.at)
	}
	d.at += n
	return v
}

func (d *decoder) string() string {
	n := d.uint()
	if d.at+n > len(d.data) {
		d.fail("data ends early")
	}
	s := string(d.data[d.at : d.at+n])
	d.at += n
	return s
}

func (d *decoder) bool() bool { return d.byte() != 0 }

func (d *decoder) pos() token.Pos {
	i := d.uint()
	if i == 0 {
		return token.NoPos
	}
	if i > len(d.files) {
		d.fail("file %d", i)
	}
	line := d.uint()
	f := d.files[i-1]
	if line < 1 || line > f.LineCount() {
		d.fail("line %d", line)
	}
	return f.LineStart(line)
}

func (d *decoder) pkgRef() *types.Package {
	i := d.uint()
	if i >= len(d.pkgs) {
		d.fail("package %d", i)
	}
	return d.pkgs[i]
}

func (d *decoder) declareTParams() []*types.TypeParam {
	n := d.count()
	if n == 0 {
		return nil
	}
	list := make([]*types.TypeParam, n)
	for i := range list {
		name := d.string()
		tn := types.NewTypeName(d.pos(), d.pkg, name, nil)
		list[i] = types.NewTypeParam(tn, nil)
		d.tparams = append(d.tparams, list[i])
	}
	return list
}

// constraints reads the constraints of list, which are set once every
// type is read: setting one looks at its underlying type.
func (d *decoder) constraints(list []*types.TypeParam) {
	for i, tp := range list {
		if i > 0 && d.data[d.at] == tagSame {
			d.at++
			d.bounds = append(d.bounds, bound{tp, d.bounds[len(d.bounds)-1].t})
			continue
		}
		d.bounds = append(d.bounds, bound{tp, d.typ()})
	}
}

type bound struct {
	tp *types.TypeParam
	t  types.Type
}

// define reads the body of o.
func (d *decoder) define(o *declared) {
	switch o.kind {
	case objConst:
		t := d.typ()
		o.obj = types.NewConst(o.pos, d.pkg, o.name, t, d.value())
	case objVar:
		o.obj = types.NewVar(o.pos, d.pkg, o.name, d.typ())
	case objFunc:
		o.obj = types.NewFunc(o.pos, d.pkg, o.name, d.signature(nil, nil))
	case objType:
		named := o.obj.Type().(*types.Named)
		tps := named.TypeParams()
		list := make([]*types.TypeParam, tps.Len())
		for i := range list {
			list[i] = tps.At(i)
		}
		d.constraints(list)
		named.SetUnderlying(d.typ().Underlying())
		for range d.count() {
			name := d.string()
			pos := d.pos()
			recvName := d.string()
			recvPos := d.pos()
			rtps := d.declareTParams()
			d.constraints(rtps)
			recv := types.NewParam(recvPos, d.pkg, recvName, d.typ())
			named.AddMethod(types.NewFunc(pos, d.pkg, name, d.signature(recv, rtps)))
		}
	case objAlias:
		d.constraints(o.tparams)
		alias := types.NewAlias(o.tn, d.typ())
		if len(o.tparams) > 0 {
			alias.SetTypeParams(o.tparams)
		}
		o.obj = o.tn
	}
	o.defined = true
}

// signature reads a signature with receiver recv, of type parameters rtps.
func (d *decoder) signature(recv *types.Var, rtps []*types.TypeParam) *types.Signature {
	tps := d.declareTParams()
	d.constraints(tps)
	params := d.tuple()
	results := d.tuple()
	variadic := d.bool()
	return types.NewSignatureType(recv, rtps, tps, params, results, variadic)
}

func (d *decoder) tuple() *types.Tuple {
	n := d.count()
	if n == 0 {
		return nil
	}
	vars := make([]*types.Var, n)
	for i := range vars {
		name := d.string()
		pos := d.pos()
		vars[i] = types.NewParam(pos, d.pkg, name, d.typ())
	}
	return types.NewTuple(vars...)
}

func (d *decoder) typ() types.Type {
	tag := d.byte()
	switch tag {
	case tagBasic, tagTypeParam, tagAny:
		return d.newType(tag)
	case tagRef:
		i := d.uint()
		if i >= len(d.types) {
			d.fail("type %d", i)
		}
		return d.types[i]
	}
	t := d.newType(tag)
	d.types = append(d.types, t)
	return t
}

// newType reads a type of tag.
func (d *decoder) newType(tag byte) types.Type {
	switch tag {
	case tagBasic:
		kind, name := types.BasicKind(d.uint()), d.string()
		if kind < 0 || int(kind) >= len(types.Typ) {
			d.fail("basic kind %d", kind)
		}
		if t := types.Typ[kind]; t.Name() == name {
			return t
		}
		if obj := types.Universe.Lookup(name); obj != nil {
			return obj.Type() // byte, rune
		}
		d.fail("basic type %s", name)
	case tagNamed:
		p, name := d.pkgRef(), d.string()
		var t types.Type
		switch p {
		case d.pkg:
			o := d.byName[name]
			switch {
			case o == nil || o.kind != objType && o.kind != objAlias:
				d.fail("no type %s", name)
			case o.kind == objAlias && !o.defined:
				d.fail("alias %s read before its definition", name)
			}
			t = o.obj.Type()
		case nil:
			obj, ok := types.Universe.Lookup(name).(*types.TypeName)
			if !ok {
				d.fail("no type %s in the universe", name)
			}
			t = obj.Type()
		default:
			obj, ok := p.Scope().Lookup(name).(*types.TypeName)
			if !ok {
				d.fail("no type %s in %s", name, p.Path())
			}
			t = obj.Type()
		}
		if n := d.count(); n > 0 {
			args := make([]types.Type, n)
			for i := range args {
				args[i] = d.typ()
			}
			inst, err := types.Instantiate(nil, t, args, false)
			if err != nil {
				d.fail("%s: %v", name, err)
			}
			t = inst
		}
		return t
	case tagTypeParam:
		i := d.uint()
		if i >= len(d.tparams) {
			d.fail("type parameter %d", i)
		}
		return d.tparams[i]
	case tagPointer:
		return types.NewPointer(d.typ())
	case tagSlice:
		return types.NewSlice(d.typ())
	case tagArray:
		n := d.int()
		return types.NewArray(d.typ(), n)
	case tagMap:
		k := d.typ()
		return types.NewMap(k, d.typ())
	case tagChan:
		dir := types.ChanDir(d.uint())
		return types.NewChan(dir, d.typ())
	case tagStruct:
		n := d.count()
		fields := make([]*types.Var, n)
		tags := make([]string, n)
		for i := range fields {
			name, p, pos, embedded := d.string(), d.pkgRef(), d.pos(), d.bool()
			tags[i] = d.string()
			fields[i] = types.NewField(pos, p, name, d.typ(), embedded)
		}
		if !slices.ContainsFunc(tags, func(s string) bool { return s != "" }) {
			tags = nil
		}
		return types.NewStruct(fields, tags)
	case tagInterface:
		implicit := d.bool()
		methods := make([]*types.Func, d.count())
		for i := range methods {
			name, p, pos := d.string(), d.pkgRef(), d.pos()
			var recv *types.Var
			if d.bool() {
				recv = types.NewParam(pos, p, "", d.typ())
			}
			methods[i] = types.NewFunc(pos, p, name, d.signature(recv, nil))
		}
		embeddeds := make([]types.Type, d.count())
		for i := range embeddeds {
			embeddeds[i] = d.typ()
		}
		it := types.NewInterfaceType(methods, embeddeds)
		if implicit {
			it.MarkImplicit()
		}
		d.ifaces = append(d.ifaces, it)
		return it
	case tagUnion:
		terms := make([]*types.Term, d.count())
		for i := range terms {
			tilde := d.bool()
			terms[i] = types.NewTerm(tilde, d.typ())
		}
		return types.NewUnion(terms)
	case tagAny:
		return universeAny
	case tagSignature:
		return d.signature(nil, nil)
	case tagTuple:
		return d.tuple()
	default:
		d.fail("type tag %q", tag)
	}
	panic("unreachable")
}

func (d *decoder) value() constant.Value {
	switch kind := constant.Kind(d.byte()); kind {
	case constant.Unknown:
		return constant.MakeUnknown()
	case constant.Bool:
		return constant.MakeBool(d.bool())
	case constant.String:
		return constant.MakeString(d.string())
	case constant.Int:
		v := constant.MakeFromLiteral(d.string(), token.INT, 0)
		if v.Kind() != constant.Int {
			d.fail("integer constant")
		}
		return v
	case constant.Float:
		form, s := d.byte(), d.string()
		switch form {
		case 'r':
			r, ok := new(big.Rat).SetString(s)
			if !ok {
				d.fail("constant %s", s)
			}
			return constant.Make(r)
		case 'f':
			f, _, err := big.ParseFloat(s, 0, 512, big.ToNearestEven)
			if err != nil {
				d.fail("constant %s", s)
			}
			return constant.Make(f)
		}
		d.fail("float form %q", form)
	case constant.Complex:
		re := d.value()
		return constant.BinaryOp(re, token.ADD, constant.MakeImag(d.value()))
	default:
		d.fail("constant kind %d", kind)
	}
	panic("unreachable")
}

var (
	linesMu sync.Mutex
	lines   []int // lines[i] == i, shared: SetLines keeps what it is given, and nothing changes it
)

// lineStarts returns the offsets 0 to n-1.
func lineStarts(n int) []int {
	linesMu.Lock()
	defer linesMu.Unlock()
	if len(lines) < n {
		lines = make([]int, max(n, 2*len(lines), 4096))
		for i := range lines {
			lines[i] = i
		}
	}
	return lines[:n:n]
}
