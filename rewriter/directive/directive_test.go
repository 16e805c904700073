package directive

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

var pkg = &packages.Package{PkgPath: "example.com/shop", Name: "shop"}

// TestRules checks the rule each form of the directive makes.
func TestRules(t *testing.T) {
	for _, c := range []struct {
		name, src, want string
	}{
		{"bare", "//otel:span\nfunc F() {}", `otel-span/example.com/shop.F span "shop.F" attrs=[] metric=false`},
		{"named", "//otel:span name=\"checkout now\" attrs=a,b metric\nfunc F(a string, b int) {}", `otel-span/example.com/shop.F span "checkout now" attrs=[a b] metric=true`},
		{"bare word name", "//otel:span name=checkout\nfunc F() {}", `otel-span/example.com/shop.F span "checkout" attrs=[] metric=false`},
		{"method", "// Count counts.\n//\n//otel:span\nfunc (s *Store) Count() int { return 0 }", `otel-span/example.com/shop.(*Store).Count span "shop.Store.Count" attrs=[] metric=false`},
		{"generic method", "//otel:span\nfunc (l List[T]) Len() int { return 0 }", `otel-span/example.com/shop.List.Len span "shop.List.Len" attrs=[] metric=false`},
		{"not a directive", "//otel:spanner\nfunc F() {}", ``},
	} {
		t.Run(c.name, func(t *testing.T) {
			rs, err := inFile(pkg, "shop.go", []byte("package shop\n\n"+c.src+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rs {
				attrs := "[" + strings.Join(r.SpanAttrs, " ") + "]"
				got = append(got, r.ID+" "+string(r.Kind)+" "+quote(r.SpanName)+" attrs="+attrs+" metric="+map[bool]string{true: "true", false: "false"}[r.SpanMetric])
			}
			if g := strings.Join(got, "\n"); g != c.want {
				t.Errorf("got  %s\nwant %s", g, c.want)
			}
		})
	}
}

func quote(s string) string { return `"` + s + `"` }

// TestErrors checks that each mistake names the file and line of the
// directive and says what is wrong.
func TestErrors(t *testing.T) {
	for _, c := range []struct {
		name, src, want string
	}{
		{"not on a function", "//otel:span\nvar x int", `shop.go:3:1: field "//otel:span": a directive must be in the doc comment of a function or method`},
		{"unknown argument", "//otel:span kind=server\nfunc F() {}", `shop.go:3:1: rule "otel-span/example.com/shop.F": field "//otel:span": unknown argument "kind" (known: name, attrs, metric)`},
		{"empty name", "//otel:span name=\nfunc F() {}", `name needs a value`},
		{"unterminated quote", "//otel:span name=\"checkout\nfunc F() {}", `name: the quoted value does not end`},
		{"metric with a value", "//otel:span metric=yes\nfunc F() {}", `metric takes no value`},
		{"twice", "//otel:span metric metric\nfunc F() {}", `metric given twice`},
		{"no such parameter", "//otel:span attrs=id\nfunc F(ctx context.Context, orderID string) {}", `attrs: id is not a parameter of F (its parameters: ctx, orderID)`},
		{"no parameters", "//otel:span attrs=id\nfunc F() {}", `attrs: id is not a parameter of F (it has no named parameters)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := inFile(pkg, "shop.go", []byte("package shop\n\n"+c.src+"\n"))
			if err == nil {
				t.Fatalf("no error; want %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, c.want)
			}
		})
	}
}
