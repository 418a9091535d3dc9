package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"congdoan/internal/store"
)

func sessionCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == "congdoan_session" {
			return c
		}
	}
	return nil
}

// The login page, Vietnamese first; logging in and out; the session
// cookie's flags; pages need a login.
func TestLogin(t *testing.T) {
	t.Parallel()
	eachFixture(t, newFixture, func(t *testing.T, st *store.Store, f *fixture) {

		t.Run("home needs a login", func(t *testing.T) {
			resp, _ := f.browser().get("/")
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?next=%2F" {
				t.Errorf("%d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
		})
		t.Run("unknown pages", func(t *testing.T) {
			resp, page := f.browser().get("/khong-co")
			if resp.StatusCode != 404 || !strings.Contains(page, "Không tìm thấy") {
				t.Errorf("%d %s", resp.StatusCode, page)
			}
			if status, b := f.get("/api/v1/khong-co", "admin"); status != 404 || !strings.Contains(string(b), `"error"`) {
				t.Errorf("%d %s", status, b)
			}
		})
		t.Run("login page", func(t *testing.T) {
			resp, page := f.browser().get("/login")
			if resp.StatusCode != 200 {
				t.Fatal(resp.StatusCode)
			}
			for _, s := range []string{`lang="vi"`, "Đăng nhập", "Tên đăng nhập", "Mật khẩu", `name="csrf_token"`, `type="password"`} {
				if !strings.Contains(page, s) {
					t.Errorf("the login page lacks %q", s)
				}
			}
			if h := resp.Header.Get("X-Frame-Options"); h != "DENY" {
				t.Errorf("X-Frame-Options %q", h)
			}
		})
		t.Run("success", func(t *testing.T) {
			b := f.browser()
			_, page := b.get("/login?next=/api/v1/units/CG-A")
			resp, _ := b.postForm("/login", url.Values{"username": {"lan"}, "password": {password}, "csrf_token": {formToken(t, page)},
				"next": {"/api/v1/units/CG-A"}})
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/api/v1/units/CG-A" {
				t.Fatalf("login: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
			c := sessionCookie(resp)
			if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Path != "/" || len(c.Value) < 40 {
				t.Fatalf("session cookie %+v", c)
			}
			resp, home := b.get("/")
			if resp.StatusCode != 200 || !strings.Contains(home, "lan") || !strings.Contains(home, "Đăng xuất") {
				t.Errorf("home: %d %s", resp.StatusCode, home)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q", cc)
			}
			// The session works for the API too, within the user's subtree.
			if resp, _ := b.get("/api/v1/units/CG-A"); resp.StatusCode != 200 {
				t.Errorf("API with the session: %d", resp.StatusCode)
			}
			if resp, _ := b.get("/api/v1/units/HN"); resp.StatusCode != 403 {
				t.Errorf("API above the user: %d", resp.StatusCode)
			}
			// An already logged-in browser skips the form.
			if resp, _ := b.get("/login"); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("login page when logged in: %d", resp.StatusCode)
			}
			// Logging out ends the session on the server.
			resp, _ = b.postForm("/logout", url.Values{"csrf_token": {b.csrf()}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("logout: %d", resp.StatusCode)
			}
			if resp, _ := b.get("/"); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("home after logout: %d", resp.StatusCode)
			}
			if _, err := st.Session(ctx, c.Value); err == nil {
				t.Error("the session outlived the logout")
			}
		})
		t.Run("secure cookie behind HTTPS", func(t *testing.T) {
			b := f.browser()
			b.hdr.Set("X-Forwarded-Proto", "https")
			_, page := b.get("/login")
			resp, _ := b.postForm("/login", url.Values{"username": {"admin"}, "password": {password}, "csrf_token": {formToken(t, page)}})
			if c := sessionCookie(resp); c == nil || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("session cookie %+v", c)
			}
		})
		t.Run("open redirect refused", func(t *testing.T) {
			b := f.browser()
			b.hdr.Set("X-Forwarded-For", "10.0.0.9")
			_, page := b.get("/login")
			resp, _ := b.postForm("/login", url.Values{"username": {"xem"}, "password": {password}, "csrf_token": {formToken(t, page)},
				"next": {"//evil.example/"}})
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
				t.Errorf("%d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
		})
		t.Run("failure", func(t *testing.T) {
			b := f.browser()
			b.hdr.Set("X-Forwarded-For", "10.0.0.1")
			for _, c := range []struct{ user, pass string }{{"lan", "wrong password"}, {"nobody", password}} {
				_, page := b.get("/login")
				resp, out := b.postForm("/login", url.Values{"username": {c.user}, "password": {c.pass}, "csrf_token": {formToken(t, page)}})
				if resp.StatusCode != http.StatusUnauthorized || sessionCookie(resp) != nil || !strings.Contains(out, "không đúng") {
					t.Errorf("%s: %d", c.user, resp.StatusCode)
				}
			}
		})
		t.Run("login form without its token", func(t *testing.T) {
			b := f.browser()
			resp, _ := b.postForm("/login", url.Values{"username": {"lan"}, "password": {password}})
			if resp.StatusCode != http.StatusForbidden || sessionCookie(resp) != nil {
				t.Errorf("%d", resp.StatusCode)
			}
		})
	})
}

// Failed logins slow their address down and never lock a user out:
// TestLoginSlowdown (security_test.go).

// Every change made on the strength of the session cookie carries the
// session's CSRF token; API calls with a Bearer token need none.
func TestCSRF(t *testing.T) {
	t.Parallel()
	eachFixture(t, newFixture, func(t *testing.T, st *store.Store, f *fixture) {
		b := f.browser()
		b.hdr.Set("X-Forwarded-For", "10.3.0.1")
		if resp := b.login("lan", password); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: %d", resp.StatusCode)
		}
		token := b.csrf()
		member := func(nid string) string {
			return `{"national_id":"` + nid + `","full_name":"Ngô Thị Hoa","date_of_birth":"1995-06-01","gender":"female","unit_code":"CG-A","joined_on":"2022-06-01"}`
		}
		cases := []struct {
			name   string
			method string
			path   string
			body   string
			ctype  string
			hdr    http.Header
			want   int
		}{
			{"logout without token", "POST", "/logout", "", "application/x-www-form-urlencoded", nil, 403},
			{"logout with a wrong token", "POST", "/logout", "csrf_token=" + url.QueryEscape(token+"x"), "application/x-www-form-urlencoded", nil, 403},
			{"API write without token", "POST", "/api/v1/members", member("001195000501"), "application/json", nil, 403},
			{"API write with the token", "POST", "/api/v1/members", member("001195000502"), "application/json", http.Header{"X-Csrf-Token": {token}}, 201},
			{"cross-site write with the token", "POST", "/api/v1/members", member("001195000503"), "application/json",
				http.Header{"X-Csrf-Token": {token}, "Origin": {"https://evil.example"}, "Sec-Fetch-Site": {"cross-site"}}, 403},
			{"reads need no token", "GET", "/api/v1/members", "", "", nil, 200},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				resp, out := b.do(c.method, c.path, strings.NewReader(c.body), c.ctype, c.hdr)
				if resp.StatusCode != c.want {
					t.Errorf("%d, want %d: %s", resp.StatusCode, c.want, out)
				}
			})
		}
		// Still logged in: the refused logouts did nothing.
		if resp, _ := b.get("/"); resp.StatusCode != 200 {
			t.Errorf("home: %d", resp.StatusCode)
		}
		// A token call needs no CSRF token, even with a stray cookie.
		status, body := f.call("POST", "/api/v1/members", "lan", strings.NewReader(member("001195000504")), "application/json")
		if status != 201 {
			t.Errorf("token call: %d %s", status, body)
		}
	})
}
