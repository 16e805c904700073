package sdk

import (
	"sync"
	"testing"

	"go.opentelemetry.io/otel/attribute"
)

func TestAttrSets(t *testing.T) {
	c := NewAttrSets[int](2)
	if _, ok := c.Lookup(1); ok {
		t.Fatal("an empty AttrSets found a set")
	}
	a := c.Add(1, []attribute.KeyValue{attribute.String("b", "2"), attribute.String("a", "1")})
	if want := attribute.NewSet(attribute.String("a", "1"), attribute.String("b", "2")); !a.Equals(&want) {
		t.Errorf("Add made %v, want %v", a.Encoded(attribute.DefaultEncoder()), want.Encoded(attribute.DefaultEncoder()))
	}
	if s, ok := c.Lookup(1); !ok || !s.Equals(&a) {
		t.Errorf("Lookup(1) = %v, %v; want the set added", s, ok)
	}
	c.Add(2, []attribute.KeyValue{attribute.Int("n", 2)})
	// Full: a third key is made but not kept.
	s3 := c.Add(3, []attribute.KeyValue{attribute.Int("n", 3)})
	if v, _ := s3.Value("n"); v.AsInt64() != 3 {
		t.Errorf("Add(3) made %v", s3)
	}
	if _, ok := c.Lookup(3); ok {
		t.Error("a third key was kept past max 2")
	}
	if s, ok := c.Lookup(2); !ok || s.Len() != 1 {
		t.Errorf("Lookup(2) = %v, %v", s, ok)
	}
}

// TestAttrSetsConcurrent adds and looks up from several goroutines (run
// with -race).
func TestAttrSetsConcurrent(t *testing.T) {
	c := NewAttrSets[int](64)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 100 {
				k := (g*7 + i) % 80
				if s, ok := c.Lookup(k); ok {
					if v, _ := s.Value("k"); v.AsInt64() != int64(k) {
						t.Errorf("Lookup(%d) holds k=%d", k, v.AsInt64())
					}
					continue
				}
				c.Add(k, []attribute.KeyValue{attribute.Int("k", k)})
			}
		})
	}
	wg.Wait()
	if m := c.m.Load(); m == nil || len(*m) != 64 {
		t.Errorf("kept %d sets, want 64", lenOf(m))
	}
}

func BenchmarkAttrSets(b *testing.B) {
	type key struct {
		method, scheme, proto, host string
		port, status                int
		errType, route              string
	}
	kvs := []attribute.KeyValue{
		attribute.String("network.protocol.version", "1.1"),
		attribute.String("server.address", "127.0.0.1"),
		attribute.Int("server.port", 8080),
		attribute.Int("http.response.status_code", 200),
		attribute.String("http.route", "/hello/{name}"),
		attribute.String("http.request.method", "GET"),
		attribute.String("url.scheme", "http"),
	}
	b.Run("NewSet", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			kv := make([]attribute.KeyValue, len(kvs))
			copy(kv, kvs)
			_ = attribute.NewSet(kv...)
		}
	})
	b.Run("Lookup", func(b *testing.B) {
		c := NewAttrSets[key](256)
		k := key{"GET", "http", "1.1", "127.0.0.1", 8080, 200, "", "/hello/{name}"}
		c.Add(k, kvs)
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := c.Lookup(k); !ok {
				b.Fatal("miss")
			}
		}
	})
}
