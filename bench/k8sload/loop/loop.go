// Package loop is the measured loop of bench/clientgo.sh: a Get of one
// configmap through client-go's typed core/v1 client, again and again, on
// one client.
package loop

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"syscall"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	corev1 "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/rest"
)

// The configmap that bench/k8sload/cmd/apiserver serves.
const (
	namespace = "bench"
	name      = "settings"
)

// Run parses the flags, makes a core/v1 client of the API server at
// $K8S_HOST from a rest.Config made by hand (no rate limit: QPS -1) and
// given to wrap (the caller's WrapTransport, for one), runs -warmup then
// -n Gets of the configmap with context.Background() (each request a root
// span for a tracer), and prints "ns/op N cpu_ns/op M": the wall time per
// call, and the CPU time (user + system, every thread of the process: the
// exporter's too) per call, which a loaded machine disturbs less. With
// -cpuprofile it writes a CPU profile of the measured calls.
func Run(wrap func(*rest.Config)) {
	n := flag.Int("n", 20000, "measured Gets")
	warm := flag.Int("warmup", 2000, "Gets before measuring")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the measured Gets to this file")
	flag.Parse()
	cfg := &rest.Config{Host: os.Getenv("K8S_HOST"), QPS: -1}
	if wrap != nil {
		wrap(cfg)
	}
	cs, err := corev1.NewForConfig(cfg)
	check("client", err)
	cms := cs.ConfigMaps(namespace)
	ctx := context.Background()
	get := func() {
		cm, err := cms.Get(ctx, name, metav1.GetOptions{})
		check("Get", err)
		if cm.Data["mode"] != "bench" {
			check("Get", fmt.Errorf("configmap data %v", cm.Data))
		}
	}
	for i := 0; i < *warm; i++ {
		get()
	}
	if *prof != "" {
		f, err := os.Create(*prof)
		check("cpuprofile", err)
		check("cpuprofile", pprof.StartCPUProfile(f))
		defer f.Close()
	}
	cpu0 := cpuTime()
	start := time.Now()
	for i := 0; i < *n; i++ {
		get()
	}
	wall := time.Since(start)
	cpu := cpuTime() - cpu0
	pprof.StopCPUProfile()
	fmt.Printf("ns/op %d cpu_ns/op %d\n", wall.Nanoseconds()/int64(*n), cpu.Nanoseconds()/int64(*n))
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func check(what string, err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, what+":", err)
		os.Exit(1)
	}
}
