package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"congdoan/internal/store"
	"congdoan/internal/storetest"
	"congdoan/internal/web"
)

// Bodies are capped on every route, /login first (Go's own 10 MB form
// limit must not be lifted), and nothing sent by nobody is echoed or
// logged whole.
func TestRequestLimits(t *testing.T) {
	t.Parallel()
	eachFixture(t, newFixture, func(t *testing.T, st *store.Store, f *fixture) {
		t.Run("login body", func(t *testing.T) {
			b := f.browser()
			_, page := b.get("/login")
			body := "csrf_token=" + formToken(t, page) + "&password=x&username=" + strings.Repeat("a", 11<<20)
			resp, _ := b.do("POST", "/login", strings.NewReader(body), "application/x-www-form-urlencoded", nil)
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("an 11 MB login: %d, want 413", resp.StatusCode)
			}
			body = "csrf_token=" + formToken(t, page) + "&password=x&username=" + strings.Repeat("b", 20<<10)
			resp, _ = b.do("POST", "/login", strings.NewReader(body), "application/x-www-form-urlencoded", nil)
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("a 20 KB login: %d, want 413", resp.StatusCode)
			}
		})
		t.Run("long user name cut short", func(t *testing.T) {
			b := f.browser()
			b.hdr.Set("X-Forwarded-For", "10.60.0.1")
			_, page := b.get("/login")
			name := "z" + strings.Repeat("ê", 1000)
			resp, out := b.postForm("/login", url.Values{"username": {name}, "password": {"x"}, "csrf_token": {formToken(t, page)}})
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("%d", resp.StatusCode)
			}
			if strings.Contains(out, name[:301]) {
				t.Error("the 401 page echoes the long name")
			}
			if logs := f.logs.String(); strings.Contains(logs, name[:301]) || !strings.Contains(logs, "login failed") {
				t.Errorf("the log keeps the long name:\n%.500s", logs)
			}
		})
		t.Run("form body", func(t *testing.T) {
			b := f.loggedIn("lan")
			form := url.Values{"csrf_token": {b.csrf()}, "name": {strings.Repeat("x", 2<<20)}}
			resp, _ := b.postForm("/units/HN-CG/found", form)
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("a 2 MB form: %d, want 413", resp.StatusCode)
			}
		})
		t.Run("values quoted short", func(t *testing.T) {
			long := strings.Repeat("9x", 3000)
			status, body := f.get("/api/v1/members?limit="+long, "lan")
			if status != 422 || len(body) > 600 || strings.Contains(string(body), long[:100]) {
				t.Errorf("limit: %d %d bytes %.200s", status, len(body), body)
			}
			status, body = f.get("/api/v1/units/"+long, "lan")
			if status != 404 || len(body) > 600 {
				t.Errorf("unit: %d %d bytes %.200s", status, len(body), body)
			}
			b := f.loggedIn("lan")
			resp, page := b.get("/members/" + long)
			if resp.StatusCode != 404 || strings.Contains(page, long[:100]) {
				t.Errorf("member page: %d", resp.StatusCode)
			}
		})
	})
}

// The "next" address of the login and the language switch stays on this
// site, whatever its disguise.
func TestOpenRedirect(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.Open(t, store.SQLite))
	bad := []string{`/./\evil.example`, `//evil.example`, `/\evil.example`, `/%5Cevil.example`, `/%2F%2Fevil.example`, `%2F%2Fevil.example`,
		"/\t/evil.example", "/\n/evil.example", `/.//evil.example`, `https://evil.example`, `/x/..//evil.example`, `\\evil.example`,
		`/%5C%5Cevil.example`, `/%09/evil.example`, `javascript:alert(1)`, `/ /evil.example`}
	for _, next := range bad {
		resp, _ := f.browser().get("/lang/en?next=" + url.QueryEscape(next))
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/" {
			t.Errorf("/lang/en?next=%q: %d %q", next, resp.StatusCode, loc)
		}
		b := f.browser()
		b.hdr.Set("X-Forwarded-For", "10.61.0.1")
		_, page := b.get("/login")
		resp, _ = b.postForm("/login", url.Values{"username": {"xem"}, "password": {password}, "csrf_token": {formToken(t, page)}, "next": {next}})
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/" {
			t.Errorf("login next=%q: %d %q", next, resp.StatusCode, loc)
		}
	}
	for _, next := range []string{"/units/HN-CG?plan=HN-2022", "/members?q=Nguy%E1%BB%85n", "/"} {
		resp, _ := f.browser().get("/lang/en?next=" + url.QueryEscape(next))
		if loc := resp.Header.Get("Location"); loc != next {
			t.Errorf("/lang/en?next=%q: %q", next, loc)
		}
	}
}

// Failed logins slow the address down; they never lock the user out.
// Admins can clear them, and each is audited.
func TestLoginSlowdown(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixtureWith(t, st, func(s *web.Server) { s.LoginDelay = 300 * time.Millisecond })
		attempt := func(ip, user, pass string) (*http.Response, string) {
			b := f.browser()
			b.hdr.Set("X-Forwarded-For", ip)
			_, page := b.get("/login")
			return b.postForm("/login", url.Values{"username": {user}, "password": {pass}, "csrf_token": {formToken(t, page)}})
		}
		t.Run("no lock-out of the user", func(t *testing.T) {
			for i := range 8 {
				if resp, _ := attempt(fmt.Sprintf("10.1.0.%d", i+1), "lan", "wrong"); resp.StatusCode != 401 {
					t.Fatalf("failure %d: %d", i+1, resp.StatusCode)
				}
			}
			if resp, _ := attempt("10.1.1.1", "lan", password); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("lan from her own address after failures elsewhere: %d", resp.StatusCode)
			}
		})
		t.Run("the address slows down", func(t *testing.T) {
			for i := range 5 {
				if resp, _ := attempt("10.4.0.1", "xem", "wrong"); resp.StatusCode != 401 {
					t.Fatalf("failure %d: %d", i+1, resp.StatusCode)
				}
			}
			resp, page := attempt("10.4.0.1", "xem", password)
			if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(page, "Đăng nhập sai quá nhiều lần") {
				t.Errorf("sixth attempt at once: %d %q", resp.StatusCode, resp.Header.Get("Retry-After"))
			}
			// The delay doubles with each further failure.
			time.Sleep(350 * time.Millisecond)
			if resp, _ := attempt("10.4.0.1", "xem", "wrong"); resp.StatusCode != 401 {
				t.Fatalf("sixth failure after the delay: %d", resp.StatusCode)
			}
			time.Sleep(350 * time.Millisecond)
			if resp, _ := attempt("10.4.0.1", "xem", password); resp.StatusCode != http.StatusTooManyRequests {
				t.Errorf("the delay did not grow: %d", resp.StatusCode)
			}
			if resp, _ := attempt("10.4.0.2", "xem", password); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("from another address: %d", resp.StatusCode)
			}
			time.Sleep(300 * time.Millisecond)
			if resp, _ := attempt("10.4.0.1", "xem", password); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("after the delay: %d", resp.StatusCode)
			}
		})
		t.Run("per address over all names", func(t *testing.T) {
			for i := range 20 {
				if resp, _ := attempt("10.2.0.1", "guess"+string(rune('a'+i)), "wrong"); resp.StatusCode != 401 {
					t.Fatalf("failure %d: %d", i+1, resp.StatusCode)
				}
			}
			if resp, _ := attempt("10.2.0.1", "admin", password); resp.StatusCode != http.StatusTooManyRequests {
				t.Errorf("from the address: %d", resp.StatusCode)
			}
			if resp, _ := attempt("10.2.0.2", "admin", password); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("from another address: %d", resp.StatusCode)
			}
		})
		t.Run("admins unlock", func(t *testing.T) {
			for range 5 {
				attempt("10.5.0.1", "binh", "wrong")
			}
			if resp, _ := attempt("10.5.0.1", "binh", password); resp.StatusCode != http.StatusTooManyRequests {
				t.Fatalf("before the unlock: %d", resp.StatusCode)
			}
			admin := f.loggedIn("admin")
			_, page := admin.get("/users")
			if !strings.Contains(page, `data-unlock="binh"`) {
				t.Fatalf("no unlock button for binh")
			}
			if resp, _ := f.loggedIn("lan").post("/users/binh/unlock", url.Values{}); resp.StatusCode != http.StatusForbidden {
				t.Errorf("a manager unlocks: %d", resp.StatusCode)
			}
			if resp, _ := admin.post("/users/binh/unlock", url.Values{}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("unlock: %d", resp.StatusCode)
			}
			if resp, _ := attempt("10.5.0.1", "binh", password); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("after the unlock: %d", resp.StatusCode)
			}
		})
		t.Run("failures audited", func(t *testing.T) {
			entries, err := st.AuditLog(ctx, store.AuditFilter{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, e := range entries {
				if e.Action == "session.login_failed" && e.Actor == "lan" && e.UnitCode == "HN-CG" && strings.HasPrefix(e.Detail, "10.1.0.") {
					n++
				}
			}
			if n != 8 {
				t.Errorf("%d audited failures of lan, want 8", n)
			}
		})
	})
}

// An ID number of a member outside the user's subtree is answered without
// the person's name or unit, and such look-ups are rate-limited.
func TestMemberLookupOutsideScope(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixtureWith(t, st, func(s *web.Server) { s.LookupLimit = 3 })
		const want = "đã là đoàn viên ở đơn vị khác, đề nghị làm thủ tục chuyển sinh hoạt"
		lan := f.loggedIn("lan")
		member := func(nid string) url.Values {
			return url.Values{"national_id": {nid}, "id_type": {"cccd"}, "full_name": {"Ngô Thị Hoa"}, "date_of_birth": {"01/06/1995"},
				"gender": {"female"}, "unit_code": {"CG-A"}, "joined_on": {"01/06/2022"}, "joined_how": {"admitted"}}
		}
		resp, page := lan.post("/members/new", member("001180000007"))
		if resp.StatusCode != 422 || !strings.Contains(page, want) {
			t.Errorf("admit form: %d %.300s", resp.StatusCode, page)
		}
		for _, leak := range []string{"Đặng Thị Ánh", "BD-C", "Trường THCS Ba Đình"} {
			if strings.Contains(page, leak) {
				t.Errorf("the admit form names %q", leak)
			}
		}
		// In the subtree the answer names the member.
		if resp, page := lan.post("/members/new", member("001090000001")); resp.StatusCode != 422 || !strings.Contains(page, "Nguyễn Văn An") {
			t.Errorf("a member of the subtree: %d", resp.StatusCode)
		}
		apiBody := `{"national_id":"001091000008","full_name":"X Y","date_of_birth":"1991-08-08","gender":"male","unit_code":"CG-A","joined_on":"2022-06-01"}`
		status, out := f.call("POST", "/api/v1/members", "lan", strings.NewReader(apiBody), "application/json")
		if status != 403 || strings.Contains(string(out), "BD-C") || strings.Contains(string(out), "Nguyễn Văn Anh") {
			t.Errorf("API: %d %s", status, out)
		}
		status, out = f.call("POST", "/api/v1/members", "lan", strings.NewReader(apiBody), "application/json")
		if status != 403 {
			t.Errorf("API, third look-up: %d %s", status, out)
		}
		// The fourth look-up within the hour is refused, whatever the ID.
		resp, page = lan.post("/members/new", member("001195000999"))
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Errorf("fourth look-up: %d %.200s", resp.StatusCode, page)
		}
		if status, _ := f.call("POST", "/api/v1/members", "lan", strings.NewReader(`{"national_id":"001195000998"}`), "application/json"); status != http.StatusTooManyRequests {
			t.Errorf("fourth look-up by the API: %d", status)
		}
		// Others are not affected.
		if status, out := f.postJSON("/api/v1/members", "binh", map[string]any{"national_id": "001195000997", "full_name": "Lê Thị Mai", "date_of_birth": "1995-01-01",
			"gender": "female", "unit_code": "BD-C", "joined_on": "2022-06-01"}); status != 201 {
			t.Errorf("binh: %d %s", status, out)
		}
	})
}

// A union is founded only for an enterprise of the user's subtree, and
// the enterprise's unit reads the audit entry.
func TestFoundEnterpriseScope(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		form := func(code string) url.Values {
			return url.Values{"code": {code}, "name": {"CĐCS Công ty Bánh kẹo Ba Đình"}, "ownership": {"state"}, "enterprise_tax_code": {"0100100008"},
				"founded_on": {"01/06/2022"}, "method": {"standard"}}
		}
		resp, page := f.loggedIn("lan").post("/units/HN-CG/found", form("HN-CG-901"))
		if resp.StatusCode != 422 || !strings.Contains(page, "thuộc đơn vị ngoài phạm vi của bạn") {
			t.Errorf("a manager founds for another district's enterprise: %d %.300s", resp.StatusCode, page)
		}
		if _, err := st.Unit(ctx, "HN-CG-901"); err == nil {
			t.Error("the union was founded")
		}
		// The form does not prefill another district's enterprise name.
		if _, page := f.loggedIn("lan").get("/units/HN-CG/found?tax_code=0100100008"); strings.Contains(page, "Bánh kẹo Ba Đình") {
			t.Error("the form shows the name of an enterprise outside the subtree")
		}
		resp, page = f.loggedIn("admin").post("/units/HN-CG/found", form("HN-CG-902"))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("the city's admin founds it: %d %.300s", resp.StatusCode, page)
		}
		status, out := f.get("/api/v1/audit", "binh")
		if status != 200 || !strings.Contains(string(out), "unit.found") || !strings.Contains(string(out), "HN-CG-902") {
			t.Errorf("Ba Đình's audit log lacks the founding: %d %.400s", status, out)
		}
		status, out = f.get("/api/v1/audit", "lan")
		if status != 200 || !strings.Contains(string(out), "HN-CG-902") {
			t.Errorf("Cầu Giấy's audit log lacks the founding: %d %.400s", status, out)
		}
	})
}

// New passwords have at least 10 characters and are not common ones.
func TestPasswordPolicy(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.Open(t, store.SQLite))
	admin := f.loggedIn("admin")
	for pass, want := range map[string]string{
		"aaaaaaaa":       "ít nhất 10 ký tự",
		"aaaaaaaaaa":     "quá phổ biến",
		"1234567890":     "quá phổ biến",
		"Password123":    "quá phổ biến",
		"congdoan123":    "quá phổ biến",
		"abababababab":   "quá phổ biến",
		"mới123":         "ít nhất 10 ký tự",
		"nguoimoi.2024x": "",
	} {
		resp, page := admin.post("/users", url.Values{"name": {"nguoimoi"}, "role": {"viewer"}, "unit_code": {"HN-CG"}, "password": {pass}, "password2": {pass}})
		switch {
		case want == "" && resp.StatusCode != http.StatusSeeOther:
			t.Errorf("%q refused: %d", pass, resp.StatusCode)
		case want != "" && (resp.StatusCode != 422 || !strings.Contains(page, want)):
			t.Errorf("%q: %d, want 422 with %q", pass, resp.StatusCode, want)
		}
	}
}

var tokenRow = regexp.MustCompile(`data-token="([0-9a-f]+)"`)

// Tokens have names and an expiry, and their owner lists and revokes them
// on the account page; an expired or revoked token opens nothing.
func TestTokenPage(t *testing.T) {
	t.Parallel()
	eachFixture(t, newFixture, func(t *testing.T, st *store.Store, f *fixture) {
		lan := f.loggedIn("lan")
		resp, page := lan.get("/account")
		if resp.StatusCode != 200 || !strings.Contains(page, "Mã truy cập API") || !strings.Contains(page, "Không hết hạn") {
			t.Fatalf("account page: %d %.300s", resp.StatusCode, page)
		}
		resp, page = lan.post("/account/tokens", url.Values{"name": {"báo cáo tự động"}, "days": {"90"}})
		m := regexp.MustCompile(`id="new-token">(cd_[0-9a-f]+)<`).FindStringSubmatch(page)
		if resp.StatusCode != 200 || m == nil || !strings.Contains(page, "báo cáo tự động") {
			t.Fatalf("new token: %d %.500s", resp.StatusCode, page)
		}
		token := m[1]
		expires := time.Now().AddDate(0, 0, 90).In(time.FixedZone("ICT", 7*3600)).Format("02/01/2006")
		if !strings.Contains(page, expires) {
			t.Errorf("the list lacks the expiry %s", expires)
		}
		bearer := func(tok string) int {
			req, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/units/CG-A", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if s := bearer(token); s != 200 {
			t.Errorf("the new token: %d", s)
		}
		// The page shows the token only once.
		if _, page := lan.get("/account"); strings.Contains(page, token) {
			t.Error("the token shows again")
		}
		ids := tokenRow.FindAllStringSubmatch(page, -1)
		if len(ids) != 2 {
			t.Fatalf("%d tokens listed, want 2", len(ids))
		}
		// Another user cannot revoke lan's tokens.
		if resp, _ := f.loggedIn("binh").post("/account/tokens/"+ids[0][1]+"/revoke", url.Values{}); resp.StatusCode != 404 {
			t.Errorf("binh revokes lan's token: %d", resp.StatusCode)
		}
		for _, id := range ids {
			if resp, _ := lan.post("/account/tokens/"+id[1]+"/revoke", url.Values{}); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("revoke %s: %d", id[1], resp.StatusCode)
			}
		}
		if s := bearer(token); s != 401 {
			t.Errorf("a revoked token: %d", s)
		}
		if status, _ := f.get("/api/v1/units/CG-A", "lan"); status != 401 {
			t.Errorf("the fixture's revoked token: %d", status)
		}
		if _, page := lan.get("/account"); strings.Count(page, "Đã thu hồi") != 2 {
			t.Errorf("the list does not show the revocations")
		}
		// An expired token opens nothing.
		old, _, err := st.NewTokenFor(ctx, "test", "lan", store.TokenOptions{Name: "cũ", Expires: time.Now().Add(-time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if s := bearer(old); s != 401 {
			t.Errorf("an expired token: %d", s)
		}
		// The account is managed from a browser, not with a token.
		if status, _ := f.call("POST", "/account/tokens", "xem", strings.NewReader("name=x&days=90"), "application/x-www-form-urlencoded"); status != 403 {
			t.Errorf("a token makes a token: %d", status)
		}
	})
}

// Changing one's password ends the other sessions, not this one.
func TestPasswordChange(t *testing.T) {
	t.Parallel()
	eachFixture(t, newFixture, func(t *testing.T, st *store.Store, f *fixture) {
		a, b := f.loggedIn("xem"), f.loggedIn("xem")
		const newPass = "một mật khẩu mới dài"
		if resp, page := a.post("/account/password", url.Values{"current": {"sai rồi"}, "password": {newPass}, "password2": {newPass}}); resp.StatusCode != 422 || !strings.Contains(page, "Mật khẩu hiện tại không đúng") {
			t.Errorf("wrong current password: %d", resp.StatusCode)
		}
		if resp, page := a.post("/account/password", url.Values{"current": {password}, "password": {"1234567890"}, "password2": {"1234567890"}}); resp.StatusCode != 422 || !strings.Contains(page, "quá phổ biến") {
			t.Errorf("a common password: %d", resp.StatusCode)
		}
		resp, _ := a.post("/account/password", url.Values{"current": {password}, "password": {newPass}, "password2": {newPass}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("change: %d", resp.StatusCode)
		}
		if resp, page := a.get("/account?saved=password_changed"); resp.StatusCode != 200 || !strings.Contains(page, "Đã đổi mật khẩu") {
			t.Errorf("this session after the change: %d", resp.StatusCode)
		}
		if resp, _ := b.get("/"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("the other session after the change: %d", resp.StatusCode)
		}
		if _, err := st.CheckPassword(ctx, "xem", password); err == nil {
			t.Error("the old password still works")
		}
		if _, err := st.CheckPassword(ctx, "xem", newPass); err != nil {
			t.Errorf("the new password: %v", err)
		}
		entries, _ := st.AuditLog(ctx, store.AuditFilter{})
		if len(entries) == 0 || entries[0].Action != "user.password" || strings.Contains(entries[0].Detail, newPass) {
			t.Errorf("audit: %+v", entries[:1])
		}
	})
}

// X-Forwarded-Proto counts only from a trusted proxy; HSTS goes with
// HTTPS.
func TestTrustProxy(t *testing.T) {
	t.Parallel()
	st := storetest.Open(t, store.SQLite)
	login := func(f *fixture) *http.Response {
		b := f.browser()
		b.hdr.Set("X-Forwarded-Proto", "https")
		_, page := b.get("/login")
		resp, _ := b.postForm("/login", url.Values{"username": {"admin"}, "password": {password}, "csrf_token": {formToken(t, page)}})
		return resp
	}
	trusted := newFixture(t, st)
	resp := login(trusted)
	if c := sessionCookie(resp); c == nil || !c.Secure {
		t.Errorf("behind a trusted proxy: cookie %+v", c)
	}
	if h := resp.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(h, "max-age=") {
		t.Errorf("behind a trusted proxy: HSTS %q", h)
	}
	direct := &web.Server{Store: st, Log: trusted.logs.logger()}
	srv := newServer(t, direct)
	f2 := &fixture{t: t, st: st, srv: srv, logs: trusted.logs}
	resp = login(f2)
	if c := sessionCookie(resp); c == nil || c.Secure {
		t.Errorf("X-Forwarded-Proto from anyone: cookie %+v", c)
	}
	if h := resp.Header.Get("Strict-Transport-Security"); h != "" {
		t.Errorf("HSTS over plain HTTP: %q", h)
	}
	tls := newTLSServer(t, direct)
	c := tls.Client()
	r, err := c.Get(tls.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if h := r.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(h, "max-age=") {
		t.Errorf("over TLS: HSTS %q", h)
	}
}
