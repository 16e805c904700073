// Package loop is the measured loop of bench/clientgo.sh: a Get of one
// configmap through client-go's typed core/v1 client, again and again, on
// one client.
package loop

import (
	"context"
	"fmt"
	"os"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	corev1 "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/rest"

	"example.com/loadkit"
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
	cfg := &rest.Config{Host: os.Getenv("K8S_HOST"), QPS: -1}
	if wrap != nil {
		wrap(cfg)
	}
	cs, err := corev1.NewForConfig(cfg)
	loadkit.Check("client", err)
	cms := cs.ConfigMaps(namespace)
	ctx := context.Background()
	get := func() {
		cm, err := cms.Get(ctx, name, metav1.GetOptions{})
		loadkit.Check("Get", err)
		if cm.Data["mode"] != "bench" {
			loadkit.Check("Get", fmt.Errorf("configmap data %v", cm.Data))
		}
	}
	loadkit.Measure(get)
}
