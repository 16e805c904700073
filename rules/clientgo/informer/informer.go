// Package informer holds the hooks of the client-go informer rules
// (k8s.io/client-go/tools/cache): every call of an event handler of the
// program's, OnAdd, OnUpdate or OnDelete, runs inside an INTERNAL span,
// "informer {event} {Kind}" ("informer add ConfigMap"), current on the
// handler's goroutine, so that the API calls the handler makes, even with
// context.TODO(), are its children.
//
// A shared informer (SharedInformerFactory, NewSharedIndexInformer) calls
// each handler from a goroutine of its own, a processorListener that
// AddEventHandler makes with newProcessListener: the hook wraps the
// listener's handler once made, so that client-go still names the handler
// after the program's own type. A plain informer (NewInformerWithOptions
// and its elders) calls its one handler from processDeltas: the hook wraps
// it there, but for the shared informer's own dispatch, which calls no
// handler of the program's.
//
// The event spans are roots: an event comes from the API server's watch,
// not from the code that started the informer. Their attributes are
// k8s.namespace.name, from the semantic conventions' registry, and these of
// otelgen's, which the conventions do not define: k8s.informer.event
// ("add", "update", "delete"), k8s.informer.initial_list (on an add of the
// informer's first list), k8s.api.kind, k8s.api.group and k8s.api.version
// where the object says them, k8s.api.name (the object's name) and
// k8s.api.resource_version.
//
// This package is apart from the round tripper's, so that a program that
// makes no informer links no part of tools/cache through otelgen.
package informer

import (
	"context"
	"reflect"
	"unsafe"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/tools/cache"
	"k8s.io/klog/v2"
)

// ScopeName is the instrumentation scope of the spans.
const ScopeName = "github.com/otelgen/otelgen/rules/clientgo/informer"

// The attributes of an event span that the semantic conventions do not
// define. k8s.api.name and k8s.api.group, k8s.api.version are those of the
// client's request spans (rules/clientgo).
const (
	EventKey           = attribute.Key("k8s.informer.event")
	InitialListKey     = attribute.Key("k8s.informer.initial_list")
	KindKey            = attribute.Key("k8s.api.kind")
	GroupKey           = attribute.Key("k8s.api.group")
	VersionKey         = attribute.Key("k8s.api.version")
	NameKey            = attribute.Key("k8s.api.name")
	ResourceVersionKey = attribute.Key("k8s.api.resource_version")
)

// tracers follows the global tracer provider.
var tracers = sdk.NewTracer(ScopeName)

func tracer() trace.Tracer { return tracers.Get() }

// ListenerAfter wraps the handler of the processorListener that
// newProcessListener made (l holds a **processorListener): its field
// handler, found by name; a listener without one is left alone.
func ListenerAfter(c *hook.Call, l any) {
	if sdk.Disabled() {
		return
	}
	v := reflect.ValueOf(l)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct || !v.CanAddr() {
		return
	}
	f := v.FieldByName("handler")
	if !f.IsValid() || f.Type() != reflect.TypeFor[cache.ResourceEventHandler]() {
		return
	}
	p := (*cache.ResourceEventHandler)(unsafe.Pointer(f.UnsafeAddr()))
	*p = wrap(*p)
}

// ProcessDeltasBefore wraps the handler of a plain informer, to which
// processDeltas and processDeltasInBatch hand the informer's events. A
// shared informer's dispatch is itself the handler there: its listeners'
// handlers are wrapped already.
func ProcessDeltasBefore(c *hook.Call, _ *klog.Logger, handler *cache.ResourceEventHandler, _ *cache.Store, _ *cache.Deltas, _ *bool, _ *cache.KeyFunc) {
	if sdk.Disabled() {
		return
	}
	if _, shared := (*handler).(cache.SharedInformer); shared {
		return
	}
	*handler = wrap(*handler)
}

// ProcessDeltasInBatchBefore is ProcessDeltasBefore for the batches of
// processDeltasInBatch.
func ProcessDeltasInBatchBefore(c *hook.Call, logger *klog.Logger, handler *cache.ResourceEventHandler, store *cache.Store, deltas *[]cache.Delta, initial *bool, keyFunc *cache.KeyFunc) {
	ProcessDeltasBefore(c, logger, handler, store, nil, initial, keyFunc)
}

func wrap(h cache.ResourceEventHandler) cache.ResourceEventHandler {
	switch h.(type) {
	case nil, *handler:
		return h
	}
	return &handler{next: h}
}

// handler traces each call of the program's handler next.
type handler struct {
	next cache.ResourceEventHandler
}

func (h *handler) OnAdd(obj any, isInInitialList bool) {
	ev := start("add", obj, attribute.Bool(string(InitialListKey), isInInitialList))
	defer ev.end()
	h.next.OnAdd(obj, isInInitialList)
	ev.returned = true
}

func (h *handler) OnUpdate(oldObj, newObj any) {
	ev := start("update", newObj)
	defer ev.end()
	h.next.OnUpdate(oldObj, newObj)
	ev.returned = true
}

func (h *handler) OnDelete(obj any) {
	o := obj
	// A delete the informer inferred (its watch missed it) comes as a
	// tombstone: the object is inside. The program's handler gets the
	// tombstone, as without otelgen.
	if t, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		o = t.Obj
	}
	ev := start("delete", o)
	defer ev.end()
	h.next.OnDelete(obj)
	ev.returned = true
}

// event is one call of the program's handler.
type event struct {
	span     trace.Span
	saved    gls.Token
	returned bool
}

// start starts the span of an event and makes it current on the
// goroutine. Should it panic, the handler runs untraced.
func start(kind string, obj any, extra ...attribute.KeyValue) (ev *event) {
	ev = &event{}
	if sdk.Disabled() {
		return ev
	}
	defer func() {
		if recover() != nil {
			ev = &event{}
		}
	}()
	attrs := make([]attribute.KeyValue, 0, 10)
	attrs = append(attrs, EventKey.String(kind))
	attrs = append(attrs, extra...)
	group, version, k := kindOf(obj)
	name := "informer " + kind
	if k != "" {
		name += " " + k
		attrs = append(attrs, KindKey.String(k))
	}
	if version != "" {
		attrs = append(attrs, VersionKey.String(version))
	}
	if group != "" {
		attrs = append(attrs, GroupKey.String(group))
	}
	if m, ok := obj.(metaObject); ok {
		if ns := m.GetNamespace(); ns != "" {
			attrs = append(attrs, semconv.K8SNamespaceName(ns))
		}
		if n := m.GetName(); n != "" {
			attrs = append(attrs, NameKey.String(n))
		}
		if rv := m.GetResourceVersion(); rv != "" {
			attrs = append(attrs, ResourceVersionKey.String(rv))
		}
	}
	saved := gls.Save()
	ctx, span := tracer().Start(context.Background(), name,
		trace.WithNewRoot(),
		trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithAttributes(attrs...))
	gls.Push(ctx)
	ev.span, ev.saved = span, saved
	return ev
}

// end ends the span; a handler that did not return panicked.
func (ev *event) end() {
	if ev.span == nil {
		return
	}
	defer gls.Restore(ev.saved)
	defer func() { _ = recover() }()
	if !ev.returned {
		ev.span.SetAttributes(semconv.ErrorTypeKey.String("panic"))
		ev.span.SetStatus(codes.Error, "the event handler panicked")
	}
	ev.span.End()
}

// metaObject is what the informer's objects have of metav1.Object.
type metaObject interface {
	GetName() string
	GetNamespace() string
	GetResourceVersion() string
}

// kindOf is the object's kind, with its group and version when the object
// carries them (unstructured objects, of dynamic informers, always do); a
// typed object, whose kind the decoder clears, is named by its Go type
// (*v1.ConfigMap: ConfigMap).
func kindOf(obj any) (group, version, kind string) {
	if o, ok := obj.(interface{ GetObjectKind() schema.ObjectKind }); ok {
		if k := o.GetObjectKind(); k != nil {
			if gvk := k.GroupVersionKind(); gvk.Kind != "" {
				return gvk.Group, gvk.Version, gvk.Kind
			}
		}
	}
	t := reflect.TypeOf(obj)
	if t == nil {
		return "", "", ""
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return "", "", t.Name()
}
