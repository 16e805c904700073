// Package work is the code that otelgen instruments.
package work

import "fmt"

// Run does the job.
func Run(job string) {
	fmt.Println("run", job)
}
