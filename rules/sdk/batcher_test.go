package sdk

import (
	"context"
	"sync"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// batchRecorder is an exporter that records the size of each batch it is
// given and whether it was shut down.
type batchRecorder struct {
	mu       sync.Mutex
	batches  []int
	exported chan int
	shut     bool
}

func newBatchRecorder() *batchRecorder { return &batchRecorder{exported: make(chan int, 100)} }

func (r *batchRecorder) ExportSpans(_ context.Context, spans []sdktrace.ReadOnlySpan) error {
	r.mu.Lock()
	r.batches = append(r.batches, len(spans))
	r.mu.Unlock()
	r.exported <- len(spans)
	return nil
}

func (r *batchRecorder) Shutdown(context.Context) error {
	r.mu.Lock()
	r.shut = true
	r.mu.Unlock()
	return nil
}

func (r *batchRecorder) total() (n int, batches []int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range r.batches {
		n += b
	}
	return n, append([]int(nil), r.batches...)
}

// endSpans ends n spans of a provider whose processor is b, sampled or not.
func endSpans(b *batcher, n int, sampled bool) {
	sampler := sdktrace.AlwaysSample()
	if !sampled {
		sampler = sdktrace.NeverSample()
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sampler), sdktrace.WithSpanProcessor(b))
	tr := tp.Tracer("test")
	for range n {
		_, s := tr.Start(context.Background(), "op")
		s.End()
	}
}

// TestBatcher checks that the batcher exports a batch as soon as one is
// full and not before, nothing unsampled, nothing past the queue's size,
// the rest on ForceFlush, and everything queued on Shutdown, after which it
// drops what ends.
func TestBatcher(t *testing.T) {
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "3600000") // an hour: no export by the timer
	t.Setenv("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "10")
	t.Setenv("OTEL_BSP_MAX_QUEUE_SIZE", "25")
	r := newBatchRecorder()
	b := newBatcher(r)
	if b.maxBatch != 10 || b.maxQueue != 25 || b.delay != time.Hour || b.timeout != defaultExportTimeout {
		t.Fatalf("settings %d, %d, %v, %v; want 10, 25, 1h, 30s", b.maxBatch, b.maxQueue, b.delay, b.timeout)
	}

	endSpans(b, 9, true)
	endSpans(b, 5, false)
	select {
	case n := <-r.exported:
		t.Fatalf("a batch of %d exported before one was full", n)
	case <-time.After(50 * time.Millisecond):
	}
	endSpans(b, 1, true)
	select {
	case n := <-r.exported:
		if n != 10 {
			t.Errorf("first batch of %d spans, want 10", n)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a full batch was not exported")
	}

	// With the exporter held, the goroutine takes at most one more batch
	// and the queue holds at most 25: of 44 spans, some are dropped.
	r.mu.Lock()
	endSpans(b, 44, true)
	r.mu.Unlock()
	if err := b.ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}
	n, batches := r.total()
	if n < 10+25 || n >= 10+44 {
		t.Errorf("%d spans exported (batches %v), want 35 or more, and fewer than the 54 ended", n, batches)
	}
	for _, size := range batches {
		if size > 10 {
			t.Errorf("a batch of %d spans, more than OTEL_BSP_MAX_EXPORT_BATCH_SIZE", size)
		}
	}

	endSpans(b, 3, true)
	if err := b.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	after, _ := r.total()
	if after != n+3 || !r.shut {
		t.Errorf("Shutdown exported %d of the 3 queued spans, exporter shut down: %t", after-n, r.shut)
	}
	endSpans(b, 2, true)
	if again, _ := r.total(); again != after {
		t.Errorf("%d spans exported after Shutdown", again-after)
	}
	if err := b.ForceFlush(context.Background()); err != nil {
		t.Errorf("ForceFlush after Shutdown: %v", err)
	}
}

// TestBatcherDelay checks the export when the schedule delay has passed,
// with fewer spans than a batch.
func TestBatcherDelay(t *testing.T) {
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "20")
	r := newBatchRecorder()
	b := newBatcher(r)
	defer b.Shutdown(context.Background())
	endSpans(b, 3, true)
	select {
	case n := <-r.exported:
		if n != 3 {
			t.Errorf("a batch of %d spans, want 3", n)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("nothing exported after the schedule delay")
	}
}

// TestBatcherSettings checks the defaults, a batch larger than the queue,
// and a value that is not a positive integer.
func TestBatcherSettings(t *testing.T) {
	for _, c := range []struct {
		env             map[string]string
		batch, queue    int
		delay, deadline time.Duration
	}{
		{nil, 512, 2048, 5 * time.Second, 30 * time.Second},
		{map[string]string{"OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "4096"}, 2048, 2048, 5 * time.Second, 30 * time.Second},
		{map[string]string{"OTEL_BSP_MAX_QUEUE_SIZE": "-1", "OTEL_BSP_SCHEDULE_DELAY": "soon", "OTEL_BSP_EXPORT_TIMEOUT": "100"},
			512, 2048, 5 * time.Second, 100 * time.Millisecond},
	} {
		for k, v := range c.env {
			t.Setenv(k, v)
		}
		b := newBatcher(newBatchRecorder())
		if b.maxBatch != c.batch || b.maxQueue != c.queue || b.delay != c.delay || b.timeout != c.deadline {
			t.Errorf("%v: %d, %d, %v, %v; want %d, %d, %v, %v", c.env, b.maxBatch, b.maxQueue, b.delay, b.timeout,
				c.batch, c.queue, c.delay, c.deadline)
		}
		b.Shutdown(context.Background())
		for k := range c.env {
			t.Setenv(k, "")
		}
	}
}
