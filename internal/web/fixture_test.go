package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"congdoan/internal/importer"
	"congdoan/internal/store"
	"congdoan/internal/web"
)

var ctx = context.Background()

// password is every fixture user's password.
const password = "mật-khẩu-Hà-Nội-2022"

// fixture is the real application on a real database, served on a local
// port, loaded with testdata/ and four users with API tokens.
type fixture struct {
	t      *testing.T
	st     *store.Store
	srv    *httptest.Server
	tokens map[string]string // user name -> API token
	logs   *syncBuffer
}

// users of testdata/README.md: name -> role, unit.
var users = map[string][2]string{
	"admin": {"admin", "HN"},
	"lan":   {"manager", "HN-CG"},
	"xem":   {"viewer", "HN-CG"},
	"binh":  {"manager", "HN-BD"},
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newFixture(t *testing.T, st *store.Store) *fixture {
	t.Helper()
	return newFixtureWith(t, st, nil)
}

// newFixtureWith is newFixture with the server's settings changed by
// config (nil: none).
func newFixtureWith(t *testing.T, st *store.Store, config func(*web.Server)) *fixture {
	t.Helper()
	if _, filled := holdsTestdata.Load(st); !filled {
		if err := importTestdata(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{t: t, st: st, tokens: map[string]string{}, logs: &syncBuffer{}}
	for name, ru := range users {
		f.addUser(name, ru[0], ru[1])
	}
	app := &web.Server{Store: st, Log: slog.New(slog.NewTextHandler(f.logs, nil)), TrustProxy: true}
	if config != nil {
		config(app)
	}
	f.srv = httptest.NewServer(app.Handler())
	t.Cleanup(f.srv.Close)
	// Passwords and tokens never reach the log.
	t.Cleanup(func() {
		logs := f.logs.String()
		for _, secret := range append([]string{password}, values(f.tokens)...) {
			if strings.Contains(logs, secret) {
				t.Errorf("a secret is in the log:\n%s", logs)
			}
		}
	})
	return f
}

// importTestdata imports testdata/ as newFixture's data.
func importTestdata(ctx context.Context, st *store.Store) error {
	im := &importer.Importer{Store: st}
	for _, kind := range []string{"units", "members", "plans", "targets"} {
		if _, err := im.File(ctx, kind, filepath.Join("testdata", kind+".csv"), kind+".csv"); err != nil {
			return fmt.Errorf("import %s: %w", kind, err)
		}
	}
	return nil
}

// holdsTestdata holds the stores eachFixture opened with testdata/ already
// imported (storetest.EachFilled), which newFixture does not import again.
var holdsTestdata sync.Map // *store.Store -> true

func values(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// call makes an API call as user ("" for no token, anything not a user
// for a bad token) and returns the status and body.
func (f *fixture) call(method, path, user string, body io.Reader, contentType string) (int, []byte) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, body)
	if err != nil {
		f.t.Fatal(err)
	}
	if user != "" {
		tok, ok := f.tokens[user]
		if !ok {
			tok = "cd_not-a-token"
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (f *fixture) get(path, user string) (int, []byte) { return f.call("GET", path, user, nil, "") }

func (f *fixture) postJSON(path, user string, v any) (int, []byte) {
	b, err := json.Marshal(v)
	if err != nil {
		f.t.Fatal(err)
	}
	return f.call("POST", path, user, bytes.NewReader(b), "application/json")
}

// upload posts content as the multipart field "file" named filename.
func (f *fixture) upload(kind, user, filename, content string) (int, []byte) {
	body, ct := multipartFile(f.t, filename, content)
	return f.call("POST", "/api/v1/import/"+kind, user, body, ct)
}

func multipartFile(t *testing.T, filename, content string) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(content))
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func (f *fixture) memberCount() int {
	f.t.Helper()
	n, err := f.st.CountMembers(ctx, store.MemberFilter{}, 0)
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// browser is a cookie-keeping client that does not follow redirects.
type browser struct {
	f   *fixture
	c   *http.Client
	hdr http.Header // sent with every request
}

func (f *fixture) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{f: f, hdr: http.Header{}, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (b *browser) do(method, path string, body io.Reader, contentType string, hdr http.Header) (*http.Response, string) {
	b.f.t.Helper()
	req, err := http.NewRequest(method, b.f.srv.URL+path, body)
	if err != nil {
		b.f.t.Fatal(err)
	}
	for k, v := range b.hdr {
		req.Header[k] = v
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.f.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, string(out)
}

func (b *browser) get(path string) (*http.Response, string) { return b.do("GET", path, nil, "", nil) }

func (b *browser) postForm(path string, form url.Values) (*http.Response, string) {
	return b.do("POST", path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded", nil)
}

// formToken is the CSRF token of the first form of a page.
func formToken(t *testing.T, page string) string {
	t.Helper()
	return fieldValue(t, page, "csrf_token")
}

// fieldValue is the value of the first input named name of a page.
func fieldValue(t *testing.T, page, name string) string {
	t.Helper()
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no %s in the page:\n%.2000s", name, page)
	}
	return m[1]
}

// login logs the browser in as user, returning the page's CSRF token
// afterwards.
func (b *browser) login(user, pass string) *http.Response {
	b.f.t.Helper()
	_, page := b.get("/login")
	resp, _ := b.postForm("/login", url.Values{"username": {user}, "password": {pass}, "csrf_token": {formToken(b.f.t, page)}})
	return resp
}

// csrf is the CSRF token of the logged-in browser's pages.
func (b *browser) csrf() string {
	b.f.t.Helper()
	resp, page := b.get("/")
	if resp.StatusCode != 200 {
		b.f.t.Fatalf("home: %d", resp.StatusCode)
	}
	return formToken(b.f.t, page)
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return v
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }
