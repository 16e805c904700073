// Package shop has functions marked for spans.
package shop; import otelgen_otelspan "github.com/otelgen/otelgen/rules/otelspan"

import (
	"context"
	"errors"
	"strconv"
)

// Place places an order.
//
//otel:span name="place" attrs=id,qty metric
func Place(ctx context.Context, id string, qty int) (otelgen_r0 string, otelgen_r1 error) { var otelgen_span otelgen_otelspan.Active; if otelgen_span_Place.On() { ctx, otelgen_span = otelgen_span_Place.Start(ctx, id, qty) }; defer otelgen_span.End(&otelgen_r1);
	if qty <= 0 {
		return "", errors.New("no quantity")
	}
	return id + "x" + strconv.Itoa(qty), nil
}

// Store counts what it holds.
type Store struct{ items []string }

// Count has no context and no error: its span's parent is the goroutine's.
//
//otel:span
func (s *Store) Count() int { var otelgen_span otelgen_otelspan.Active; if otelgen_span_Store_Count.On() { otelgen_span = otelgen_span_Store_Count.Begin() }; defer otelgen_span.End(nil); return len(s.items) }

// First is generic.
//
//otel:span attrs=xs
func First[T any](xs []T) (first T, err error) { var otelgen_span otelgen_otelspan.Active; if otelgen_span_First.On() { otelgen_span = otelgen_span_First.Begin(xs) }; defer otelgen_span.End(&err);
	if len(xs) == 0 {
		return first, errors.New("empty")
	}
	return xs[0], nil
}

// Load names no context parameter.
//
//otel:span
func Load(otelgen_p0 context.Context) (otelgen_r0 error) { var otelgen_span otelgen_otelspan.Active; if otelgen_span_Load.On() { otelgen_p0, otelgen_span = otelgen_span_Load.Start(otelgen_p0) }; defer otelgen_span.End(&otelgen_r0);
	return nil
}

var otelgen_span_Store_Count = otelgen_otelspan.New("shop.Store.Count", "example.com/golden/shop.(*Store).Count", nil, false)
var otelgen_span_First = otelgen_otelspan.New("shop.First", "example.com/golden/shop.First", []string{"xs"}, false)
var otelgen_span_Load = otelgen_otelspan.New("shop.Load", "example.com/golden/shop.Load", nil, false)
var otelgen_span_Place = otelgen_otelspan.New("place", "example.com/golden/shop.Place", []string{"id", "qty"}, true)
