package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is the service's Prometheus instrumentation on a registry of its own (not
// the global one, so two servers in one test binary do not collide). The HTTP
// middleware feeds the request metrics; the ledger feeds the append metrics through
// the exported methods, which it can call through an interface of its own since
// ledger may not import server. All methods are safe on a nil *Metrics and do nothing.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	inflight prometheus.Gauge
	appends  prometheus.Counter
	batches  prometheus.Histogram
	entries  prometheus.Gauge
	bytes    prometheus.Gauge
}

// NewMetrics returns Metrics registered on a fresh registry, with the Go runtime
// and process collectors beside them.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "traceledger_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status code.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "traceledger_http_request_duration_seconds",
			Help:    "Time from request to the end of the response, by route pattern, method and status code.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method", "status"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "traceledger_http_requests_in_flight",
			Help: "HTTP requests being handled now.",
		}),
		appends: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "traceledger_ledger_appends_total",
			Help: "Entries appended to the ledger (acknowledged, hence durable).",
		}),
		batches: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "traceledger_ledger_batch_size",
			Help:    "Entries per group commit of the appender.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 14), // 1 .. 8192
		}),
		entries: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "traceledger_ledger_entries",
			Help: "Entries in the ledger (the Merkle tree size).",
		}),
		bytes: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "traceledger_ledger_size_bytes",
			Help: "Size of the ledger's store on disk.",
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.inflight, m.appends, m.batches, m.entries, m.bytes,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry returns the registry behind m, for adding collectors of other parts.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// ObserveBatch records one group commit of n entries: it adds n to the appends
// counter and n to the batch size histogram.
func (m *Metrics) ObserveBatch(n int) {
	if m == nil || n <= 0 {
		return
	}
	m.appends.Add(float64(n))
	m.batches.Observe(float64(n))
}

// SetLedgerSize records the ledger's entry count and its store's size in bytes.
func (m *Metrics) SetLedgerSize(entries uint64, bytes int64) {
	if m == nil {
		return
	}
	m.entries.Set(float64(entries))
	m.bytes.Set(float64(bytes))
}

// observeRequest records one answered request. route is the Echo route pattern
// ("/api/v1/keys/:id"), never the raw path, so label values stay few.
func (m *Metrics) observeRequest(route, method string, status int, d time.Duration) {
	if m == nil {
		return
	}
	s := strconv.Itoa(status)
	m.requests.WithLabelValues(route, method, s).Inc()
	m.latency.WithLabelValues(route, method, s).Observe(d.Seconds())
}

// metricsHandler serves /metrics in the Prometheus exposition format.
type metricsHandler struct{ h http.Handler }

func newMetricsHandler(m *Metrics) metricsHandler {
	// Echo's gzip middleware compresses the answer; promhttp must not do it twice.
	return metricsHandler{promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		Registry: m.reg, DisableCompression: true, ErrorHandling: promhttp.ContinueOnError})}
}

func (h metricsHandler) routes() []Route {
	return []Route{{
		Method: http.MethodGet, Path: "/metrics", Handler: echo.WrapHandler(h.h), Public: true,
		Doc: Operation{
			Summary: "Prometheus metrics",
			Description: "Request counts and latencies by route, method and status; ledger appends, " +
				"batch sizes and size; Go runtime and process metrics. Text exposition format.",
			Tags:      []string{"operations"},
			Responses: map[string]Response{"200": {Description: "Metrics", ContentType: "text/plain; version=0.0.4"}},
		},
	}}
}

// methodLabel keeps the method label to the methods HTTP defines, so that a client
// cannot mint label values.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "OTHER"
}
