package otlp

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel"
)

// UserAgent is sent with every export. It starts with "OTel ", as the
// upstream exporters' does, by which the net/http integration knows the
// SDK's own requests and does not trace them.
const UserAgent = "OTel OTLP Exporter Go (otelgen)"

// handle reports an error that does not fail an export.
var handle = otel.Handle

// Client posts OTLP requests to one URL.
type Client struct {
	URL     string
	Headers map[string]string
	Timeout time.Duration // of one export, retries included
	Gzip    bool

	// Backoff is the first wait before a retry; each next wait is half
	// again as long, up to MaxBackoff, each jittered by up to ±50%. A
	// collector's Retry-After is waited for when longer.
	Backoff, MaxBackoff time.Duration

	http *http.Client
}

// NewClient makes the client of a signal ("TRACES", "METRICS", "LOGS")
// from the environment, as the specification says: the signal's own
// variable before the generic one; the generic endpoint gets path appended,
// the signal's endpoint is used as it is. With no endpoint set it posts to
// http://localhost:4318 and path.
func NewClient(signal, path string) (*Client, error) {
	get := func(name string) (string, string) {
		for _, key := range []string{"OTEL_EXPORTER_OTLP_" + signal + "_" + name, "OTEL_EXPORTER_OTLP_" + name} {
			if v := strings.TrimSpace(os.Getenv(key)); v != "" {
				return v, key
			}
		}
		return "", ""
	}
	c := &Client{Timeout: 10 * time.Second, Backoff: 5 * time.Second, MaxBackoff: 30 * time.Second}
	var errs []error

	insecure := false
	if v, key := get("INSECURE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s=%q is not true or false", key, v))
		}
		insecure = b
	}
	withScheme := func(v string) string {
		if strings.Contains(v, "://") {
			return v
		}
		if insecure {
			return "http://" + v
		}
		return "https://" + v
	}
	if v := strings.TrimSpace(os.Getenv("OTEL_EXPORTER_OTLP_" + signal + "_ENDPOINT")); v != "" {
		c.URL = withScheme(v)
	} else if v := strings.TrimSpace(os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT")); v != "" {
		c.URL = strings.TrimSuffix(withScheme(v), "/") + path
	} else {
		c.URL = "http://localhost:4318" + path
	}
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("OTLP endpoint %q is not an http or https URL", c.URL)
	}

	if v, key := get("HEADERS"); v != "" {
		h, err := parseHeaders(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", key, err))
		}
		c.Headers = h
	}
	if v, key := get("TIMEOUT"); v != "" {
		ms, err := strconv.Atoi(v)
		if err != nil || ms < 0 {
			errs = append(errs, fmt.Errorf("%s=%q is not a number of milliseconds", key, v))
		} else {
			c.Timeout = time.Duration(ms) * time.Millisecond
		}
	}
	if v, key := get("COMPRESSION"); v != "" {
		switch strings.ToLower(v) {
		case "gzip":
			c.Gzip = true
		case "none":
		default:
			errs = append(errs, fmt.Errorf("%s=%q is not gzip or none", key, v))
		}
	}

	tr := http.DefaultTransport.(*http.Transport).Clone()
	if u.Scheme == "https" {
		cfg := &tls.Config{}
		if v, key := get("CERTIFICATE"); v != "" {
			pem, err := os.ReadFile(v)
			pool := x509.NewCertPool()
			if err == nil && !pool.AppendCertsFromPEM(pem) {
				err = errors.New("no PEM certificate in it")
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", key, err))
			} else {
				cfg.RootCAs = pool
			}
		}
		cert, certKey := get("CLIENT_CERTIFICATE")
		key, keyKey := get("CLIENT_KEY")
		if cert != "" || key != "" {
			pair, err := tls.LoadX509KeyPair(cert, key)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s, %s: %w", certKey, keyKey, err))
			} else {
				cfg.Certificates = []tls.Certificate{pair}
			}
		}
		tr.TLSClientConfig = cfg
	}
	c.http = &http.Client{Transport: tr}
	if len(errs) > 0 {
		// The exporter still works with what could be read; say what
		// was not.
		handle(errors.Join(errs...))
	}
	return c, nil
}

// parseHeaders reads "key1=value1,key2=value2" with percent-encoded keys
// and values (the W3C baggage format without properties).
func parseHeaders(s string) (map[string]string, error) {
	h := map[string]string{}
	var errs []error
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			if strings.TrimSpace(kv) != "" {
				errs = append(errs, fmt.Errorf("%q is not key=value", kv))
			}
			continue
		}
		key, err1 := url.PathUnescape(strings.TrimSpace(k))
		val, err2 := url.PathUnescape(strings.TrimSpace(v))
		if err := errors.Join(err1, err2); err != nil || key == "" {
			errs = append(errs, fmt.Errorf("%q is not a header: %v", kv, err))
			continue
		}
		h[key] = val
	}
	return h, errors.Join(errs...)
}

// Post sends body (a serialised Export*ServiceRequest) and returns the
// body of the collector's answer when it took the request. It retries
// 429, 502, 503 and 504 answers after a backoff, or the collector's
// Retry-After when longer, while the client's timeout allows.
func (c *Client) Post(ctx context.Context, body []byte) ([]byte, error) {
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	if c.Gzip {
		var b bytes.Buffer
		gz := gzip.NewWriter(&b)
		gz.Write(body)
		gz.Close()
		body = b.Bytes()
	}
	client := c.http
	if client == nil {
		client = http.DefaultClient
	}
	backoff := c.Backoff
	var failed error // the last answer that is retried
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		for k, v := range c.Headers {
			req.Header.Set(k, v)
		}
		req.Header.Set("Content-Type", "application/x-protobuf")
		req.Header.Set("User-Agent", UserAgent)
		if c.Gzip {
			req.Header.Set("Content-Encoding", "gzip")
		}
		resp, err := client.Do(req)
		if err != nil {
			if failed != nil && ctx.Err() != nil {
				// The time ran out during a retry: what the collector
				// said says more than the cut-short request.
				return nil, fmt.Errorf("%w; %w", failed, ctx.Err())
			}
			return nil, err
		}
		data, rerr := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
			if rerr != nil || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/x-protobuf") {
				return nil, nil
			}
			return data, nil
		}
		msg := strings.TrimSpace(string(data))
		if msg == "" {
			msg = "(empty)"
		}
		failed = fmt.Errorf("failed to send to %s: %s (body: %s)", c.URL, resp.Status, msg)
		switch resp.StatusCode {
		case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		default:
			return nil, failed
		}
		wait := time.Duration(float64(backoff) * (0.5 + rand.Float64()))
		if ra := retryAfter(resp.Header.Get("Retry-After")); ra > wait {
			wait = ra
		}
		if d, ok := ctx.Deadline(); ok && time.Until(d) < wait {
			return nil, fmt.Errorf("%w; no time left to retry", failed)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("%w; %w", failed, ctx.Err())
		case <-t.C:
		}
		backoff = min(backoff*3/2, c.MaxBackoff)
	}
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t)
	}
	return 0
}

// CloseIdle closes the client's idle connections.
func (c *Client) CloseIdle() {
	if c.http != nil {
		c.http.CloseIdleConnections()
	}
}
