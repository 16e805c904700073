// Command k8s builds a Kubernetes clientset (k8s.io/client-go) for an API
// server that does not exist, makes no request, and prints ok.
package main

import (
	"fmt"
	"os"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

func main() {
	cs, err := kubernetes.NewForConfig(&rest.Config{Host: "http://127.0.0.1:1"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if cs.CoreV1().RESTClient() == nil {
		fmt.Fprintln(os.Stderr, "no REST client")
		os.Exit(1)
	}
	fmt.Println("ok")
}
