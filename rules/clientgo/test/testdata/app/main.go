// The test program of the client-go integration: it runs, against the
// Kubernetes API server whose address the test gives in KUBE_HOST (plain
// HTTP on loopback) and whose kubeconfig it gives in KUBECONFIG, each kind
// of call the test checks, every group inside a span of its own (started
// with the OpenTelemetry API, as a program does), and prints "done".
package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
)

var tracer = otel.Tracer("app")

func main() {
	// A client from a kubeconfig, as kubectl-like programs make them.
	kcfg, err := clientcmd.BuildConfigFromFlags("", os.Getenv("KUBECONFIG"))
	must(err)
	// JSON, which the test's API server speaks; clientsets default to
	// protobuf.
	kcfg.ContentType = "application/json"
	cs := kubernetes.NewForConfigOrDie(kcfg)

	group("kubeconfig", func(ctx context.Context) {
		cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "app-cm"}, Data: map[string]string{"k": "v"}}
		_, err := cs.CoreV1().ConfigMaps("app-ns").Create(ctx, cm, metav1.CreateOptions{})
		must(err)
		_, err = cs.CoreV1().ConfigMaps("app-ns").Get(ctx, "app-cm", metav1.GetOptions{})
		must(err)
		_, err = cs.CoreV1().ConfigMaps("app-ns").List(ctx, metav1.ListOptions{})
		must(err)
		// An object that is not there: the call fails with 404.
		_, err = cs.CoreV1().ConfigMaps("app-ns").Get(ctx, "no-such-cm", metav1.GetOptions{})
		if !apierrors.IsNotFound(err) {
			fail("get no-such-cm: %v", err)
		}
		must(cs.CoreV1().ConfigMaps("app-ns").Delete(ctx, "app-cm", metav1.DeleteOptions{}))
	})

	// A rest.Config made by hand, with a wrapper of the program's own,
	// which must still see every request.
	var wrapped atomic.Int32
	hand := &rest.Config{Host: os.Getenv("KUBE_HOST"), BearerToken: os.Getenv("KUBE_TOKEN")}
	hand.ContentType = "application/json"
	hand.Wrap(func(rt http.RoundTripper) http.RoundTripper {
		return roundTripperFunc(func(r *http.Request) (*http.Response, error) {
			wrapped.Add(1)
			return rt.RoundTrip(r)
		})
	})
	hs := kubernetes.NewForConfigOrDie(hand)
	group("by-hand", func(ctx context.Context) {
		_, err := hs.CoreV1().Namespaces().Get(ctx, "app-ns", metav1.GetOptions{})
		must(err)
	})
	if wrapped.Load() != 1 {
		fail("the program's wrapper saw %d requests, want 1", wrapped.Load())
	}

	// context.TODO() inside a span current on the goroutine.
	_, span := tracer.Start(context.Background(), "without-context")
	_, err = hs.CoreV1().Namespaces().List(context.TODO(), metav1.ListOptions{})
	must(err)
	span.End()

	// An API server that is not there.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	gone := "http://" + ln.Addr().String()
	ln.Close()
	ds := kubernetes.NewForConfigOrDie(&rest.Config{Host: gone})
	group("down", func(ctx context.Context) {
		if _, err := ds.CoreV1().Pods("app-ns").Get(ctx, "p", metav1.GetOptions{}); err == nil {
			fail("get on %s did not fail", gone)
		}
	})

	informer(cs)
	plainInformer(cs)

	// A call from a handler of an instrumented net/http server.
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := cs.CoreV1().Namespaces().Get(r.Context(), "app-ns", metav1.GetOptions{}); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})}
	hl, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	go srv.Serve(hl)
	resp, err := http.Get("http://" + hl.Addr().String() + "/lookup")
	must(err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		fail("GET /lookup: %s", resp.Status)
	}
	srv.Close()

	fmt.Println("done")
}

// informer runs a shared informer on the configmaps of informer-ns, as a
// controller does, through a factory: one configmap is there before it
// starts (an add of its first list), then one is created, updated and
// deleted. The handler looks the namespace up with context.TODO() on each
// event, as handlers often do.
func informer(cs *kubernetes.Clientset) {
	ctx := context.Background()
	cms := cs.CoreV1().ConfigMaps("informer-ns")
	_, err := cms.Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "cm-before"}}, metav1.CreateOptions{})
	must(err)

	events := make(chan string, 16)
	lookup := func() {
		if _, err := cs.CoreV1().Namespaces().Get(context.TODO(), "app-ns", metav1.GetOptions{}); err != nil {
			fail("the handler's get: %v", err)
		}
	}
	factory := informers.NewSharedInformerFactoryWithOptions(cs, 0, informers.WithNamespace("informer-ns"))
	inf := factory.Core().V1().ConfigMaps().Informer()
	_, err = inf.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) {
			lookup()
			events <- "add " + obj.(*corev1.ConfigMap).Name
		},
		UpdateFunc: func(_, obj any) {
			lookup()
			events <- "update " + obj.(*corev1.ConfigMap).Name
		},
		DeleteFunc: func(obj any) {
			lookup()
			events <- "delete " + obj.(*corev1.ConfigMap).Name
		},
	})
	must(err)
	stop := make(chan struct{})
	factory.Start(stop)
	if !cache.WaitForCacheSync(stop, inf.HasSynced) {
		fail("the informer did not sync")
	}
	expect(events, "add cm-before")
	cm, err := cms.Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "cm-after"}, Data: map[string]string{"k": "1"}}, metav1.CreateOptions{})
	must(err)
	expect(events, "add cm-after")
	cm.Data["k"] = "2"
	_, err = cms.Update(ctx, cm, metav1.UpdateOptions{})
	must(err)
	expect(events, "update cm-after")
	must(cms.Delete(ctx, "cm-after", metav1.DeleteOptions{}))
	expect(events, "delete cm-after")
	close(stop)
	factory.Shutdown()
}

// plainInformer runs an informer of the older kind, no shared one, on
// plain-ns: its one handler sees the add of a configmap created once it
// has synced.
func plainInformer(cs *kubernetes.Clientset) {
	events := make(chan string, 4)
	lw := cache.NewListWatchFromClient(cs.CoreV1().RESTClient(), "configmaps", "plain-ns", fields.Everything())
	_, ctrl := cache.NewInformerWithOptions(cache.InformerOptions{
		ListerWatcher: lw,
		ObjectType:    &corev1.ConfigMap{},
		Handler: cache.ResourceEventHandlerFuncs{AddFunc: func(obj any) {
			events <- "add " + obj.(*corev1.ConfigMap).Name
		}},
	})
	stop := make(chan struct{})
	go ctrl.Run(stop)
	if !cache.WaitForCacheSync(stop, ctrl.HasSynced) {
		fail("the plain informer did not sync")
	}
	_, err := cs.CoreV1().ConfigMaps("plain-ns").Create(context.Background(),
		&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "cm-plain"}}, metav1.CreateOptions{})
	must(err)
	expect(events, "add cm-plain")
	close(stop)
}

func expect(events <-chan string, want string) {
	select {
	case got := <-events:
		if got != want {
			fail("informer event %q, want %q", got, want)
		}
	case <-time.After(20 * time.Second):
		fail("no informer event %q in 20s", want)
	}
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func group(name string, f func(ctx context.Context)) {
	ctx, span := tracer.Start(context.Background(), name)
	f(ctx)
	span.End()
}

func must(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}
