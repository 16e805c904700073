// Command golden calls the functions with directives.
package main

import (
	"context"
	"fmt"

	"example.com/golden/shop"
)

func main() {
	fmt.Println(shop.Place(context.Background(), "book", 2))
	fmt.Println(shop.Place(context.Background(), "book", 0))
	fmt.Println(new(shop.Store).Count())
	fmt.Println(shop.First([]string{"a", "b"}))
	fmt.Println(shop.First([]int(nil)))
	fmt.Println(shop.Load(context.Background()))
}
