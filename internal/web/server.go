// Package web serves Congdoan over HTTP: the health check, login and
// sessions, the pages and the JSON API of docs/interfaces.md. Every handler checks
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
//   - a handler is a func(w, r) error: it returns the error and
//     s.serveError answers it with the status of internal/fault's table
//     (the page or the API's JSON, without internals; unexpected errors
//     are logged); redirect with 303 after a successful POST.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
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
	// TrustProxy, for a server behind a reverse proxy (serve
	// --trust-proxy), takes the client's address from the last
	// X-Forwarded-For entry and HTTPS from X-Forwarded-Proto; without it
	// both headers are ignored.
	TrustProxy bool
	// LoginFailures is how many failed logins a user name may have from
	// one address before each further attempt from there waits
	// LoginDelay, doubling with every failure (defaults 5 and 1 s); an
	// address may have four times as many failures over all names. The
	// delay is at most LoginWindow, after which without failures the
	// counts are forgotten (default 15 minutes). Nobody is locked out.
	LoginFailures int
	LoginDelay    time.Duration
	LoginWindow   time.Duration
	// LookupLimit is how many national IDs of members outside their
	// subtree a user may run into per hour on the admission form and the
	// API (default 20); past it the look-ups answer 429.
	LookupLimit int
	// ReadTimeout bounds the reading of a request's body, except an
	// import's (ImportReadTimeout); WriteTimeout the whole answer;
	// IdleTimeout a kept-alive connection between requests. Defaults:
	// 30 s, 5 min, 10 min, 2 min.
	ReadTimeout, ImportReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// MaxConnsPerAddr caps the open connections of one client address
	// (Serve); default 64, or none with TrustProxy (every client then
	// comes from the proxy's address); negative: no cap.
	MaxConnsPerAddr int
	// BaseURL is the address people use (https://congdoan.example.vn):
	// its origin is trusted for forms, and with https the cookies are
	// Secure even behind a proxy that does not say so.
	BaseURL string
	// MetricsToken, when set, is the bearer token /metrics asks for.
	MetricsToken string
	// AccessLog, when set, logs every request (ops.go: never a query
	// string's values, a token, a password or an ID number).
	AccessLog *slog.Logger
	// TLSCert and TLSKey are the files of the certificate and key Serve
	// answers HTTPS with (none: plain HTTP).
	TLSCert, TLSKey string
	// ShutdownTimeout is how long Serve lets the requests in flight finish
	// when its context ends (default 30 s).
	ShutdownTimeout time.Duration

	opsOnce sync.Once
	ops     *ops
	init    sync.Once
	limiter *loginLimiter
	lookups *counter
	cop     *http.CrossOriginProtection
}

// Bounds of request bodies: a login, any other form or JSON body, an
// imported file (multipart).
const (
	maxLoginBody  = 16 << 10
	maxFormBody   = 1 << 20
	maxImportBody = 256 << 20
)

const defaultSessionTTL = 12 * time.Hour

func (s *Server) setup() {
	s.init.Do(func() {
		if s.Log == nil {
			s.Log = slog.Default()
		}
		if s.SessionTTL <= 0 {
			s.SessionTTL = defaultSessionTTL
		}
		n, delay, win := s.LoginFailures, s.LoginDelay, s.LoginWindow
		if n <= 0 {
			n = 5
		}
		if delay <= 0 {
			delay = time.Second
		}
		if win <= 0 {
			win = 15 * time.Minute
		}
		s.limiter = newLoginLimiter(n, delay, win)
		if s.LookupLimit <= 0 {
			s.LookupLimit = 20
		}
		s.lookups = newCounter(s.LookupLimit, time.Hour)
		setDefault(&s.ReadTimeout, 30*time.Second)
		setDefault(&s.ImportReadTimeout, 5*time.Minute)
		setDefault(&s.WriteTimeout, 10*time.Minute)
		setDefault(&s.IdleTimeout, 2*time.Minute)
		if s.MaxConnsPerAddr == 0 && !s.TrustProxy {
			s.MaxConnsPerAddr = 64
		}
		s.cop = http.NewCrossOriginProtection()
		if u, err := url.Parse(s.BaseURL); err == nil && u.Scheme != "" && u.Host != "" {
			s.cop.AddTrustedOrigin(u.Scheme + "://" + u.Host)
		}
		setDefault(&s.ShutdownTimeout, 30*time.Second)
	})
}

// Handler returns the routes.
func (s *Server) Handler() http.Handler {
	s.setup()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)

	// Pages.
	mux.HandleFunc("GET /{$}", s.requireLogin(s.dashboard))
	mux.HandleFunc("GET /lang/{lang}", s.handle(s.setLang))
	mux.HandleFunc("GET /report/letter", s.requireLogin(s.reportLetter))
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
	mux.HandleFunc("POST /users/{name}/unlock", s.requireAdmin(s.userUnlock))
	mux.HandleFunc("GET /account", s.requireLogin(s.account))
	mux.HandleFunc("POST /account/password", s.requireLogin(s.accountPassword))
	mux.HandleFunc("POST /account/tokens", s.requireLogin(s.accountTokenCreate))
	mux.HandleFunc("POST /account/tokens/{id}/revoke", s.requireLogin(s.accountTokenRevoke))
	mux.HandleFunc("GET /members", s.requireLogin(s.members))
	mux.HandleFunc("GET /members/new", s.requireWrite(s.memberNew))
	mux.HandleFunc("POST /members/new", s.requireWrite(s.memberCreate))
	mux.HandleFunc("GET /members/{id}", s.requireLogin(s.member))
	mux.HandleFunc("POST /members/{id}/leave", s.requireWrite(s.memberLeave))
	mux.HandleFunc("POST /members/{id}/transfer", s.requireWrite(s.memberTransfer))
	mux.HandleFunc("POST /members/{id}/party", s.requireWrite(s.memberParty))
	// Edit forms and the unit picker (member_edit.go, member_undo.go,
	// unit_edit.go, enterprise_edit.go, user_edit.go, unit_picker.go).
	mux.HandleFunc("GET /members/{id}/edit", s.requireWrite(s.memberEdit))
	mux.HandleFunc("POST /members/{id}/edit", s.requireWrite(s.memberUpdate))
	mux.HandleFunc("GET /members/{id}/undo", s.requireWrite(s.memberUndoForm))
	mux.HandleFunc("POST /members/{id}/undo", s.requireWrite(s.memberUndo))
	mux.HandleFunc("GET /units/{code}/edit", s.requireWrite(s.unitEdit))
	mux.HandleFunc("POST /units/{code}/edit", s.requireWrite(s.unitUpdate))
	mux.HandleFunc("GET /units/pick", s.requireLogin(s.unitPick))
	mux.HandleFunc("GET /enterprises/new", s.requireWrite(s.enterpriseNew))
	mux.HandleFunc("POST /enterprises/new", s.requireWrite(s.enterpriseCreate))
	mux.HandleFunc("GET /enterprises/{tax}/edit", s.requireWrite(s.enterpriseEdit))
	mux.HandleFunc("POST /enterprises/{tax}/edit", s.requireWrite(s.enterpriseUpdate))
	mux.HandleFunc("GET /users/{name}/edit", s.requireAdmin(s.userEdit))
	mux.HandleFunc("POST /users/{name}/edit", s.requireAdmin(s.userUpdate))
	mux.HandleFunc("POST /users/{name}/disable", s.requireAdmin(s.userDisable))
	mux.HandleFunc("POST /users/{name}/enable", s.requireAdmin(s.userEnable))
	mux.HandleFunc("POST /users/{name}/password", s.requireAdmin(s.userPassword))
	mux.HandleFunc("GET /help", s.requireLogin(s.helpIndex))
	mux.HandleFunc("GET /help/{topic}", s.requireLogin(s.helpPage))
	mux.HandleFunc("GET /login", s.handle(s.loginForm))
	mux.HandleFunc("POST /login", s.handle(s.login))
	mux.HandleFunc("POST /logout", s.handle(s.logout))
	// The downloads (page_download.go).
	mux.HandleFunc("GET /import/template/{kind}", s.requireLogin(s.templateDownload))
	mux.HandleFunc("GET /download/{file}", s.requireLogin(s.listDownload))
	// The organising pipeline and self-service joining (organising_*.go, join_*.go).
	s.organisingRoutes(mux)

	// The API (docs/interfaces.md), with Bearer tokens or the session cookie.
	mux.HandleFunc("GET /api/v1/report", s.api(s.apiReport))
	mux.HandleFunc("GET /api/v1/units/{code}", s.api(s.apiUnit))
	mux.HandleFunc("GET /api/v1/members", s.api(s.apiMembers))
	mux.HandleFunc("POST /api/v1/members", s.apiWrite(s.apiMemberSave))
	mux.HandleFunc("POST /api/v1/import/{kind}", s.apiWrite(s.apiImport))
	mux.HandleFunc("GET /api/v1/audit", s.apiWrite(s.apiAudit))

	// Anything else: a 404 page (JSON under /api/).
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.serveError(w, r, errText(http.StatusNotFound, "error.page_not_found"))
	})

	app := s.authenticate(s.collaboratorGate(s.readYourWrites(mux)))
	// Static files need no session: they skip the database.
	static := http.HandlerFunc(s.serveStatic)
	return s.observe(mux, s.secureHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if name, ok := strings.CutPrefix(r.URL.Path, "/static/"); ok && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			r.SetPathValue("name", name)
			static.ServeHTTP(w, r)
			return
		}
		if r.URL.Path == "/metrics" && r.Method == http.MethodGet {
			s.metrics(w, r)
			return
		}
		app.ServeHTTP(w, r)
	})))
}

func setDefault(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}

// healthz answers GET /healthz: "ok" when the database answers within two
// seconds, 503 otherwise.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.Store.Ping(r.Context(), 2*time.Second); err != nil {
		s.Log.Warn("health check: the database does not answer", "err", err)
		w.Header().Set("Retry-After", retryAfter)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable\n"))
		return
	}
	w.Write([]byte("ok\n"))
	if lines, _ := s.replicaHealth(); len(lines) > 0 {
		w.Write([]byte(strings.Join(lines, "\n") + "\n"))
	}
}

// Serve serves on ln until ctx ends, with the timeouts and the cap on
// connections per address of s, over HTTPS when TLSCert and TLSKey are
// set. When ctx ends it stops accepting connections and returns once the
// requests in flight have finished (at most ShutdownTimeout).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	return s.serve(ctx, ln, s.Handler())
}

func (s *Server) serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	s.setup()
	if s.MaxConnsPerAddr > 0 {
		ln = LimitConnsPerAddr(ln, s.MaxConnsPerAddr)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: s.ImportReadTimeout,
		WriteTimeout: s.WriteTimeout, IdleTimeout: s.IdleTimeout, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(s.Log.Handler(), slog.LevelWarn)}
	stopped := make(chan error, 1)
	go func() {
		<-ctx.Done()
		s.Log.Info("shutting down: finishing the requests in flight", "timeout", s.ShutdownTimeout.String())
		shut, cancel := context.WithTimeout(context.Background(), s.ShutdownTimeout)
		defer cancel()
		stopped <- srv.Shutdown(shut)
	}()
	var err error
	if s.TLSCert != "" || s.TLSKey != "" {
		err = srv.ServeTLS(ln, s.TLSCert, s.TLSKey)
	} else {
		err = srv.Serve(ln)
	}
	if !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if err := <-stopped; err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	s.Log.Info("stopped")
	return nil
}

// secureHeaders sets the headers every response carries, and notes
// whether the browser talks HTTPS to us (directly, or through a trusted
// proxy that says so): then Strict-Transport-Security too.
func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if r.TLS != nil || strings.HasPrefix(s.BaseURL, "https://") || (s.TrustProxy && strings.EqualFold(strings.TrimSpace(r.Header.Get("X-Forwarded-Proto")), "https")) {
			r = r.WithContext(context.WithValue(r.Context(), httpsKey{}, true))
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		next.ServeHTTP(w, r)
	})
}

// httpsKey marks in a request's context that the browser uses HTTPS.
type httpsKey struct{}

// LimitConnsPerAddr wraps ln so that each client address has at most max
// connections open at once: a further one is closed as soon as accepted.
func LimitConnsPerAddr(ln net.Listener, max int) net.Listener {
	return &connLimiter{Listener: ln, max: max, open: map[string]int{}}
}

type connLimiter struct {
	net.Listener
	max  int
	mu   sync.Mutex
	open map[string]int
}

func (l *connLimiter) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		host := c.RemoteAddr().String()
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		l.mu.Lock()
		if l.open[host] >= l.max {
			l.mu.Unlock()
			c.Close()
			continue
		}
		l.open[host]++
		l.mu.Unlock()
		return &limitedConn{Conn: c, l: l, host: host}, nil
	}
}

type limitedConn struct {
	net.Conn
	l    *connLimiter
	host string
	once sync.Once
}

func (c *limitedConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		if c.l.open[c.host]--; c.l.open[c.host] <= 0 {
			delete(c.l.open, c.host)
		}
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}
