// Package shop has functions marked for spans.
package shop

import (
	"context"
	"errors"
	"strconv"
)

// Place places an order.
//
//otel:span name="place" attrs=id,qty metric
func Place(ctx context.Context, id string, qty int) (string, error) {
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
func (s *Store) Count() int { return len(s.items) }

// First is generic.
//
//otel:span attrs=xs
func First[T any](xs []T) (first T, err error) {
	if len(xs) == 0 {
		return first, errors.New("empty")
	}
	return xs[0], nil
}

// Load names no context parameter.
//
//otel:span
func Load(_ context.Context) error {
	return nil
}
