package web

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/store"
	"congdoan/internal/vn"
)

//go:embed templates
var templateFS embed.FS

// Page is the dot of every page template: the layout reads Title, User,
// CSRFToken and Error; the page's own part reads Data.
type Page struct {
	Title string
	// User is the logged-in user, nil on the login page; render fills it.
	User *store.User
	// CSRFToken goes into every form as the hidden field csrf_token
	// ({{template "csrf" .}}); render fills it from the session.
	CSRFToken string
	// Error is a message shown above the content.
	Error string
	Data  any
	// Lang is the page's language ("vi", "en"); render fills it from the
	// language cookie.
	Lang string
	// Nav names the menu entry the page belongs to.
	Nav string
	// Flash is a success message, shown after the redirect that follows a
	// saved form.
	Flash string
	// Path is the page's address, for the language switch to come back to;
	// render fills it.
	Path string
}

var templateFuncs = template.FuncMap{
	"vnInt":     vn.Int,
	"vnPercent": vn.Percent,
	"vnDate":    func(d domain.Date) string { return d.VN() },
	"roleVI":    roleVI,
	"deref": func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	},
	"list": func(xs ...string) []string { return xs },
	"sub":  func(a, b int64) int64 { return a - b },
	"int":  func(n int64) int { return int(n) },
	"deref64": func(p *int64) int64 {
		if p == nil {
			return 0
		}
		return *p
	},
	"monthYear": func(d domain.Date) string { y, m, _ := d.Parts(); return fmt.Sprintf("%d/%d", m, y) },
}

func roleVI(role string) string {
	switch role {
	case "admin":
		return "Quản trị"
	case "manager":
		return "Cán bộ phụ trách"
	case "viewer":
		return "Xem báo cáo"
	}
	return role
}

// pages holds every page parsed once: templates/layout.html with one of
// the other templates/*.html files, which defines "title" and "content".
var pages = parsePages()

func parsePages() map[string]*template.Template {
	out := map[string]*template.Template{}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" {
			continue
		}
		out[name] = template.Must(template.New(name).Funcs(templateFuncs).ParseFS(templateFS, "templates/layout.html", f))
	}
	return out
}

// render writes the page name with status, rendered into a buffer first so
// that a template error becomes a clean error page (the error it returns),
// never half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p Page) error {
	t := pages[name]
	if t == nil {
		return fmt.Errorf("no template %q", name)
	}
	if p.User == nil {
		p.User = currentUser(r)
	}
	if p.CSRFToken == "" {
		p.CSRFToken = csrfToken(r)
	}
	p.Lang = langOf(r)
	if p.Path == "" && r.Method == http.MethodGet {
		p.Path = r.URL.RequestURI()
	}
	if p.Flash == "" {
		if k := r.URL.Query().Get("saved"); k != "" {
			if msg, ok := locales[p.Lang]["flash."+k]; ok {
				p.Flash = msg
			}
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
	return nil
}

type errorData struct {
	Status   int
	Message  string
	LoggedIn bool
}

// errorPage answers with an error page, or JSON under /api/ (en, for the
// programs that call the API). The page says the message once, in the
// user's language only: vi, or en capitalised. The messages are for the
// user: never an internal error's text.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, vi, en string) {
	if isAPI(r) {
		writeJSON(w, status, apiError{Error: en})
		return
	}
	t := pages["error"]
	var buf bytes.Buffer
	lang := langOf(r)
	message := vi
	if lang == langEN {
		message = upperFirst(en)
	}
	err := t.ExecuteTemplate(&buf, "layout", Page{Title: http.StatusText(status), User: currentUser(r), CSRFToken: csrfToken(r), Lang: lang,
		Data: errorData{Status: status, Message: message, LoggedIn: currentUser(r) != nil}})
	if err != nil {
		s.Log.Error("render the error page", "err", err)
		http.Error(w, http.StatusText(status), status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// retryAfter is the Retry-After of a 503 (seconds).
const retryAfter = "5"

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":"internal error"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// randomToken is 32 random bytes, base64url-encoded.
func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
