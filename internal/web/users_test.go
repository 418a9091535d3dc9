package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"congdoan/internal/store"
)

// today is the creation date the user list shows for a user made now.
func today() string {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		loc = time.FixedZone("ICT", 7*3600)
	}
	return time.Now().In(loc).Format("02/01/2006")
}

// userCount is how many users the store has.
func (f *fixture) userCount() int {
	f.t.Helper()
	list, err := f.st.UsersUnder(ctx, "/")
	if err != nil {
		f.t.Fatal(err)
	}
	return len(list)
}

// The user list: admins see the users of their subtree (name, role, unit,
// creation date) and the menu entry; managers and viewers get 403 and no
// menu entry.
func TestUsersPage(t *testing.T) {
	t.Parallel()
	eachFixture(t, usersFixture, func(t *testing.T, st *store.Store, f *fixture) {
		admin := f.loggedIn("admin")
		resp, body := admin.get("/users")
		if resp.StatusCode != 200 {
			t.Fatalf("admin GET /users: %d %.300s", resp.StatusCode, body)
		}
		for _, s := range []string{`lang="vi"`, "Quản lý người dùng", `href="/users" aria-current="page"`,
			`data-user="admin"`, `data-user="lan"`, `data-user="xem"`, `data-user="binh"`, `data-user="quantricg"`,
			"Quản trị", "Cán bộ phụ trách", "Xem báo cáo", "HN-CG", "HN-BD", "LĐLĐ quận Cầu Giấy", today(), `name="password2"`} {
			if !strings.Contains(body, s) {
				t.Errorf("the user list lacks %q", s)
			}
		}
		if strings.Contains(body, "password_hash") || strings.Contains(body, "$2a$") {
			t.Error("the user list shows a password hash")
		}
		// The district admin sees only the users of Cầu Giấy.
		_, body = f.loggedIn("quantricg").get("/users")
		for _, s := range []string{`data-user="lan"`, `data-user="xem"`, `data-user="quantricg"`} {
			if !strings.Contains(body, s) {
				t.Errorf("the district admin's list lacks %q", s)
			}
		}
		for _, s := range []string{`data-user="admin"`, `data-user="binh"`} {
			if strings.Contains(body, s) {
				t.Errorf("the district admin's list shows %q from outside the subtree", s)
			}
		}
		// In English.
		admin.get("/lang/en?next=/users")
		if _, body := admin.get("/users"); !strings.Contains(body, "User management") || !strings.Contains(body, "Manager") {
			t.Errorf("English user page: %.300s", body)
		}
		for _, user := range []string{"lan", "xem"} {
			b := f.loggedIn(user)
			resp, body := b.get("/users")
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Bạn không có quyền") {
				t.Errorf("%s GET /users: %d, want 403 with the Vietnamese message", user, resp.StatusCode)
			}
			if _, home := b.get("/"); strings.Contains(home, `href="/users"`) {
				t.Errorf("%s's menu shows the user page", user)
			}
			resp, _ = b.post("/users", url.Values{"name": {"moi-" + user}, "role": {"viewer"}, "unit_code": {"HN-CG"},
				"password": {"mat-khau-dai"}, "password2": {"mat-khau-dai"}})
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s POST /users: %d, want 403", user, resp.StatusCode)
			}
		}
		if resp, _ := f.browser().get("/users"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("anonymous GET /users: %d", resp.StatusCode)
		}
		if n := f.userCount(); n != 5 {
			t.Errorf("%d users, want 5", n)
		}
	})
}

// Creating a user: 303 with a flash, the user logs in with the role and
// unit given, the audit log names the admin and never the password;
// invalid input comes back with 422, the Vietnamese messages and no
// password; no CSRF token, 403.
func TestUserCreate(t *testing.T) {
	t.Parallel()
	eachFixture(t, usersFixture, func(t *testing.T, st *store.Store, f *fixture) {
		admin := f.loggedIn("admin")
		const newPass = "Mật-khẩu-mới-2022"

		t.Run("create", func(t *testing.T) {
			resp, body := admin.post("/users", url.Values{"name": {"hoa.nguyen"}, "role": {"manager"}, "unit_code": {"CG-A"},
				"password": {newPass}, "password2": {newPass}})
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/users?saved=user_added" {
				t.Fatalf("create: %d %q %.400s", resp.StatusCode, resp.Header.Get("Location"), body)
			}
			_, body = admin.get(resp.Header.Get("Location"))
			for _, s := range []string{"Đã thêm người dùng.", `data-user="hoa.nguyen"`, "CG-A"} {
				if !strings.Contains(body, s) {
					t.Errorf("after the creation the page lacks %q", s)
				}
			}
			// The new user logs in, as a manager of CG-A.
			b := f.browser()
			b.hdr.Set("X-Forwarded-For", "10.77.0.1")
			if resp := b.login("hoa.nguyen", newPass); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("the new user's login: %d", resp.StatusCode)
			}
			if resp, body := b.get("/"); resp.StatusCode != 200 || !strings.Contains(body, "hoa.nguyen · Cán bộ phụ trách · CG-A") {
				t.Errorf("the new user's home: %d %.300s", resp.StatusCode, body)
			}
			if resp, _ := b.get("/users"); resp.StatusCode != http.StatusForbidden {
				t.Errorf("the new manager GET /users: %d", resp.StatusCode)
			}
			// The audit entry: the admin added the user, no password.
			entries, err := st.AuditLog(ctx, store.AuditFilter{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, e := range entries {
				if strings.Contains(e.Detail, newPass) || strings.Contains(e.Detail, password) {
					t.Errorf("a password is in the audit log: %+v", e)
				}
				if e.Action == "user.add" && strings.HasPrefix(e.Detail, "hoa.nguyen") {
					found = true
					if e.Actor != "admin" || e.UnitCode != "CG-A" {
						t.Errorf("audit entry %+v, want actor admin, unit CG-A", e)
					}
				}
			}
			if !found {
				t.Error("no user.add audit entry for hoa.nguyen")
			}
			if _, body := admin.get("/audit"); !strings.Contains(body, "Thêm người dùng") {
				t.Error("the audit page does not name the user.add action")
			}
			if strings.Contains(f.logs.String(), newPass) {
				t.Errorf("the new password is in the log")
			}
		})

		valid := func() url.Values {
			return url.Values{"name": {"moi"}, "role": {"viewer"}, "unit_code": {"HN-CG"}, "password": {"mat-khau-dai"}, "password2": {"mat-khau-dai"}}
		}
		cases := []struct {
			name   string
			as     string
			change func(url.Values)
			want   []string
		}{
			{"duplicate name", "admin", func(v url.Values) { v.Set("name", "lan") }, []string{"Tên đăng nhập này đã có người dùng."}},
			{"no name", "admin", func(v url.Values) { v.Set("name", " ") }, []string{"Không được để trống."}},
			{"name with a space", "admin", func(v url.Values) { v.Set("name", "hai tu") }, []string{"Tên đăng nhập chỉ gồm chữ, số"}},
			{"short password", "admin", func(v url.Values) { v.Set("password", "ngắn-12"); v.Set("password2", "ngắn-12") },
				[]string{"Mật khẩu phải có ít nhất 10 ký tự."}},
			{"passwords differ", "admin", func(v url.Values) { v.Set("password2", "mat-khau-khac") }, []string{"Hai lần nhập mật khẩu không khớp nhau."}},
			{"unknown unit", "admin", func(v url.Values) { v.Set("unit_code", "NOPE") }, []string{"Không có đơn vị với mã này."}},
			{"bad role", "admin", func(v url.Values) { v.Set("role", "root") }, []string{"Vai trò không hợp lệ"}},
			{"unit outside the subtree", "quantricg", func(v url.Values) { v.Set("unit_code", "BD-C") }, []string{"Đơn vị này nằm ngoài phạm vi đơn vị của bạn."}},
			{"the district's parent", "quantricg", func(v url.Values) { v.Set("unit_code", "HN"); v.Set("role", "admin") }, []string{"Đơn vị này nằm ngoài phạm vi đơn vị của bạn."}},
			{"everything wrong", "admin", func(v url.Values) {
				v.Set("name", "lan")
				v.Set("role", "")
				v.Set("unit_code", "")
				v.Set("password", "1234567")
				v.Set("password2", "7654321")
			}, []string{"Tên đăng nhập này đã có người dùng.", "Vai trò không hợp lệ", "Không được để trống.", "Mật khẩu phải có ít nhất 10 ký tự.", "Hai lần nhập mật khẩu không khớp nhau."}},
		}
		browsers := map[string]*browser{"admin": admin, "quantricg": f.loggedIn("quantricg")}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before := f.userCount()
				v := valid()
				c.change(v)
				pass := v.Get("password")
				resp, body := browsers[c.as].post("/users", v)
				if resp.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("%d, want 422: %.400s", resp.StatusCode, body)
				}
				for _, s := range append([]string{"Dữ liệu chưa hợp lệ", `id="new-user"`}, c.want...) {
					if !strings.Contains(body, s) {
						t.Errorf("the form lacks %q", s)
					}
				}
				if pass != "" && strings.Contains(body, pass) {
					t.Errorf("the form echoes the password")
				}
				if n := f.userCount(); n != before {
					t.Errorf("%d users after an invalid form, want %d", n, before)
				}
			})
		}

		t.Run("district admin creates in the district", func(t *testing.T) {
			v := valid()
			v.Set("name", "xem.cgb")
			v.Set("unit_code", "CG-B")
			resp, body := browsers["quantricg"].post("/users", v)
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("%d: %.400s", resp.StatusCode, body)
			}
			entries, err := st.AuditLog(ctx, store.AuditFilter{UnitPath: "/", Limit: 5})
			if err != nil || len(entries) == 0 {
				t.Fatal(err)
			}
			if e := entries[0]; e.Action != "user.add" || e.Actor != "quantricg" || e.UnitCode != "CG-B" {
				t.Errorf("last audit entry %+v", e)
			}
		})

		t.Run("no CSRF token", func(t *testing.T) {
			before := f.userCount()
			v := valid()
			v.Set("name", "khong-csrf")
			resp, _ := admin.postForm("/users", v)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("without the token: %d, want 403", resp.StatusCode)
			}
			v.Set("csrf_token", "wrong")
			if resp, _ := admin.postForm("/users", v); resp.StatusCode != http.StatusForbidden {
				t.Errorf("with a wrong token: %d, want 403", resp.StatusCode)
			}
			if n := f.userCount(); n != before {
				t.Errorf("%d users, want %d", n, before)
			}
			if ok, _ := st.UserExists(ctx, "khong-csrf"); ok {
				t.Error("the user was created without a CSRF token")
			}
		})
	})
}

// usersFixture is pageFixture with one more admin, "quantricg", of Cầu
// Giấy (HN-CG).
func usersFixture(t *testing.T, st *store.Store) *fixture {
	t.Helper()
	f := pageFixture(t, st)
	if err := st.AddUser(ctx, "test", "quantricg", password, "admin", "HN-CG"); err != nil {
		t.Fatal(err)
	}
	return f
}
