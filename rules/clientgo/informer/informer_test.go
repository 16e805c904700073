package informer

import (
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/tools/cache"
)

// listener has the field of client-go's processorListener that the hook
// looks for.
type listener struct {
	handlerName string
	handler     cache.ResourceEventHandler
}

func record(t *testing.T) *tracetest.SpanRecorder {
	rec := tracetest.NewSpanRecorder()
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)))
	t.Cleanup(func() { otel.SetTracerProvider(trace.NewNoopTracerProvider()) })
	return rec
}

func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

func TestListener(t *testing.T) {
	rec := record(t)
	var calls []string
	funcs := cache.ResourceEventHandlerFuncs{
		AddFunc:    func(any) { calls = append(calls, "add") },
		UpdateFunc: func(_, _ any) { calls = append(calls, "update") },
		DeleteFunc: func(obj any) {
			if _, ok := obj.(cache.DeletedFinalStateUnknown); !ok {
				t.Errorf("the handler got %T, want the tombstone", obj)
			}
			calls = append(calls, "delete")
		},
	}
	l := &listener{handlerName: "app", handler: funcs}
	ListenerAfter(nil, &l)
	ListenerAfter(nil, &l) // once only
	h, ok := l.handler.(*handler)
	if !ok {
		t.Fatalf("handler %T, want otelgen's", l.handler)
	}
	if _, ok := h.next.(cache.ResourceEventHandlerFuncs); !ok {
		t.Fatalf("wrapped %T, want the program's", h.next)
	}

	cm := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": "cm", "namespace": "ns1", "resourceVersion": "7"}}}
	deploy := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{"name": "web", "namespace": "ns1"}}}
	typed := &metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "ns2"}}
	l.handler.OnAdd(cm, true)
	l.handler.OnUpdate(deploy, deploy)
	l.handler.OnDelete(cache.DeletedFinalStateUnknown{Key: "ns2/p", Obj: typed})
	if len(calls) != 3 {
		t.Fatalf("the program's handler ran %v", calls)
	}

	spans := rec.Ended()
	if len(spans) != 3 {
		t.Fatalf("%d spans, want 3", len(spans))
	}
	want := []struct {
		name  string
		attrs map[attribute.Key]string
	}{
		{"informer add ConfigMap", map[attribute.Key]string{EventKey: "add", KindKey: "ConfigMap", VersionKey: "v1", NameKey: "cm", "k8s.namespace.name": "ns1", ResourceVersionKey: "7"}},
		{"informer update Deployment", map[attribute.Key]string{EventKey: "update", KindKey: "Deployment", GroupKey: "apps", VersionKey: "v1", NameKey: "web"}},
		{"informer delete PartialObjectMetadata", map[attribute.Key]string{EventKey: "delete", NameKey: "p", "k8s.namespace.name": "ns2"}},
	}
	for i, w := range want {
		s := spans[i]
		if s.Name() != w.name || s.SpanKind() != trace.SpanKindInternal || s.Parent().IsValid() {
			t.Errorf("span %d: %q %v parent %v, want %q, a root INTERNAL span", i, s.Name(), s.SpanKind(), s.Parent().SpanID(), w.name)
		}
		got := attrs(s)
		for k, v := range w.attrs {
			if got[k].AsString() != v {
				t.Errorf("%s: %s = %q, want %q", w.name, k, got[k].Emit(), v)
			}
		}
	}
	if v, ok := attrs(spans[0])[InitialListKey]; !ok || !v.AsBool() {
		t.Errorf("the add of the first list has no %s=true", InitialListKey)
	}
}

func TestHandlerPanics(t *testing.T) {
	rec := record(t)
	h := wrap(cache.ResourceEventHandlerFuncs{AddFunc: func(any) { panic("boom") }})
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the handler's panic did not reach client-go")
			}
		}()
		h.OnAdd(&metav1.PartialObjectMetadata{}, false)
	}()
	spans := rec.Ended()
	if len(spans) != 1 || spans[0].Status().Code != codes.Error || attrs(spans[0])["error.type"].AsString() != "panic" {
		t.Fatalf("spans %v, want one with an error status and error.type panic", spans)
	}
}

func TestProcessDeltas(t *testing.T) {
	record(t)
	var h cache.ResourceEventHandler = cache.ResourceEventHandlerFuncs{}
	ProcessDeltasBefore(nil, nil, &h, nil, nil, nil, nil)
	if _, ok := h.(*handler); !ok {
		t.Fatalf("a plain informer's handler is %T, want otelgen's", h)
	}
	ProcessDeltasInBatchBefore(nil, nil, &h, nil, nil, nil, nil)
	if _, ok := h.(*handler).next.(cache.ResourceEventHandlerFuncs); !ok {
		t.Fatalf("wrapped twice: %T", h.(*handler).next)
	}
	// A shared informer's dispatch is left alone: its listeners' handlers
	// are wrapped.
	var shared cache.ResourceEventHandler = cache.NewSharedIndexInformer(nil, &metav1.PartialObjectMetadata{}, 0, cache.Indexers{}).(cache.ResourceEventHandler)
	before := shared
	ProcessDeltasBefore(nil, nil, &shared, nil, nil, nil, nil)
	if shared != before {
		t.Errorf("a shared informer became %T", shared)
	}
}
