// Package metrics holds the Prometheus counters that packages below the
// web server update (the importer's rows and errors). They are registered
// with no registry here: each web.Server registers them with its own, and
// serves them on /metrics.
package metrics

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"

	"congdoan/internal/domain"
)

var (
	// ImportRows counts the rows saved by imports, by kind.
	ImportRows = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "congdoan_import_rows_total",
		Help: "Rows saved by imports (files, forms and the API), by kind.",
	}, []string{"kind"})
	// ImportErrors counts the errors found in imported rows, by kind.
	ImportErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "congdoan_import_errors_total",
		Help: "Errors found in imported rows (each makes the whole import refused), by kind.",
	}, []string{"kind"})
	// Imports counts the imports by kind and result (ok, refused, failed).
	Imports = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "congdoan_imports_total",
		Help: "Imports by kind and result: ok, refused (errors in the data) or failed.",
	}, []string{"kind", "result"})
)

// ImportDone records the outcome of an import that was not a dry run: its
// rows saved, or the errors of err.
func ImportDone(kind string, rows int, err error) {
	var ve *domain.ValidationError
	switch {
	case err == nil:
		Import(kind, rows, 0, false)
	case errors.As(err, &ve) && len(ve.Errors) > 0:
		Import(kind, 0, len(ve.Errors), false)
	default:
		Import(kind, 0, 0, true)
	}
}

// Import records the outcome of one import that was not a dry run: rows
// saved, and errors found in the data (then nothing was saved); failed:
// it stopped for another reason.
func Import(kind string, rows, errors int, failed bool) {
	switch {
	case failed:
		Imports.WithLabelValues(kind, "failed").Inc()
	case errors > 0:
		Imports.WithLabelValues(kind, "refused").Inc()
		ImportErrors.WithLabelValues(kind).Add(float64(errors))
	default:
		Imports.WithLabelValues(kind, "ok").Inc()
		ImportRows.WithLabelValues(kind).Add(float64(rows))
	}
}
