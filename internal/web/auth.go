package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// Cookie names.
const (
	sessionCookie = "congdoan_session"
	// loginCookie carries the CSRF token of the login form, before there is
	// a session (double submit: the form's field must equal the cookie).
	loginCookie = "congdoan_login"
)

// csrfField is the form field, and csrfHeader the header, that carry the
// session's CSRF token.
const (
	csrfField  = "csrf_token"
	csrfHeader = "X-CSRF-Token"
)

// auth is who made a request and how.
type auth struct {
	user    *store.User
	session *store.Session // nil for an API token
	sid     string         // the session ID from the cookie
	token   bool           // an Authorization header was given
}

type authKey struct{}

func authOf(r *http.Request) *auth {
	if a, ok := r.Context().Value(authKey{}).(*auth); ok {
		return a
	}
	return &auth{}
}

// currentUser is the logged-in user of the request (by session cookie or
// API token), or nil.
func currentUser(r *http.Request) *store.User { return authOf(r).user }

// csrfToken is the CSRF token forms of this request's session must carry
// (field csrf_token, or header X-CSRF-Token); "" without a session.
func csrfToken(r *http.Request) string {
	if ses := authOf(r).session; ses != nil {
		return ses.CSRF
	}
	return ""
}

// authenticate finds the user of a request: an Authorization: Bearer token
// wins over the session cookie. A request that changes something on the
// strength of the cookie must come from this site and carry the session's
// CSRF token; API calls with a token need neither (a browser does not send
// the token by itself).
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.limitBody(w, r) {
			return
		}
		a := &auth{}
		ctx := r.Context()
		if h := r.Header.Get("Authorization"); h != "" {
			a.token = true
			if tok, ok := strings.CutPrefix(h, "Bearer "); ok && strings.TrimSpace(tok) != "" {
				u, err := s.Store.UserByToken(ctx, strings.TrimSpace(tok))
				switch {
				case err == nil:
					a.user = u
				case !errors.Is(err, domain.ErrNotFound):
					s.serveError(w, r, fmt.Errorf("check an API token: %w", err))
					return
				}
			}
		} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			ses, err := s.Store.Session(ctx, c.Value)
			switch {
			case err == nil:
				a.user, a.session, a.sid = ses.User, ses, c.Value
			case !errors.Is(err, domain.ErrNotFound):
				s.serveError(w, r, fmt.Errorf("read a session: %w", err))
				return
			}
		}
		if a.session != nil && !safeMethod(r.Method) && r.URL.Path != "/login" {
			if err := s.cop.Check(r); err != nil {
				s.serveError(w, r, forbidden("cross-origin request refused"))
				return
			}
			got := r.Header.Get(csrfHeader)
			if got == "" {
				got = r.PostFormValue(csrfField)
			}
			if !sameToken(got, a.session.CSRF) {
				s.serveError(w, r, forbidden("missing or wrong CSRF token"))
				return
			}
		}
		if a.user != nil {
			w.Header().Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, authKey{}, a)))
	})
}

// limitBody bounds the body of a request by its route (a login, an
// import, any other form or JSON body), and the time to read it for all but
// imports; a form too large is refused here with 413. Without a
// MaxBytesReader Go would read 10 MB of a form; with one, its bound.
func (s *Server) limitBody(w http.ResponseWriter, r *http.Request) bool {
	limit, import_ := int64(maxFormBody), isImport(r)
	switch {
	case r.URL.Path == "/login":
		limit = maxLoginBody
	case import_:
		limit = maxImportBody
	}
	if r.ContentLength > limit {
		s.tooLarge(w, r)
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if !import_ && r.Body != http.NoBody {
		http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.ReadTimeout))
	}
	if ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); strings.TrimSpace(strings.ToLower(ct)) == "application/x-www-form-urlencoded" && !safeMethod(r.Method) {
		if err := r.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				s.tooLarge(w, r)
			} else {
				s.serveError(w, r, errText(http.StatusBadRequest, "err.bad_request"))
			}
			return false
		}
	}
	return true
}

// isImport: the routes that take a file.
func isImport(r *http.Request) bool {
	return r.Method == http.MethodPost && (r.URL.Path == "/import" || strings.HasPrefix(r.URL.Path, "/import/") ||
		strings.HasPrefix(r.URL.Path, "/api/v1/import/"))
}

// tooLarge answers 413 and closes the connection (the rest of the body is
// not read).
func (s *Server) tooLarge(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Connection", "close")
	s.serveError(w, r, errText(http.StatusRequestEntityTooLarge, "err.request_body_too_large"))
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func sameToken(got, want string) bool {
	return got != "" && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// requireLogin lets only a logged-in user through to h; others are sent to
// the login page (and back here afterwards).
func (s *Server) requireLogin(h handler) http.HandlerFunc {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		if currentUser(r) == nil {
			if safeMethod(r.Method) {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return nil
			}
			return errText(http.StatusUnauthorized, "err.please_log_in")
		}
		return h(w, r)
	})
}

// requireWrite lets only users who may change records (admins, managers)
// through to h; viewers get 403. The unit a form changes must still be
// checked with inScope.
func (s *Server) requireWrite(h handler) http.HandlerFunc {
	return s.requireLogin(func(w http.ResponseWriter, r *http.Request) error {
		if !s.canWrite(currentUser(r)) {
			return forbidden("your role only reads")
		}
		return h(w, r)
	})
}

// isTLS reports whether the browser talks HTTPS to us, directly or through
// a trusted proxy that says so (noted by secureHeaders).
func isTLS(r *http.Request) bool {
	https, _ := r.Context().Value(httpsKey{}).(bool)
	return r.TLS != nil || https
}

// cookie makes a cookie scripts cannot read, sent only by this site's
// own navigation (SameSite=Lax) and only over HTTPS when HTTPS is in use.
func cookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: isTLS(r), SameSite: http.SameSiteLaxMode}
}

// clientIP is the address failed logins are counted against.
func (s *Server) clientIP(r *http.Request) string {
	if s.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); ip != "" {
				return clip(ip, maxKeyLen)
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// localPath keeps a "next" address only when it surely stays on this
// site: an absolute path with no authority, no backslash, no control
// character or space (browsers drop tabs and newlines, and read "\\" as
// "/"), decoded or not, and still one once cleaned the way http.Redirect
// cleans it ("/./\\evil" becomes "/\\evil"). Anything else is "/".
func localPath(next string) string {
	const home = "/"
	if next == "" || len(next) > 2048 || !strings.HasPrefix(next, "/") {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return home
	}
	dec, err := url.PathUnescape(u.EscapedPath())
	if err != nil {
		return home
	}
	for _, p := range []string{next, u.Path, dec, path.Clean(u.Path), path.Clean(dec)} {
		if strings.Contains(p, "//") || strings.ContainsAny(p, "\\") {
			return home
		}
		for _, c := range p {
			if c <= ' ' || c == 0x7f || unicode.IsSpace(c) || !unicode.IsPrint(c) {
				return home
			}
		}
	}
	return next
}

// maxLoginPassword bounds the password a login compares (bytes); bcrypt
// reads 72.
const maxLoginPassword = 1024

type loginData struct {
	Next     string
	UserName string
}

// loginForm shows the login page, with a fresh login CSRF token.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	next := localPath(r.URL.Query().Get("next"))
	if a := authOf(r); a.session != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	return s.renderLogin(w, r, http.StatusOK, loginData{Next: next}, "")
}

// renderLogin shows the login form with msg, setting the login CSRF cookie
// (kept when the browser has one).
func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, d loginData, msg string) error {
	token := ""
	if c, err := r.Cookie(loginCookie); err == nil && len(c.Value) >= 32 {
		token = c.Value
	} else {
		t, err := randomToken()
		if err != nil {
			return err
		}
		token = t
	}
	http.SetCookie(w, cookie(r, loginCookie, token, 3600))
	return s.render(w, r, status, "login", Page{Title: "Đăng nhập", CSRFToken: token, Error: msg, Data: d})
}

// login checks a user name and password and opens a session.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	if err := s.cop.Check(r); err != nil {
		return forbidden("cross-origin request refused")
	}
	// Nobody is logged in yet: what of the name is echoed, logged or kept
	// is cut short (valid names have at most maxUserNameLen characters).
	name := clip(strings.TrimSpace(r.PostFormValue("username")), maxKeyLen)
	password := r.PostFormValue("password")
	d := loginData{Next: localPath(r.PostFormValue("next")), UserName: name}
	c, err := r.Cookie(loginCookie)
	if err != nil || !sameToken(r.PostFormValue(csrfField), c.Value) {
		return s.renderLogin(w, r, http.StatusForbidden, d, "Phiên đăng nhập đã hết hạn, vui lòng thử lại. / The login form expired, please try again.")
	}
	if name == "" || password == "" {
		return s.renderLogin(w, r, http.StatusUnprocessableEntity, d, "Vui lòng nhập tên đăng nhập và mật khẩu. / Enter your user name and password.")
	}
	ip := s.clientIP(r)
	if wait := s.limiter.wait(ip, name); wait > 0 {
		secs := int((wait + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", fmt.Sprint(secs))
		s.Log.Warn("login refused: too many failures from the address", "user", name, "ip", ip)
		vi, en := fmt.Sprintf("%d giây", secs), fmt.Sprintf("%d seconds", secs)
		if secs >= 120 {
			vi, en = fmt.Sprintf("%d phút", (secs+59)/60), fmt.Sprintf("%d minutes", (secs+59)/60)
		}
		return s.renderLogin(w, r, http.StatusTooManyRequests, d, fmt.Sprintf(
			"Đăng nhập sai quá nhiều lần từ địa chỉ này. Vui lòng thử lại sau %s. / Too many failed logins from this address; try again in %s.", vi, en))
	}
	var u *store.User
	err = store.ErrBadLogin
	if utf8.RuneCountInString(name) <= maxUserNameLen && len(password) <= maxLoginPassword {
		u, err = s.Store.CheckPassword(r.Context(), name, password)
	}
	if errors.Is(err, store.ErrBadLogin) {
		s.limiter.fail(ip, name)
		s.Log.Warn("login failed", "user", name, "ip", ip)
		if err := s.Store.LoginFailed(r.Context(), name, ip); err != nil {
			s.Log.Error("audit a failed login", "err", err)
		}
		return s.renderLogin(w, r, http.StatusUnauthorized, d, "Tên đăng nhập hoặc mật khẩu không đúng. / Wrong user name or password.")
	}
	if err != nil {
		return fmt.Errorf("check a password: %w", err)
	}
	s.limiter.succeed(ip, name)
	sid, _, err := s.Store.NewSession(r.Context(), u, s.SessionTTL)
	if err != nil {
		return err
	}
	if err := s.Store.Audit(r.Context(), store.AuditEntry{Actor: u.Name, Action: "session.login", UnitID: u.UnitID}); err != nil {
		s.Log.Error("audit a login", "err", err)
	}
	http.SetCookie(w, cookie(r, sessionCookie, sid, int(s.SessionTTL/time.Second)))
	http.SetCookie(w, cookie(r, loginCookie, "", -1))
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
	return nil
}

// logout ends the session (the CSRF check has passed in authenticate).
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if a := authOf(r); a.session != nil {
		if err := s.Store.DeleteSession(r.Context(), a.sid); err != nil {
			return err
		}
		if err := s.Store.Audit(r.Context(), store.AuditEntry{Actor: a.user.Name, Action: "session.logout", UnitID: a.user.UnitID}); err != nil {
			s.Log.Error("audit a logout", "err", err)
		}
	}
	http.SetCookie(w, cookie(r, sessionCookie, "", -1))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
