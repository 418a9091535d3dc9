// Package web serves Congdoan over HTTP: the health check, login and
// sessions, the pages and the JSON API of INTERFACE.md. Every handler checks
// on the server that the user may see or change the unit it touches.
//
// What a page handler has at hand:
//   - currentUser(r) is the logged-in user (session cookie or API token);
//     s.requireLogin(h) and s.requireWrite(h) guard a handler;
//   - s.inScope(user, unit) and s.canWrite(user) decide what the user may
//     read and change; s.scopedUnit(r, user, code) looks a unit up with
//     both checks (not found / forbidden errors); s.importAllow(user) is the
//     importer's hook for forms that write;
//   - s.render(w, r, status, "NAME", Page{...}) renders templates/NAME.html
//     (which defines "title" and "content") inside templates/layout.html;
//     every form carries {{template "csrf" .}}, checked by authenticate on
//     every POST made with the session cookie (csrfToken(r) is the value);
//   - s.errorPage, s.forbidden and s.fail answer errors without internals
//     (fail logs the error); redirect with 303 after a successful POST.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"congdoan/internal/store"
)

// Server is the HTTP application.
type Server struct {
	Store *store.Store
	Log   *slog.Logger
	// SessionTTL is how long a login lasts; zero: 12 hours.
	SessionTTL time.Duration
	// TrustProxy takes the client's address from the last X-Forwarded-For
	// entry, for a server behind a reverse proxy; the login limits count
	// failures per address.
	TrustProxy bool
	// LoginFailures is how many failed logins a user name may have in
	// LoginWindow before its logins are refused (default 5 in 15 minutes);
	// an address may have four times as many.
	LoginFailures int
	LoginWindow   time.Duration

	init    sync.Once
	limiter *loginLimiter
	cop     *http.CrossOriginProtection
}

const defaultSessionTTL = 12 * time.Hour

func (s *Server) setup() {
	s.init.Do(func() {
		if s.Log == nil {
			s.Log = slog.Default()
		}
		if s.SessionTTL <= 0 {
			s.SessionTTL = defaultSessionTTL
		}
		n, win := s.LoginFailures, s.LoginWindow
		if n <= 0 {
			n = 5
		}
		if win <= 0 {
			win = 15 * time.Minute
		}
		s.limiter = newLoginLimiter(n, win)
		s.cop = http.NewCrossOriginProtection()
	})
}

// Handler returns the routes.
func (s *Server) Handler() http.Handler {
	s.setup()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})

	// Pages.
	mux.HandleFunc("GET /{$}", s.requireLogin(s.dashboard))
	mux.HandleFunc("GET /lang/{lang}", s.setLang)
	mux.HandleFunc("GET /report/{ext}", s.requireLogin(s.reportDownload))
	mux.HandleFunc("GET /units", s.requireLogin(s.units))
	mux.HandleFunc("GET /units/{code}", s.requireLogin(s.unitPage))
	mux.HandleFunc("GET /units/{code}/found", s.requireWrite(s.foundForm))
	mux.HandleFunc("POST /units/{code}/found", s.requireWrite(s.foundCreate))
	mux.HandleFunc("GET /units/{code}/dissolve", s.requireWrite(s.dissolveForm))
	mux.HandleFunc("POST /units/{code}/dissolve", s.requireWrite(s.dissolveSave))
	mux.HandleFunc("POST /units/{code}/move", s.requireWrite(s.moveSave))
	mux.HandleFunc("GET /units/{code}/move-children", s.requireWrite(s.bulkForm))
	mux.HandleFunc("POST /units/{code}/move-children", s.requireWrite(s.bulkSave))
	mux.HandleFunc("GET /enterprises", s.requireLogin(s.enterprises))
	mux.HandleFunc("GET /enterprises/gap", s.requireLogin(s.gap))
	mux.HandleFunc("GET /plans", s.requireLogin(s.plans))
	mux.HandleFunc("POST /plans", s.requireWrite(s.planCreate))
	mux.HandleFunc("GET /plans/{code}", s.requireLogin(s.plan))
	mux.HandleFunc("POST /plans/{code}", s.requireWrite(s.planSave))
	mux.HandleFunc("POST /plans/{code}/targets", s.requireWrite(s.targetsSave))
	mux.HandleFunc("GET /plans/{code}/campaigns", s.requireLogin(s.campaigns))
	mux.HandleFunc("POST /plans/{code}/campaigns", s.requireWrite(s.campaignSave))
	mux.HandleFunc("GET /import", s.requireWrite(s.importPage))
	mux.HandleFunc("POST /import", s.requireWrite(s.importUpload))
	mux.HandleFunc("GET /audit", s.requireWrite(s.auditPage))
	mux.HandleFunc("GET /users", s.requireAdmin(s.users))
	mux.HandleFunc("POST /users", s.requireAdmin(s.userCreate))
	mux.HandleFunc("GET /members", s.requireLogin(s.members))
	mux.HandleFunc("GET /members/new", s.requireWrite(s.memberNew))
	mux.HandleFunc("POST /members/new", s.requireWrite(s.memberCreate))
	mux.HandleFunc("GET /members/{id}", s.requireLogin(s.member))
	mux.HandleFunc("POST /members/{id}/leave", s.requireWrite(s.memberLeave))
	mux.HandleFunc("POST /members/{id}/transfer", s.requireWrite(s.memberTransfer))
	mux.HandleFunc("POST /members/{id}/party", s.requireWrite(s.memberParty))
	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.logout)
	s.downloadRoutes(mux)

	// The API (INTERFACE.md), with Bearer tokens or the session cookie.
	mux.HandleFunc("GET /api/v1/report", s.apiReport)
	mux.HandleFunc("GET /api/v1/units/{code}", s.apiUnit)
	mux.HandleFunc("GET /api/v1/members", s.apiMembers)
	mux.HandleFunc("POST /api/v1/members", s.apiMemberSave)
	mux.HandleFunc("POST /api/v1/import/{kind}", s.apiImport)
	mux.HandleFunc("GET /api/v1/audit", s.apiAudit)

	// Anything else: a 404 page (JSON under /api/).
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, http.StatusNotFound, "Không tìm thấy trang này.", "not found")
	})

	app := s.authenticate(mux)
	// Static files need no session: they skip the database.
	static := http.HandlerFunc(s.serveStatic)
	return s.secureHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if name, ok := strings.CutPrefix(r.URL.Path, "/static/"); ok && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			r.SetPathValue("name", name)
			static.ServeHTTP(w, r)
			return
		}
		app.ServeHTTP(w, r)
	}))
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

// secureHeaders sets the headers every response carries.
func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		next.ServeHTTP(w, r)
	})
}
