// Command golden is itself the code that otelgen instruments.
package main

import "fmt"

func handle(req string) {
	fmt.Println("handle", req)
}

func main() {
	handle("/index")
}
