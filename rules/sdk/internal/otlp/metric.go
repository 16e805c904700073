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
	var e Buf
	var errs []error
	r := e.Open(reqResourceMetrics)
	e.Resource(rmResource, rm.Resource)
	for _, sm := range rm.ScopeMetrics {
		s := e.Open(rmScopeMetrics)
		e.Scope(smScope, sm.Scope)
		for _, m := range sm.Metrics {
			mark := len(e.B)
			if err := e.metric(m); err != nil {
				e.B = e.B[:mark]
				errs = append(errs, fmt.Errorf("metric %s: %w", m.Name, err))
			}
		}
		e.Str(smSchemaURL, sm.Scope.SchemaURL)
		e.Close(s)
	}
	if rm.Resource != nil {
		e.Str(rmSchemaURL, rm.Resource.SchemaURL())
	}
	e.Close(r)
	return e.B, errors.Join(errs...)
}

func (e *Buf) metric(m metricdata.Metrics) error {
	mm := e.Open(smMetrics)
	e.Str(metricName, m.Name)
	e.Str(metricDescription, m.Description)
	e.Str(metricUnit, m.Unit)
	var err error
	switch a := m.Data.(type) {
	case metricdata.Gauge[int64]:
		d := e.Open(metricGauge)
		numberPoints(e, a.DataPoints)
		e.Close(d)
	case metricdata.Gauge[float64]:
		d := e.Open(metricGauge)
		numberPoints(e, a.DataPoints)
		e.Close(d)
	case metricdata.Sum[int64]:
		d := e.Open(metricSum)
		numberPoints(e, a.DataPoints)
		err = e.temporality(a.Temporality)
		e.Boolean(monotonic, a.IsMonotonic)
		e.Close(d)
	case metricdata.Sum[float64]:
		d := e.Open(metricSum)
		numberPoints(e, a.DataPoints)
		err = e.temporality(a.Temporality)
		e.Boolean(monotonic, a.IsMonotonic)
		e.Close(d)
	case metricdata.Histogram[int64]:
		d := e.Open(metricHistogram)
		histogramPoints(e, a.DataPoints)
		err = e.temporality(a.Temporality)
		e.Close(d)
	case metricdata.Histogram[float64]:
		d := e.Open(metricHistogram)
		histogramPoints(e, a.DataPoints)
		err = e.temporality(a.Temporality)
		e.Close(d)
	case metricdata.ExponentialHistogram[int64]:
		d := e.Open(metricExpHist)
		expHistogramPoints(e, a.DataPoints)
		err = e.temporality(a.Temporality)
		e.Close(d)
	case metricdata.ExponentialHistogram[float64]:
		d := e.Open(metricExpHist)
		expHistogramPoints(e, a.DataPoints)
		err = e.temporality(a.Temporality)
		e.Close(d)
	case metricdata.Summary:
		d := e.Open(metricSummary)
		e.summaryPoints(a.DataPoints)
		e.Close(d)
	default:
		err = fmt.Errorf("unknown aggregation %T", a)
	}
	e.Close(mm)
	return err
}

// temporality writes OTLP's AggregationTemporality (DELTA 1, CUMULATIVE
// 2), which numbers them the other way round from the SDK.
func (e *Buf) temporality(t metricdata.Temporality) error {
	switch t {
	case metricdata.DeltaTemporality:
		e.Varint(temporality, 1)
	case metricdata.CumulativeTemporality:
		e.Varint(temporality, 2)
	default:
		return fmt.Errorf("%w: %s", errTemporality, t)
	}
	return nil
}

func numberPoints[N int64 | float64](e *Buf, pts []metricdata.DataPoint[N]) {
	for _, p := range pts {
		m := e.Open(dataPoints)
		e.Timestamp(ndpStart, p.StartTime)
		e.Timestamp(ndpTime, p.Time)
		switch v := any(p.Value).(type) {
		case int64:
			e.Fixed64Always(ndpAsInt, uint64(v))
		case float64:
			e.DoubleAlways(ndpAsDouble, v)
		}
		exemplars(e, ndpExemplars, p.Exemplars)
		e.AttrSet(ndpAttrs, &p.Attributes)
		e.Close(m)
	}
}

func histogramPoints[N int64 | float64](e *Buf, pts []metricdata.HistogramDataPoint[N]) {
	for _, p := range pts {
		m := e.Open(dataPoints)
		e.Timestamp(hdpStart, p.StartTime)
		e.Timestamp(hdpTime, p.Time)
		e.Fixed64(hdpCount, p.Count)
		e.DoubleAlways(hdpSum, float64(p.Sum))
		if len(p.BucketCounts) > 0 {
			e.B = appendTag(e.B, hdpBuckets, bytesType)
			e.B = appendVarint(e.B, uint64(8*len(p.BucketCounts)))
			for _, c := range p.BucketCounts {
				e.B = appendFixed64(e.B, c)
			}
		}
		if len(p.Bounds) > 0 {
			e.B = appendTag(e.B, hdpBounds, bytesType)
			e.B = appendVarint(e.B, uint64(8*len(p.Bounds)))
			for _, b := range p.Bounds {
				e.B = appendFixed64(e.B, math.Float64bits(b))
			}
		}
		exemplars(e, hdpExemplars, p.Exemplars)
		e.AttrSet(hdpAttrs, &p.Attributes)
		if v, ok := p.Min.Value(); ok {
			e.DoubleAlways(hdpMin, float64(v))
		}
		if v, ok := p.Max.Value(); ok {
			e.DoubleAlways(hdpMax, float64(v))
		}
		e.Close(m)
	}
}

func expHistogramPoints[N int64 | float64](e *Buf, pts []metricdata.ExponentialHistogramDataPoint[N]) {
	for _, p := range pts {
		m := e.Open(dataPoints)
		e.AttrSet(edpAttrs, &p.Attributes)
		e.Timestamp(edpStart, p.StartTime)
		e.Timestamp(edpTime, p.Time)
		e.Fixed64(edpCount, p.Count)
		e.DoubleAlways(edpSum, float64(p.Sum))
		e.Sint32(edpScale, p.Scale)
		e.Fixed64(edpZeroCount, p.ZeroCount)
		e.buckets(edpPositive, p.PositiveBucket)
		e.buckets(edpNegative, p.NegativeBucket)
		exemplars(e, edpExemplars, p.Exemplars)
		if v, ok := p.Min.Value(); ok {
			e.DoubleAlways(edpMin, float64(v))
		}
		if v, ok := p.Max.Value(); ok {
			e.DoubleAlways(edpMax, float64(v))
		}
		e.Double(edpZeroThreshold, p.ZeroThreshold)
		e.Close(m)
	}
}

func (e *Buf) buckets(num Number, b metricdata.ExponentialBucket) {
	m := e.Open(num)
	e.Sint32(bucketsOffset, b.Offset)
	if len(b.Counts) > 0 {
		c := e.Open(bucketsCounts)
		for _, n := range b.Counts {
			e.B = appendVarint(e.B, n)
		}
		e.Close(c)
	}
	e.Close(m)
}

func (e *Buf) summaryPoints(pts []metricdata.SummaryDataPoint) {
	for _, p := range pts {
		m := e.Open(dataPoints)
		e.Timestamp(sdpStart, p.StartTime)
		e.Timestamp(sdpTime, p.Time)
		e.Fixed64(sdpCount, p.Count)
		e.Double(sdpSum, p.Sum)
		for _, q := range p.QuantileValues {
			qm := e.Open(sdpQuantiles)
			e.Double(quantileQ, q.Quantile)
			e.Double(quantileV, q.Value)
			e.Close(qm)
		}
		e.AttrSet(sdpAttrs, &p.Attributes)
		e.Close(m)
	}
}

func exemplars[N int64 | float64](e *Buf, num Number, xs []metricdata.Exemplar[N]) {
	for _, x := range xs {
		m := e.Open(num)
		e.Timestamp(exTime, x.Time)
		switch v := any(x.Value).(type) {
		case int64:
			e.Fixed64Always(exAsInt, uint64(v))
		case float64:
			e.DoubleAlways(exAsDouble, v)
		}
		if len(x.SpanID) > 0 {
			e.Bytes(exSpanID, x.SpanID)
		}
		if len(x.TraceID) > 0 {
			e.Bytes(exTraceID, x.TraceID)
		}
		e.Attrs(exAttrs, x.FilteredAttributes)
		e.Close(m)
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
	PartialSuccess(resp, "data points")
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
