package web

// Operations: the Prometheus metrics of /metrics, the access log, and the
// routing of a user's reads to the primary database shortly after their
// own write (read your writes, with read replicas).

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"congdoan/internal/metrics"
	"congdoan/internal/store"
)

// ops is a server's metrics and its memory of recent writes.
type ops struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	handler  http.Handler

	mu     sync.Mutex
	writes map[string]time.Time // user name -> last write
}

func (s *Server) opsSetup() *ops {
	s.opsOnce.Do(func() {
		o := &ops{registry: prometheus.NewRegistry(), writes: map[string]time.Time{}}
		o.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "congdoan_http_requests_total",
			Help: "HTTP requests by route pattern and status.",
		}, []string{"route", "status"})
		o.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "congdoan_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route pattern and status.",
			Buckets: []float64{.005, .01, .02, .05, .1, .2, .5, 1, 2, 5, 10, 30},
		}, []string{"route", "status"})
		o.registry.MustRegister(o.requests, o.latency,
			metrics.ImportRows, metrics.ImportErrors, metrics.Imports,
			&dbCollector{st: s.Store},
			collectors.NewGoCollector(),
			collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
		o.handler = promhttp.HandlerFor(o.registry, promhttp.HandlerOpts{})
		s.ops = o
	})
	return s.ops
}

// metrics answers GET /metrics, with the bearer token MetricsToken when
// one is set.
func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	o := s.opsSetup()
	if s.MetricsToken != "" {
		got, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if subtle.ConstantTimeCompare([]byte(got), []byte(s.MetricsToken)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	o.handler.ServeHTTP(w, r)
}

// dbCollector reports the connection pools (sql.DBStats) and the replicas.
type dbCollector struct{ st *store.Store }

var (
	descOpen     = prometheus.NewDesc("congdoan_db_connections_open", "Open connections of the pool.", []string{"pool"}, nil)
	descInUse    = prometheus.NewDesc("congdoan_db_connections_in_use", "Connections of the pool in use.", []string{"pool"}, nil)
	descIdle     = prometheus.NewDesc("congdoan_db_connections_idle", "Idle connections of the pool.", []string{"pool"}, nil)
	descMaxOpen  = prometheus.NewDesc("congdoan_db_connections_max_open", "Most connections the pool may open.", []string{"pool"}, nil)
	descWaits    = prometheus.NewDesc("congdoan_db_wait_total", "Times a query waited for a free connection of the pool.", []string{"pool"}, nil)
	descWaitTime = prometheus.NewDesc("congdoan_db_wait_seconds_total", "Time spent waiting for a free connection of the pool.", []string{"pool"}, nil)
	descUp       = prometheus.NewDesc("congdoan_db_replica_up", "1 when the read replica serves reads, 0 when the reads it would take go to the primary.", []string{"replica"}, nil)
	descLag      = prometheus.NewDesc("congdoan_db_replica_lag_seconds", "How far the read replica is behind the primary (-1: unknown).", []string{"replica"}, nil)
)

func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descOpen, descInUse, descIdle, descMaxOpen, descWaits, descWaitTime, descUp, descLag} {
		ch <- d
	}
}

func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	if c.st == nil {
		return
	}
	for _, p := range c.st.Pools() {
		ch <- prometheus.MustNewConstMetric(descOpen, prometheus.GaugeValue, float64(p.Stats.OpenConnections), p.Pool)
		ch <- prometheus.MustNewConstMetric(descInUse, prometheus.GaugeValue, float64(p.Stats.InUse), p.Pool)
		ch <- prometheus.MustNewConstMetric(descIdle, prometheus.GaugeValue, float64(p.Stats.Idle), p.Pool)
		ch <- prometheus.MustNewConstMetric(descMaxOpen, prometheus.GaugeValue, float64(p.Stats.MaxOpenConnections), p.Pool)
		ch <- prometheus.MustNewConstMetric(descWaits, prometheus.CounterValue, float64(p.Stats.WaitCount), p.Pool)
		ch <- prometheus.MustNewConstMetric(descWaitTime, prometheus.CounterValue, p.Stats.WaitDuration.Seconds(), p.Pool)
	}
	for _, r := range c.st.Replicas() {
		up := 0.0
		if r.Up {
			up = 1
		}
		lag := -1.0
		if r.Lag >= 0 {
			lag = r.Lag.Seconds()
		}
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, up, r.Name)
		ch <- prometheus.MustNewConstMetric(descLag, prometheus.GaugeValue, lag, r.Name)
	}
}

// replicaHealth is the replicas' part of /healthz: one line each, and
// whether every replica serves reads.
func (s *Server) replicaHealth() (lines []string, allUp bool) {
	allUp = true
	for _, r := range s.Store.Replicas() {
		if r.Up {
			lines = append(lines, fmt.Sprintf("replica %s: ok (lag %s)", r.Name, r.Lag.Round(time.Millisecond)))
			continue
		}
		allUp = false
		lines = append(lines, fmt.Sprintf("replica %s: unavailable, reads go to the primary (%s)", r.Name, r.Problem))
	}
	return lines, allUp
}

// primaryCookie marks a browser that wrote a moment ago: its reads go to
// the primary until the cookie expires (Store.ReadYourWrites), also on
// another instance of the server behind the same load balancer.
const primaryCookie = "cd_primary"

// readYourWrites sends to the primary the reads of a request that writes
// (any method but GET and HEAD), of a browser that carries primaryCookie,
// and of a user who wrote through this server less than
// Store.ReadYourWrites ago (API clients keep no cookie). Without replicas
// it does nothing.
func (s *Server) readYourWrites(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		window := s.Store.ReadYourWrites()
		if window <= 0 {
			next.ServeHTTP(w, r)
			return
		}
		o := s.opsSetup()
		primary := false
		name := ""
		if u := currentUser(r); u != nil {
			name = u.Name
		}
		now := time.Now()
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			primary = true
			secs := int((window + time.Second - 1) / time.Second)
			http.SetCookie(w, cookie(r, primaryCookie, "1", secs))
			if name != "" {
				o.mu.Lock()
				o.writes[name] = now
				// Forget the writes that no longer matter.
				if len(o.writes) > 10000 {
					for k, t := range o.writes {
						if now.Sub(t) > window {
							delete(o.writes, k)
						}
					}
				}
				o.mu.Unlock()
			}
		} else if c, err := r.Cookie(primaryCookie); err == nil && c.Value == "1" {
			primary = true
		} else if name != "" {
			o.mu.Lock()
			t, ok := o.writes[name]
			o.mu.Unlock()
			primary = ok && now.Sub(t) < window
		}
		if primary {
			r = r.WithContext(store.WithPrimary(r.Context()))
		}
		next.ServeHTTP(w, r)
	})
}

// statusWriter notes the status and size of an answer.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (flush,
// deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe counts and times every request by its route pattern and status,
// and writes the access log: never the query string's values, a token, a
// cookie or a number that may be a person's ID.
func (s *Server) observe(mux *http.ServeMux, next http.Handler) http.Handler {
	o := s.opsSetup()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		route := "unmatched"
		if strings.HasPrefix(r.URL.Path, "/static/") {
			route = "GET /static/"
		} else if _, pattern := mux.Handler(r); pattern != "" {
			route = pattern
		}
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			code := strconv.Itoa(status)
			took := time.Since(start)
			o.requests.WithLabelValues(route, code).Inc()
			o.latency.WithLabelValues(route, code).Observe(took.Seconds())
			if s.AccessLog == nil {
				return
			}
			level := s.AccessLog.Info
			if status >= 500 {
				level = s.AccessLog.Warn
			}
			level("request", "method", r.Method, "route", route, "path", RedactPath(r.URL.Path),
				"query", RedactQuery(r.URL.RawQuery), "status", status, "bytes", sw.bytes,
				"ms", float64(took.Microseconds())/1000, "ip", s.clientIP(r))
		}()
		next.ServeHTTP(sw, r)
	})
}

// longNumber is a run of digits long enough to be a national ID (9 or 12
// digits), a tax code or a phone number.
var longNumber = regexp.MustCompile(`[0-9]{9,}`)

// RedactPath returns the path with every long number replaced.
func RedactPath(p string) string {
	return longNumber.ReplaceAllString(p, "[redacted]")
}

// RedactQuery returns the query string's keys with their values replaced.
func RedactQuery(raw string) string {
	if raw == "" {
		return ""
	}
	var b strings.Builder
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		key, _, _ := strings.Cut(part, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(RedactPath(key)))
		b.WriteString("=[redacted]")
	}
	return b.String()
}
