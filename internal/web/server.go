// Package web serves Congdoan over HTTP: for now the health check, a plain
// home page and the report of the API.
package web

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/report"
	"congdoan/internal/store"
)

// Server is the HTTP application.
type Server struct {
	Store *store.Store
	Log   *slog.Logger
}

// Handler returns the routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /api/v1/report", s.apiReport)
	return mux
}

// Serve serves on ln until ctx ends.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	err := srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

var homePage = template.Must(template.New("home").Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Congdoan — Phát triển đoàn viên</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}</style></head>
<body><h1>Congdoan</h1>
<p>Hệ thống lập kế hoạch, theo dõi và báo cáo phát triển đoàn viên, thành lập Công đoàn cơ sở.</p>
<p><em>Membership growth and grassroots-union founding: plans, records and reports.</em></p>
<p>Báo cáo tiến độ qua API: <code>GET /api/v1/report?plan=…&amp;unit=…&amp;as_of=…</code> (Bearer token).</p>
<p>Hôm nay: {{.Today}}</p>
</body></html>`))

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	homePage.Execute(w, map[string]string{"Today": domain.Today().VN()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

type apiError struct {
	Error  string              `json:"error"`
	Errors []domain.FieldError `json:"errors,omitempty"`
}

// user authenticates a Bearer token.
func (s *Server) user(r *http.Request) (*store.User, bool) {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || token == "" {
		return nil, false
	}
	u, err := s.Store.UserByToken(r.Context(), strings.TrimSpace(token))
	return u, err == nil
}

func (s *Server) apiReport(w http.ResponseWriter, r *http.Request) {
	u, ok := s.user(r)
	if !ok {
		writeJSON(w, http.StatusUnauthorized, apiError{Error: "unauthorized"})
		return
	}
	q := r.URL.Query()
	req := report.Request{Plan: q.Get("plan"), Unit: q.Get("unit"), AsOf: q.Get("as_of"), Campaign: q.Get("campaign")}
	if req.Unit == "" && req.Plan != "" {
		if p, err := s.Store.Plan(r.Context(), req.Plan); err == nil {
			req.Unit = p.UnitCode
		}
	}
	if req.Unit != "" {
		unit, err := s.Store.Unit(r.Context(), req.Unit)
		if err == nil && !strings.HasPrefix(unit.Path, u.UnitPath) {
			writeJSON(w, http.StatusForbidden, apiError{Error: "unit " + req.Unit + " is outside your subtree"})
			return
		}
	}
	rep, err := report.Build(r.Context(), s.Store, req)
	var ve *domain.ValidationError
	switch {
	case errors.Is(err, domain.ErrNotFound):
		writeJSON(w, http.StatusNotFound, apiError{Error: err.Error()})
	case errors.As(err, &ve):
		writeJSON(w, http.StatusUnprocessableEntity, apiError{Error: "invalid request", Errors: ve.Errors})
	case err != nil:
		s.Log.Error("report", "err", err)
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "internal error"})
	default:
		writeJSON(w, http.StatusOK, rep)
	}
}
