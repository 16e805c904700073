// Package cache is the code that otelgen instruments.
package cache

import "fmt"

// Load computes the value of key, slowly.
func Load(key string) (string, error) {
	fmt.Println("load: computing", key)
	return "computed " + key, nil
}
