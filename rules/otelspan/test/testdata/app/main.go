// The app places an order through functions marked //otel:span: checkout
// takes a context, reserve does not (its parent is the goroutine's span),
// and reserve calls the URL it is given over HTTP.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
)

type order struct{ ID string }

func (o order) String() string { return "order " + o.ID }

//otel:span name="checkout" attrs=o,qty metric
func checkout(ctx context.Context, o order, qty int) (string, error) {
	if qty <= 0 {
		return "", errors.New("no quantity")
	}
	if err := reserve(os.Args[1], o.ID); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s x%d", o.ID, qty), nil
}

//otel:span attrs=id
func reserve(url, id string) error {
	resp, err := http.Get(url + "?id=" + id)
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

//otel:span
func first[T any](xs []T) T { return xs[0] }

func main() {
	fmt.Println(checkout(context.Background(), order{"A1"}, 2))
	fmt.Println(checkout(context.Background(), order{"B2"}, 0))
	fmt.Println(first([]string{"x", "y"}))
}
