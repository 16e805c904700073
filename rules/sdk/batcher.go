package sdk

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// batcher is the span processor of the exporters Start sets up. It batches
// as the SDK's batch span processor does, with the same settings
// (OTEL_BSP_SCHEDULE_DELAY, OTEL_BSP_EXPORT_TIMEOUT, OTEL_BSP_MAX_QUEUE_SIZE,
// OTEL_BSP_MAX_EXPORT_BATCH_SIZE, and their defaults), but a span that ends
// is only appended to the queue under a lock: the goroutine that exports
// wakes when a batch is full, when the delay has passed, or on a flush. The
// SDK's processor hands each span to that goroutine over a channel, which
// wakes it, a thread and a futex call, at every span: about a tenth of the
// CPU of a traced Redis GET (bench/README.md).
type batcher struct {
	exp                sdktrace.SpanExporter
	delay, timeout     time.Duration
	maxQueue, maxBatch int

	mu      sync.Mutex
	queue   []sdktrace.ReadOnlySpan
	stopped bool
	dropped bool // a span was dropped since the last report

	full  chan struct{}      // a batch is ready (one buffered signal)
	flush chan chan struct{} // export everything queued, then close the channel
	stop  chan struct{}      // closed by Shutdown
	done  chan struct{}      // closed when the goroutine has exported its last
	once  sync.Once
}

// Defaults of the batch settings, as the specification gives them.
const (
	defaultScheduleDelay = 5000 * time.Millisecond
	defaultExportTimeout = 30000 * time.Millisecond
	defaultMaxQueueSize  = 2048
	defaultMaxBatchSize  = 512
)

// newBatcher returns a batcher of exp, with the settings of the environment.
func newBatcher(exp sdktrace.SpanExporter) *batcher {
	b := &batcher{
		exp:      exp,
		delay:    envMillis("OTEL_BSP_SCHEDULE_DELAY", defaultScheduleDelay),
		timeout:  envMillis("OTEL_BSP_EXPORT_TIMEOUT", defaultExportTimeout),
		maxQueue: envInt("OTEL_BSP_MAX_QUEUE_SIZE", defaultMaxQueueSize),
		maxBatch: envInt("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", defaultMaxBatchSize),
		full:     make(chan struct{}, 1),
		flush:    make(chan chan struct{}),
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	if b.maxBatch > b.maxQueue {
		b.maxBatch = b.maxQueue
	}
	go b.run()
	return b
}

// envInt reads a positive integer setting; a value that is not one is
// reported once and the default used, as the SDK does.
func envInt(name string, def int) int {
	s := strings.TrimSpace(os.Getenv(name))
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		otel.Handle(fmt.Errorf("%s=%q is not a positive integer: using %d", name, s, def))
		return def
	}
	return n
}

// envMillis reads a setting in milliseconds.
func envMillis(name string, def time.Duration) time.Duration {
	return time.Duration(envInt(name, int(def/time.Millisecond))) * time.Millisecond
}

func (b *batcher) OnStart(context.Context, sdktrace.ReadWriteSpan) {}

// OnEnd queues a sampled span, or drops it when the queue is full or the
// batcher has shut down.
func (b *batcher) OnEnd(s sdktrace.ReadOnlySpan) {
	if !s.SpanContext().IsSampled() {
		return
	}
	b.mu.Lock()
	if b.stopped {
		b.mu.Unlock()
		return
	}
	if len(b.queue) >= b.maxQueue {
		b.dropped = true
		b.mu.Unlock()
		return
	}
	b.queue = append(b.queue, s)
	ready := len(b.queue) == b.maxBatch
	b.mu.Unlock()
	if ready {
		select {
		case b.full <- struct{}{}:
		default:
		}
	}
}

// run exports what is queued: a batch when one is full, everything when the
// delay has passed, on a flush, and on shutdown.
func (b *batcher) run() {
	defer close(b.done)
	t := time.NewTimer(b.delay)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			b.export(true)
			return
		case ack := <-b.flush:
			b.export(true)
			close(ack)
			continue
		case <-b.full:
			b.export(false)
			continue
		case <-t.C:
			b.export(true)
		}
		t.Reset(b.delay)
	}
}

// export exports the queue in batches of at most maxBatch: every span
// queued when all is set, else the full batches only.
func (b *batcher) export(all bool) {
	for {
		b.mu.Lock()
		n := min(len(b.queue), b.maxBatch)
		if n == 0 || !all && n < b.maxBatch {
			b.mu.Unlock()
			return
		}
		batch := make([]sdktrace.ReadOnlySpan, n)
		copy(batch, b.queue)
		rest := copy(b.queue, b.queue[n:])
		clear(b.queue[rest:])
		b.queue = b.queue[:rest]
		dropped := b.dropped
		b.dropped = false
		b.mu.Unlock()
		if dropped {
			// Once: the error handler prints each message once.
			otel.Handle(fmt.Errorf("spans were dropped: the export queue (OTEL_BSP_MAX_QUEUE_SIZE=%d) was full", b.maxQueue))
		}
		ctx, cancel := context.WithTimeout(context.Background(), b.timeout)
		if err := b.exp.ExportSpans(ctx, batch); err != nil {
			otel.Handle(err)
		}
		cancel()
	}
}

// ForceFlush exports every span queued, and waits for it or for ctx.
func (b *batcher) ForceFlush(ctx context.Context) error {
	ack := make(chan struct{})
	select {
	case b.flush <- ack:
	case <-b.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-ack:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Shutdown exports what is queued, drops what ends afterwards, and shuts
// the exporter down.
func (b *batcher) Shutdown(ctx context.Context) error {
	var err error
	b.once.Do(func() {
		b.mu.Lock()
		b.stopped = true
		b.mu.Unlock()
		close(b.stop)
		select {
		case <-b.done:
		case <-ctx.Done():
			err = ctx.Err()
			return
		}
		err = b.exp.Shutdown(ctx)
	})
	return err
}
