package otlp

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"sync/atomic"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of metrics.proto (and its ExportMetricsServiceRequest,
// whose resource_metrics is field 1).
const (
	reqResourceMetrics = 1

	rmResource     = 1
	rmScopeMetrics = 2
	rmSchemaURL    = 3

	smScope     = 1
	smMetrics   = 2
	smSchemaURL = 3

	metricName        = 1
	metricDescription = 2
	metricUnit        = 3
	metricGauge       = 5
	metricSum         = 7
	metricHistogram   = 9
	metricExpHist     = 10
	metricSummary     = 11

	dataPoints  = 1 // of Gauge, Sum, Histogram, ExponentialHistogram, Summary
	temporality = 2 // of Sum, Histogram, ExponentialHistogram
	monotonic   = 3 // of Sum

	ndpStart     = 2
	ndpTime      = 3
	ndpAsDouble  = 4
	ndpExemplars = 5
	ndpAsInt     = 6
	ndpAttrs     = 7

	hdpStart     = 2
	hdpTime      = 3
	hdpCount     = 4
	hdpSum       = 5
	hdpBuckets   = 6
	hdpBounds    = 7
	hdpExemplars = 8
	hdpAttrs     = 9
	hdpMin       = 11
	hdpMax       = 12

	edpAttrs         = 1
	edpStart         = 2
	edpTime          = 3
	edpCount         = 4
	edpSum           = 5
	edpScale         = 6
	edpZeroCount     = 7
	edpPositive      = 8
	edpNegative      = 9
	edpExemplars     = 11
	edpMin           = 12
	edpMax           = 13
	edpZeroThreshold = 14

	bucketsOffset = 1
	bucketsCounts = 2

	sdpStart     = 2
	sdpTime      = 3
	sdpCount     = 4
	sdpSum       = 5
	sdpQuantiles = 6
	sdpAttrs     = 7
	quantileQ    = 1
	quantileV    = 2

	exTime     = 2
	exAsDouble = 3
	exSpanID   = 4
	exTraceID  = 5
	exAsInt    = 6
	exAttrs    = 7
)

var errTemporality = errors.New("unknown temporality")

// EncodeMetrics returns the ExportMetricsServiceRequest of rm. A metric of
// a kind it does not know, or with no temporality, is left out and named in
// the error; the rest is encoded.
func EncodeMetrics(rm *metricdata.ResourceMetrics) ([]byte, error) {
	var e buf
	var errs []error
	r := e.open(reqResourceMetrics)
	e.resource(rmResource, rm.Resource)
	for _, sm := range rm.ScopeMetrics {
		s := e.open(rmScopeMetrics)
		e.scope(smScope, sm.Scope)
		for _, m := range sm.Metrics {
			mark := len(e.b)
			if err := e.metric(m); err != nil {
				e.b = e.b[:mark]
				errs = append(errs, fmt.Errorf("metric %s: %w", m.Name, err))
			}
		}
		e.str(smSchemaURL, sm.Scope.SchemaURL)
		e.close(s)
	}
	if rm.Resource != nil {
		e.str(rmSchemaURL, rm.Resource.SchemaURL())
	}
	e.close(r)
	return e.b, errors.Join(errs...)
}

func (e *buf) metric(m metricdata.Metrics) error {
	mm := e.open(smMetrics)
	e.str(metricName, m.Name)
	e.str(metricDescription, m.Description)
	e.str(metricUnit, m.Unit)
	var err error
	switch a := m.Data.(type) {
	case metricdata.Gauge[int64]:
		d := e.open(metricGauge)
		numberPoints(e, a.DataPoints)
		e.close(d)
	case metricdata.Gauge[float64]:
		d := e.open(metricGauge)
		numberPoints(e, a.DataPoints)
		e.close(d)
	case metricdata.Sum[int64]:
		d := e.open(metricSum)
		numberPoints(e, a.DataPoints)
		err = e.temporality(a.Temporality)
		e.boolean(monotonic, a.IsMonotonic)
		e.close(d)
	case metricdata.Sum[float64]:
		d := e.open(metricSum)
		numberPoints(e, a.DataPoints)
		err = e.temporality(a.Temporality)
		e.boolean(monotonic, a.IsMonotonic)
		e.close(d)
	case metricdata.Histogram[int64]:
		d := e.open(metricHistogram)
		histogramPoints(e, a.DataPoints)
		err = e.temporality(a.Temporality)
		e.close(d)
	case metricdata.Histogram[float64]:
		d := e.open(metricHistogram)
		histogramPoints(e, a.DataPoints)
		err = e.temporality(a.Temporality)
		e.close(d)
	case metricdata.ExponentialHistogram[int64]:
		d := e.open(metricExpHist)
		expHistogramPoints(e, a.DataPoints)
		err = e.temporality(a.Temporality)
		e.close(d)
	case metricdata.ExponentialHistogram[float64]:
		d := e.open(metricExpHist)
		expHistogramPoints(e, a.DataPoints)
		err = e.temporality(a.Temporality)
		e.close(d)
	case metricdata.Summary:
		d := e.open(metricSummary)
		e.summaryPoints(a.DataPoints)
		e.close(d)
	default:
		err = fmt.Errorf("unknown aggregation %T", a)
	}
	e.close(mm)
	return err
}

// temporality writes OTLP's AggregationTemporality (DELTA 1, CUMULATIVE
// 2), which numbers them the other way round from the SDK.
func (e *buf) temporality(t metricdata.Temporality) error {
	switch t {
	case metricdata.DeltaTemporality:
		e.varint(temporality, 1)
	case metricdata.CumulativeTemporality:
		e.varint(temporality, 2)
	default:
		return fmt.Errorf("%w: %s", errTemporality, t)
	}
	return nil
}

func numberPoints[N int64 | float64](e *buf, pts []metricdata.DataPoint[N]) {
	for _, p := range pts {
		m := e.open(dataPoints)
		e.timestamp(ndpStart, p.StartTime)
		e.timestamp(ndpTime, p.Time)
		switch v := any(p.Value).(type) {
		case int64:
			e.fixed64Always(ndpAsInt, uint64(v))
		case float64:
			e.doubleAlways(ndpAsDouble, v)
		}
		exemplars(e, ndpExemplars, p.Exemplars)
		e.attrSet(ndpAttrs, &p.Attributes)
		e.close(m)
	}
}

func histogramPoints[N int64 | float64](e *buf, pts []metricdata.HistogramDataPoint[N]) {
	for _, p := range pts {
		m := e.open(dataPoints)
		e.timestamp(hdpStart, p.StartTime)
		e.timestamp(hdpTime, p.Time)
		e.fixed64(hdpCount, p.Count)
		e.doubleAlways(hdpSum, float64(p.Sum))
		if len(p.BucketCounts) > 0 {
			e.b = protowire.AppendTag(e.b, hdpBuckets, protowire.BytesType)
			e.b = protowire.AppendVarint(e.b, uint64(8*len(p.BucketCounts)))
			for _, c := range p.BucketCounts {
				e.b = protowire.AppendFixed64(e.b, c)
			}
		}
		if len(p.Bounds) > 0 {
			e.b = protowire.AppendTag(e.b, hdpBounds, protowire.BytesType)
			e.b = protowire.AppendVarint(e.b, uint64(8*len(p.Bounds)))
			for _, b := range p.Bounds {
				e.b = protowire.AppendFixed64(e.b, math.Float64bits(b))
			}
		}
		exemplars(e, hdpExemplars, p.Exemplars)
		e.attrSet(hdpAttrs, &p.Attributes)
		if v, ok := p.Min.Value(); ok {
			e.doubleAlways(hdpMin, float64(v))
		}
		if v, ok := p.Max.Value(); ok {
			e.doubleAlways(hdpMax, float64(v))
		}
		e.close(m)
	}
}

func expHistogramPoints[N int64 | float64](e *buf, pts []metricdata.ExponentialHistogramDataPoint[N]) {
	for _, p := range pts {
		m := e.open(dataPoints)
		e.attrSet(edpAttrs, &p.Attributes)
		e.timestamp(edpStart, p.StartTime)
		e.timestamp(edpTime, p.Time)
		e.fixed64(edpCount, p.Count)
		e.doubleAlways(edpSum, float64(p.Sum))
		e.sint32(edpScale, p.Scale)
		e.fixed64(edpZeroCount, p.ZeroCount)
		e.buckets(edpPositive, p.PositiveBucket)
		e.buckets(edpNegative, p.NegativeBucket)
		exemplars(e, edpExemplars, p.Exemplars)
		if v, ok := p.Min.Value(); ok {
			e.doubleAlways(edpMin, float64(v))
		}
		if v, ok := p.Max.Value(); ok {
			e.doubleAlways(edpMax, float64(v))
		}
		e.double(edpZeroThreshold, p.ZeroThreshold)
		e.close(m)
	}
}

func (e *buf) buckets(num protowire.Number, b metricdata.ExponentialBucket) {
	m := e.open(num)
	e.sint32(bucketsOffset, b.Offset)
	if len(b.Counts) > 0 {
		c := e.open(bucketsCounts)
		for _, n := range b.Counts {
			e.b = protowire.AppendVarint(e.b, n)
		}
		e.close(c)
	}
	e.close(m)
}

func (e *buf) summaryPoints(pts []metricdata.SummaryDataPoint) {
	for _, p := range pts {
		m := e.open(dataPoints)
		e.timestamp(sdpStart, p.StartTime)
		e.timestamp(sdpTime, p.Time)
		e.fixed64(sdpCount, p.Count)
		e.double(sdpSum, p.Sum)
		for _, q := range p.QuantileValues {
			qm := e.open(sdpQuantiles)
			e.double(quantileQ, q.Quantile)
			e.double(quantileV, q.Value)
			e.close(qm)
		}
		e.attrSet(sdpAttrs, &p.Attributes)
		e.close(m)
	}
}

func exemplars[N int64 | float64](e *buf, num protowire.Number, xs []metricdata.Exemplar[N]) {
	for _, x := range xs {
		m := e.open(num)
		e.timestamp(exTime, x.Time)
		switch v := any(x.Value).(type) {
		case int64:
			e.fixed64Always(exAsInt, uint64(v))
		case float64:
			e.doubleAlways(exAsDouble, v)
		}
		if len(x.SpanID) > 0 {
			e.bytes(exSpanID, x.SpanID)
		}
		if len(x.TraceID) > 0 {
			e.bytes(exTraceID, x.TraceID)
		}
		e.attrs(exAttrs, x.FilteredAttributes)
		e.close(m)
	}
}

// MetricExporter sends metrics to the collector over OTLP/HTTP, with the
// temporality and histogram aggregation the environment prefers.
type MetricExporter struct {
	client      *Client
	temporality sdkmetric.TemporalitySelector
	aggregation sdkmetric.AggregationSelector
	stopped     atomic.Bool
}

// NewMetricExporter makes a metric exporter from the OTEL_EXPORTER_OTLP_*
// and OTEL_EXPORTER_OTLP_METRICS_* variables, including
// OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE and
// OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION.
func NewMetricExporter() (*MetricExporter, error) {
	c, err := NewClient("METRICS", "/v1/metrics")
	if err != nil {
		return nil, err
	}
	return NewMetricExporterWith(c), nil
}

// NewMetricExporterWith makes a metric exporter that uses c, with the
// environment's preferences.
func NewMetricExporterWith(c *Client) *MetricExporter {
	return &MetricExporter{client: c, temporality: envTemporality(), aggregation: envAggregation()}
}

func envTemporality() sdkmetric.TemporalitySelector {
	const key = "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"
	switch v := strings.ToLower(strings.TrimSpace(os.Getenv(key))); v {
	case "", "cumulative":
	case "delta":
		return sdkmetric.DeltaTemporalitySelector
	case "lowmemory":
		return sdkmetric.LowMemoryTemporalitySelector
	default:
		handle(fmt.Errorf("%s=%q is not cumulative, delta or lowmemory; cumulative is used", key, v))
	}
	return sdkmetric.CumulativeTemporalitySelector
}

func envAggregation() sdkmetric.AggregationSelector {
	const key = "OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION"
	switch v := strings.ToLower(strings.TrimSpace(os.Getenv(key))); v {
	case "", "explicit_bucket_histogram":
	case "base2_exponential_bucket_histogram":
		return func(k sdkmetric.InstrumentKind) sdkmetric.Aggregation {
			if k == sdkmetric.InstrumentKindHistogram {
				return sdkmetric.AggregationBase2ExponentialHistogram{MaxSize: 160, MaxScale: 20}
			}
			return sdkmetric.DefaultAggregationSelector(k)
		}
	default:
		handle(fmt.Errorf("%s=%q is not explicit_bucket_histogram or base2_exponential_bucket_histogram; explicit_bucket_histogram is used", key, v))
	}
	return sdkmetric.DefaultAggregationSelector
}

// Temporality returns the temporality the environment prefers for k.
func (x *MetricExporter) Temporality(k sdkmetric.InstrumentKind) metricdata.Temporality {
	return x.temporality(k)
}

// Aggregation returns the default aggregation for k, or the exponential
// histogram for histograms when the environment asks for it.
func (x *MetricExporter) Aggregation(k sdkmetric.InstrumentKind) sdkmetric.Aggregation {
	return x.aggregation(k)
}

// Export sends rm in one request. A collector's partial success goes to
// otel.Handle.
func (x *MetricExporter) Export(ctx context.Context, rm *metricdata.ResourceMetrics) error {
	if x.stopped.Load() {
		return nil
	}
	body, encErr := EncodeMetrics(rm)
	resp, err := x.client.Post(ctx, body)
	if err != nil {
		if encErr != nil {
			return fmt.Errorf("failed to upload incomplete metrics (%w): %w", encErr, err)
		}
		return fmt.Errorf("failed to upload metrics: %w", err)
	}
	partialSuccess(resp, "data points")
	if encErr != nil {
		return fmt.Errorf("failed to upload some metrics: %w", encErr)
	}
	return nil
}

// ForceFlush does nothing: Export sends at once.
func (x *MetricExporter) ForceFlush(ctx context.Context) error { return ctx.Err() }

// Shutdown stops the exporter: later exports do nothing.
func (x *MetricExporter) Shutdown(ctx context.Context) error {
	x.stopped.Store(true)
	x.client.CloseIdle()
	return ctx.Err()
}
