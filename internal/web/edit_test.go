package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"congdoan/internal/importer"
	"congdoan/internal/report"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
	"congdoan/internal/web"
)

// The edit forms (member_edit.go, member_undo.go, unit_edit.go,
// enterprise_edit.go, user_edit.go) and the unit picker, on both engines.

// auditOf lists the audit entries of an action, newest first.
func (f *fixture) auditOf(action string) []store.AuditEntry {
	f.t.Helper()
	all, err := f.st.AuditLog(ctx, store.AuditFilter{Limit: 1000})
	if err != nil {
		f.t.Fatal(err)
	}
	var out []store.AuditEntry
	for _, e := range all {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// reports is the plan's report of Hà Nội as of several days, as JSON: what
// every counter of every unit adds up to.
func reports(t *testing.T, st *store.Store) string {
	t.Helper()
	var b strings.Builder
	for _, unit := range []string{"HN", "HN-CG", "CG-A", "CG-B"} {
		for _, day := range []string{"2022-01-31", "2022-02-01", "2022-03-01", "2022-05-31", "2022-06-01", "2022-06-02", "2022-09-30", "2022-12-31"} {
			rep, err := report.Build(ctx, st, report.Request{Plan: "HN-2022", Unit: unit, AsOf: day})
			if err != nil {
				t.Fatalf("report %s %s: %v", unit, day, err)
			}
			j, _ := json.Marshal(rep)
			fmt.Fprintf(&b, "%s %s %s\n", unit, day, j)
		}
	}
	return b.String()
}

// referenceStore is a store of the same engine loaded with the fixture's
// data, the members with a row changed by change: what the database would
// hold had the member been imported so from the start.
func referenceStore(t *testing.T, engine store.Engine, change func(row map[string]string)) *store.Store {
	t.Helper()
	st := storetest.Open(t, engine)
	im := &importer.Importer{Store: st}
	for _, kind := range []string{"units", "plans", "targets"} {
		if _, err := im.File(ctx, kind, filepath.Join("testdata", kind+".csv"), kind+".csv"); err != nil {
			t.Fatal(err)
		}
	}
	header := csvHeader(readTestdata(t, "members.csv"))
	var rows [][]string
	for _, cells := range csvRows(readTestdata(t, "members.csv")) {
		row := map[string]string{}
		for i, h := range header {
			row[h] = cells[i]
		}
		change(row)
		if row["national_id"] == "" {
			continue // removed
		}
		out := make([]string, len(header))
		for i, h := range header {
			out[i] = row[h]
		}
		rows = append(rows, out)
	}
	importRows(t, st, "members", header, rows)
	addPageData(t, st)
	return st
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// memberForm is the edit form of a member as it stands, for changing.
func memberForm(r *store.MemberRecord) url.Values {
	v := url.Values{}
	set := func(k, x string) { v.Set(k, x) }
	set("full_name", r.FullName)
	set("id_type", r.IDType)
	set("national_id", r.NationalID)
	set("date_of_birth", r.DateOfBirth.VN())
	set("gender", r.Gender)
	set("joined_on", r.JoinedOn.VN())
	set("joined_how", r.JoinedHow)
	set("left_on", r.LeftOn.VN())
	set("party_introduced_on", r.PartyIntroducedOn.VN())
	set("card_no", r.CardNo)
	return v
}

func TestMemberEditForm(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		const nid = "001090000001" // Nguyễn Văn An, CG-A, joined 01/02/2022
		id := f.memberID(nid)
		path := fmt.Sprintf("/members/%d/edit", id)
		lan := f.loggedIn("lan")
		resp, body := lan.get(path)
		if resp.StatusCode != 200 || !strings.Contains(body, `value="Nguyễn Văn An"`) || !strings.Contains(body, `value="01/02/2022"`) {
			t.Fatalf("GET edit: %d %.400s", resp.StatusCode, body)
		}
		// The member's page links to the forms.
		if _, body := lan.get(fmt.Sprintf("/members/%d", id)); !strings.Contains(body, path) || !strings.Contains(body, fmt.Sprintf("/members/%d/undo", id)) {
			t.Error("the member's page has no edit or undo link")
		}
		before, _ := st.Member(ctx, nid)
		unchanged := func(what string) {
			t.Helper()
			now, err := st.Member(ctx, nid)
			if err != nil || now.FullName != before.FullName || now.JoinedOn != before.JoinedOn || now.DateOfBirth != before.DateOfBirth {
				t.Errorf("%s: the record changed: %+v (%v)", what, now, err)
			}
			if n := len(f.auditOf("member.edit")); n != 0 {
				t.Errorf("%s: %d audit entries", what, n)
			}
		}

		// Outside the subtree the member is not found, to read and to write.
		binh := f.loggedIn("binh")
		if resp, _ := binh.get(path); resp.StatusCode != 404 {
			t.Errorf("binh GET: %d, want 404", resp.StatusCode)
		}
		v := memberForm(before)
		v.Set("full_name", "Bị Đổi")
		if resp, _ := binh.post(path, v); resp.StatusCode != 404 {
			t.Errorf("binh POST: %d, want 404", resp.StatusCode)
		}
		// Viewers may not; nor a POST without the CSRF token.
		if resp, _ := f.loggedIn("xem").post(path, v); resp.StatusCode != 403 {
			t.Errorf("viewer POST: %d, want 403", resp.StatusCode)
		}
		if resp, _ := lan.postForm(path, v); resp.StatusCode != 403 {
			t.Errorf("POST without CSRF: %d, want 403", resp.StatusCode)
		}
		unchanged("refused")

		// The importer's rules, each error naming its field.
		for _, c := range []struct {
			field, value, want string
		}{
			{"date_of_birth", "31/02/1990", "date_of_birth"},
			{"date_of_birth", "12/05/1991", "national_id"}, // the CCCD says 1990
			{"gender", "female", "national_id"},            // the CCCD says male
			{"full_name", "", "full_name"},
			{"full_name", strings.Repeat("A", 201), "full_name"},
			{"joined_on", "01/01/2099", "joined_on"},
			{"left_on", "01/01/2022", "left_on"},
		} {
			v := memberForm(before)
			v.Set(c.field, c.value)
			resp, body := lan.post(path, v)
			if resp.StatusCode != 422 || !strings.Contains(body, "<code>"+c.want+"</code>") {
				t.Errorf("%s=%q: %d, want 422 naming %s: %.600s", c.field, c.value, resp.StatusCode, c.want, body)
			}
		}
		// A new ID number needs a reason.
		v = memberForm(before)
		v.Set("national_id", "001090000099")
		resp, body = lan.post(path, v)
		if resp.StatusCode != 422 || !strings.Contains(body, "<code>edit_reason</code>") {
			t.Errorf("new ID without a reason: %d %.400s", resp.StatusCode, body)
		}
		// An ID number another member has is refused.
		v.Set("national_id", "001195000002")
		v.Set("edit_reason", "gõ nhầm")
		if resp, body := lan.post(path, v); resp.StatusCode != 422 || !strings.Contains(body, "<code>national_id</code>") {
			t.Errorf("a taken ID: %d %.400s", resp.StatusCode, body)
		}
		unchanged("invalid")

		// A valid change: name, ID number (with its reason) and joining
		// date, in one audit entry, before → after, IDs masked.
		v = memberForm(before)
		v.Set("full_name", "Nguyễn Văn Ân")
		v.Set("national_id", "001090000099")
		v.Set("edit_reason", "Nhập sai số CCCD")
		v.Set("joined_on", "01/06/2022")
		resp, _ = lan.post(path, v)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("valid edit: %d", resp.StatusCode)
		}
		if _, err := st.Member(ctx, nid); err == nil {
			t.Error("the old ID number is still on record")
		}
		after, err := st.Member(ctx, "001090000099")
		if err != nil || after.ID != id || after.FullName != "Nguyễn Văn Ân" || after.JoinedOn.String() != "2022-06-01" || after.UnitCode != "CG-A" {
			t.Fatalf("after the edit: %+v %v", after, err)
		}
		entries := f.auditOf("member.edit")
		if len(entries) != 1 {
			t.Fatalf("%d member.edit entries", len(entries))
		}
		d := entries[0].Detail
		for _, s := range []string{"full_name: Nguyễn Văn An → Nguyễn Văn Ân", "national_id: *********001 → *********099", "joined_on: 01/02/2022 → 01/06/2022", "Nhập sai số CCCD"} {
			if !strings.Contains(d, s) {
				t.Errorf("the audit detail %q lacks %q", d, s)
			}
		}
		if strings.Contains(d, "001090000001") || strings.Contains(d, "001090000099") {
			t.Errorf("the audit detail shows a whole ID number: %q", d)
		}
		if entries[0].Actor != "lan" || entries[0].UnitCode == "" {
			t.Errorf("audit entry: %+v", entries[0])
		}
		// The counters are those of a database where the member was
		// imported so from the start.
		ref := referenceStore(t, st.Engine(), func(row map[string]string) {
			if row["national_id"] == nid {
				row["national_id"], row["full_name"], row["joined_on"] = "001090000099", "Nguyễn Văn Ân", "2022-06-01"
			}
		})
		if got, want := reports(t, st), reports(t, ref); got != want {
			g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
			for i := range g {
				if i < len(w) && g[i] != w[i] {
					k := 0
					for k < len(g[i]) && k < len(w[i]) && g[i][k] == w[i][k] {
						k++
					}
					t.Errorf("the reports after the edit differ from a fresh import at %.40s:\n got …%.300s\nwant …%.300s", g[i], g[i][max(0, k-100):], w[i][max(0, k-100):])
					break
				}
			}
		}
		// Sending the form unchanged writes nothing.
		resp, _ = lan.post(path, memberForm(after))
		if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "no_change") {
			t.Errorf("unchanged form: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if n := len(f.auditOf("member.edit")); n != 1 {
			t.Errorf("an unchanged form wrote an audit entry (%d)", n)
		}
	})
}

func TestMemberUndo(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		want := reports(t, st)
		lan := f.loggedIn("lan")
		// A mistaken admission, then a transfer of that member.
		resp, body := lan.post("/members/new", url.Values{"national_id": {"001090000077"}, "id_type": {"cccd"}, "full_name": {"Người Nhập Nhầm"},
			"date_of_birth": {"12/05/1990"}, "gender": {"male"}, "unit_code": {"CG-A"}, "joined_on": {"01/03/2022"}, "joined_how": {"admitted"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("admit: %d %.500s", resp.StatusCode, body)
		}
		id := f.memberID("001090000077")
		if resp, body := lan.post(fmt.Sprintf("/members/%d/transfer", id), url.Values{"to_unit_code": {"CG-B"}, "date": {"01/06/2022"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("transfer: %d %.500s", resp.StatusCode, body)
		}
		if reports(t, st) == want {
			t.Fatal("the admission changed no report")
		}
		path := fmt.Sprintf("/members/%d/undo", id)
		if resp, body := lan.get(path); resp.StatusCode != 200 || !strings.Contains(body, "*********077") || strings.Contains(body, "001090000077") {
			t.Errorf("GET undo: %d %.300s", resp.StatusCode, body)
		}
		// Out of the subtree: not found; no CSRF: 403; no reason: 422.
		if resp, _ := f.loggedIn("binh").post(path, url.Values{"edit_reason": {"x"}}); resp.StatusCode != 404 {
			t.Errorf("binh: %d, want 404", resp.StatusCode)
		}
		if resp, _ := lan.postForm(path, url.Values{"edit_reason": {"x"}}); resp.StatusCode != 403 {
			t.Errorf("no CSRF: %d, want 403", resp.StatusCode)
		}
		if resp, body := lan.post(path, url.Values{"edit_reason": {""}}); resp.StatusCode != 422 || !strings.Contains(body, "<code>edit_reason</code>") {
			t.Errorf("no reason: %d %.300s", resp.StatusCode, body)
		}
		if _, err := st.Member(ctx, "001090000077"); err != nil || len(f.auditOf("member.undo")) != 0 {
			t.Fatalf("a refused undo removed the member or wrote an entry: %v", err)
		}
		resp, _ = lan.post(path, url.Values{"edit_reason": {"Nhập nhầm người"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("undo: %d", resp.StatusCode)
		}
		if _, err := st.Member(ctx, "001090000077"); err == nil {
			t.Error("the member is still on record")
		}
		entries := f.auditOf("member.undo")
		if len(entries) != 1 || !strings.Contains(entries[0].Detail, "Nhập nhầm người") || !strings.Contains(entries[0].Detail, "*********077") || strings.Contains(entries[0].Detail, "001090000077") {
			t.Errorf("undo audit entries: %+v", entries)
		}
		// Every report reads as if the member had never been admitted.
		if got := reports(t, st); got != want {
			t.Errorf("the reports after the undo differ from before the admission:\n got %s\nwant %s", got, want)
		}
		if resp, _ := lan.get(path); resp.StatusCode != 404 {
			t.Errorf("the undone member's page: %d, want 404", resp.StatusCode)
		}
	})
}

func TestUnitEditForm(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		lan := f.loggedIn("lan")
		if _, body := lan.get("/units/CG-B"); !strings.Contains(body, "/units/CG-B/edit") {
			t.Error("the unit page has no edit link")
		}
		want := reports(t, st)
		// Outside the subtree: not found. No CSRF: 403.
		v := url.Values{"name": {"Tên mới"}, "decision_no": {"22/QĐ-LĐLĐ"}, "founded_on": {"05/03/2022"}, "ownership": {"fdi"}}
		if resp, _ := f.loggedIn("binh").get("/units/CG-B/edit"); resp.StatusCode != 404 {
			t.Errorf("binh GET: %d", resp.StatusCode)
		}
		if resp, _ := f.loggedIn("binh").post("/units/CG-B/edit", v); resp.StatusCode != 404 {
			t.Errorf("binh POST: %d", resp.StatusCode)
		}
		if resp, _ := lan.postForm("/units/CG-B/edit", v); resp.StatusCode != 403 {
			t.Errorf("no CSRF: %d", resp.StatusCode)
		}
		// A manager changes only units strictly below their own.
		if resp, _ := lan.post("/units/HN-CG/edit", url.Values{"name": {"Đổi tên quận"}}); resp.StatusCode != 422 {
			t.Errorf("manager edits own unit: %d, want 422", resp.StatusCode)
		}
		// Invalid input names its field; nothing is written.
		for field, value := range map[string]string{"founded_on": "32/13/2022", "name": "", "enterprise_tax_code": "0100100008"} {
			resp, body := lan.post("/units/CG-B/edit", withField(v, field, value))
			if resp.StatusCode != 422 || !strings.Contains(body, "<code>"+field+"</code>") {
				t.Errorf("%s=%q: %d %.500s", field, value, resp.StatusCode, body)
			}
		}
		if u, _ := st.Unit(ctx, "CG-B"); u.Name != "CĐCS Công ty Bình Minh Việt Nam" || len(f.auditOf("unit.edit")) != 0 {
			t.Fatalf("an invalid edit wrote: %+v", u)
		}
		// A valid edit: the decision shows on the page; the audit keeps
		// before → after; the tree and the counters do not move.
		resp, body := lan.post("/units/CG-B/edit", v)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("valid edit: %d %.500s", resp.StatusCode, body)
		}
		u, _ := st.Unit(ctx, "CG-B")
		if u.Name != "Tên mới" || u.DecisionNo != "22/QĐ-LĐLĐ" || u.Ownership != "fdi" || u.ParentCode != "HN-CG" {
			t.Errorf("after the edit: %+v", u)
		}
		if _, body := lan.get("/units/CG-B"); !strings.Contains(body, "22/QĐ-LĐLĐ") || !strings.Contains(body, "05/03/2022") {
			t.Error("the unit page does not show the decision")
		}
		e := f.auditOf("unit.edit")
		if len(e) != 1 || !strings.Contains(e[0].Detail, "name: CĐCS Công ty Bình Minh Việt Nam → Tên mới") || !strings.Contains(e[0].Detail, "decision_no: — → 22/QĐ-LĐLĐ") || e[0].UnitCode != "CG-B" {
			t.Errorf("audit: %+v", e)
		}
		if got := reports(t, st); strings.ReplaceAll(got, "Tên mới", "CĐCS Công ty Bình Minh Việt Nam") != want {
			t.Error("a unit's edit changed the counters")
		}
		// Linked to an enterprise of Cầu Giấy.
		v.Set("enterprise_tax_code", "0100100079")
		if resp, body := lan.post("/units/CG-B/edit", v); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("link: %d %.500s", resp.StatusCode, body)
		}
		if u, _ := st.Unit(ctx, "CG-B"); u.EnterpriseTaxCode != "0100100079" {
			t.Errorf("not linked: %+v", u)
		}
		if e := f.auditOf("unit.edit"); len(e) != 2 || !strings.Contains(e[0].Detail, "enterprise_tax_code: — → 0100100079") {
			t.Errorf("audit of the link: %+v", e)
		}
	})
}

func TestEnterpriseEditForm(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		lan := f.loggedIn("lan")
		if _, body := lan.get("/enterprises"); !strings.Contains(body, "/enterprises/new") || !strings.Contains(body, "/enterprises/0100100079/edit") {
			t.Error("the enterprise list has no add or edit link")
		}
		good := url.Values{"tax_code": {"0101243150"}, "name": {"Công ty Mới"}, "ownership": {"private"}, "employees": {"1.200"},
			"address": {"Số 1 Trần Duy Hưng"}, "area": {"Trung Hòa"}, "unit_code": {"ldld quan cau giay"}}
		// Invalid input: the field named, nothing written.
		for field, value := range map[string]string{"tax_code": "0101243151", "employees": "nhiều", "unit_code": "CG-A", "name": strings.Repeat("x", 201), "ownership": ""} {
			resp, body := lan.post("/enterprises/new", withField(good, field, value))
			if resp.StatusCode != 422 || !strings.Contains(body, "<code>"+field+"</code>") {
				t.Errorf("%s=%q: %d %.500s", field, value, resp.StatusCode, body)
			}
		}
		// A unit outside the subtree.
		if resp, _ := lan.post("/enterprises/new", withField(good, "unit_code", "HN-BD")); resp.StatusCode != 422 {
			t.Errorf("outside unit: %d", resp.StatusCode)
		}
		if resp, _ := lan.postForm("/enterprises/new", good); resp.StatusCode != 403 {
			t.Errorf("no CSRF: %d", resp.StatusCode)
		}
		if _, err := st.Enterprise(ctx, "0101243150"); err == nil || len(f.auditOf("enterprise.add")) != 0 {
			t.Fatal("an invalid form wrote")
		}
		// Added, the unit typed by name without accents.
		if resp, body := lan.post("/enterprises/new", good); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add: %d %.600s", resp.StatusCode, body)
		}
		e, err := st.Enterprise(ctx, "0101243150")
		if err != nil || e.UnitCode != "HN-CG" || e.Employees != 1200 {
			t.Fatalf("added: %+v %v", e, err)
		}
		// Again: the tax code exists.
		if resp, body := lan.post("/enterprises/new", good); resp.StatusCode != 422 || !strings.Contains(body, "<code>tax_code</code>") {
			t.Errorf("twice: %d", resp.StatusCode)
		}
		// Edited: workers and area, before → after.
		good.Set("employees", "1.350")
		good.Set("area", "Yên Hòa")
		good.Set("unit_code", "HN-CG")
		if resp, body := lan.post("/enterprises/0101243150/edit", good); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d %.600s", resp.StatusCode, body)
		}
		if e, _ := st.Enterprise(ctx, "0101243150"); e.Employees != 1350 || e.Area != "Yên Hòa" {
			t.Errorf("edited: %+v", e)
		}
		a := f.auditOf("enterprise.edit")
		if len(a) != 1 || !strings.Contains(a[0].Detail, "employees: 1.200 → 1.350") || !strings.Contains(a[0].Detail, "area: Trung Hòa → Yên Hòa") {
			t.Errorf("audit: %+v", a)
		}
		// Ba Đình's manager does not find Cầu Giấy's enterprise.
		if resp, _ := f.loggedIn("binh").get("/enterprises/0101243150/edit"); resp.StatusCode != 404 {
			t.Errorf("binh GET: %d", resp.StatusCode)
		}
		if resp, _ := f.loggedIn("binh").post("/enterprises/0101243150/edit", good); resp.StatusCode != 404 {
			t.Errorf("binh POST: %d", resp.StatusCode)
		}
	})
}

func TestUserEditForm(t *testing.T) {
	t.Parallel()
	eachFixture(t, usersFixture, func(t *testing.T, st *store.Store, f *fixture) {
		admin, cg := f.loggedIn("admin"), f.loggedIn("quantricg")
		if _, body := admin.get("/users"); !strings.Contains(body, "/users/lan/edit") {
			t.Error("the user list has no edit link")
		}
		// Managers may not; the district admin does not find Ba Đình's users.
		if resp, _ := f.loggedIn("lan").get("/users/xem/edit"); resp.StatusCode != 403 {
			t.Errorf("manager: %d", resp.StatusCode)
		}
		if resp, _ := cg.get("/users/binh/edit"); resp.StatusCode != 404 {
			t.Errorf("outside: %d", resp.StatusCode)
		}
		if resp, _ := cg.post("/users/binh/disable", url.Values{}); resp.StatusCode != 404 {
			t.Errorf("outside disable: %d", resp.StatusCode)
		}
		if resp, _ := cg.postForm("/users/xem/edit", url.Values{"role": {"manager"}, "unit_code": {"CG-A"}}); resp.StatusCode != 403 {
			t.Errorf("no CSRF: %d", resp.StatusCode)
		}
		// Role and unit: the unit within the admin's subtree.
		if resp, body := cg.post("/users/xem/edit", url.Values{"role": {"manager"}, "unit_code": {"HN-BD"}}); resp.StatusCode != 422 || !strings.Contains(body, "<code>unit_code</code>") {
			t.Errorf("unit outside: %d", resp.StatusCode)
		}
		if resp, body := cg.post("/users/xem/edit", url.Values{"role": {"boss"}, "unit_code": {"CG-A"}}); resp.StatusCode != 422 || !strings.Contains(body, "<code>role</code>") {
			t.Errorf("bad role: %d", resp.StatusCode)
		}
		if len(f.auditOf("user.edit")) != 0 {
			t.Fatal("a refused edit wrote an entry")
		}
		if resp, body := cg.post("/users/xem/edit", url.Values{"role": {"manager"}, "unit_code": {"an phat"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d %.500s", resp.StatusCode, body)
		}
		x, _ := st.UserByName(ctx, "xem")
		if x.Role != "manager" || x.UnitCode != "CG-A" {
			t.Errorf("after the edit: %+v", x)
		}
		if a := f.auditOf("user.edit"); len(a) != 1 || !strings.Contains(a[0].Detail, "role: viewer → manager") || !strings.Contains(a[0].Detail, "unit_code: HN-CG → CG-A") {
			t.Errorf("audit: %+v", a)
		}
		// Nobody disables themselves.
		if resp, _ := cg.post("/users/quantricg/disable", url.Values{}); resp.StatusCode != 422 {
			t.Errorf("self-disable: %d", resp.StatusCode)
		}
		// Disabled: no login, the session and the token stop working.
		xem := f.loggedIn("xem")
		if code, _ := f.get("/api/v1/units/CG-A", "xem"); code != 200 {
			t.Fatalf("token before: %d", code)
		}
		if resp, _ := cg.post("/users/xem/disable", url.Values{}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("disable: %d", resp.StatusCode)
		}
		if resp, _ := xem.get("/"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("the disabled user's session still works: %d", resp.StatusCode)
		}
		if code, _ := f.get("/api/v1/units/CG-A", "xem"); code != 401 {
			t.Errorf("the disabled user's token: %d, want 401", code)
		}
		if resp := f.browser().login("xem", password); resp.StatusCode == http.StatusSeeOther {
			t.Error("a disabled user logged in")
		}
		if len(f.auditOf("user.disable")) != 1 {
			t.Error("no user.disable entry")
		}
		if resp, _ := cg.post("/users/xem/enable", url.Values{}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("enable: %d", resp.StatusCode)
		}
		f.loggedIn("xem")
		// Password reset: the store's rules; a generated one shown once.
		if resp, body := cg.post("/users/xem/password", url.Values{"password": {"short"}, "password2": {"short"}}); resp.StatusCode != 422 || !strings.Contains(body, "<code>password</code>") {
			t.Errorf("short password: %d", resp.StatusCode)
		}
		if resp, _ := cg.post("/users/xem/password", url.Values{"password": {"Mật-khẩu-mới-2026"}, "password2": {"Mật-khẩu-mới-2026"}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("set password: %d", resp.StatusCode)
		}
		if _, err := st.CheckPassword(ctx, "xem", "Mật-khẩu-mới-2026"); err != nil {
			t.Errorf("the new password: %v", err)
		}
		resp, body := cg.post("/users/xem/password", url.Values{"generate": {"1"}})
		if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("generate: %d %s", resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
		i := strings.Index(body, `id="generated-password">`)
		if i < 0 {
			t.Fatalf("no generated password shown: %.500s", body)
		}
		gen := body[i+len(`id="generated-password">`):]
		gen = gen[:strings.Index(gen, "<")]
		if len(gen) != 16 || store.PasswordProblem("xem", gen) != "" {
			t.Errorf("generated %q", gen)
		}
		if _, err := st.CheckPassword(ctx, "xem", gen); err != nil {
			t.Errorf("the generated password: %v", err)
		}
		for _, e := range append(f.auditOf("user.password"), f.auditOf("user.edit")...) {
			if strings.Contains(e.Detail, gen) || strings.Contains(e.Detail, "Mật-khẩu-mới") {
				t.Errorf("a password is in the audit log: %q", e.Detail)
			}
		}
		if strings.Contains(f.logs.String(), gen) {
			t.Error("the generated password is in the log")
		}
	})
}

// The unit picker: words without accents find a unit by name, within the
// user's subtree and the kinds the form allows.
func TestUnitPicker(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		lan := f.loggedIn("lan")
		pick := func(b *browser, q, kind string) string {
			t.Helper()
			resp, body := b.get("/units/pick?for=" + kind + "&q=" + url.QueryEscape(q))
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Fatalf("pick %q: %d %s", q, resp.StatusCode, body)
			}
			var out []struct{ Code, Name string }
			if err := json.Unmarshal([]byte(body), &out); err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, u := range out {
				codes = append(codes, u.Code)
			}
			return strings.Join(codes, ",")
		}
		for _, c := range []struct{ q, kind, want string }{
			{"binh minh", "grassroots", "CG-B"},
			{"BÌNH MINH", "grassroots", "CG-B"},
			{"cong ty", "grassroots", "CG-B,CG-A"}, // by name: "cdcs cong ty b…" first
			{"cg-a", "grassroots", "CG-A"},
			{"truong", "grassroots", ""}, // BD-C: outside lan's subtree
			{"cau giay", "grassroots", ""},
			{"cau giay", "upper", "HN-CG"},
			{"%", "any", ""},
		} {
			if got := pick(lan, c.q, c.kind); got != c.want {
				t.Errorf("lan picks %q (%s): %q, want %q", c.q, c.kind, got, c.want)
			}
		}
		if got := pick(f.loggedIn("admin"), "truong ba dinh", "grassroots"); got != "BD-C" {
			t.Errorf("admin picks: %q", got)
		}
		// Without JavaScript: the admission form takes the name typed
		// without accents; several matches come back as the field's error.
		form := url.Values{"national_id": {"001090000066"}, "id_type": {"cccd"}, "full_name": {"Lê Chọn"}, "date_of_birth": {"12/05/1990"},
			"gender": {"male"}, "unit_code": {"cong ty"}, "joined_on": {"01/04/2022"}, "joined_how": {"admitted"}}
		resp, body := lan.post("/members/new", form)
		if resp.StatusCode != 422 || !strings.Contains(body, "<code>unit_code</code>") || !strings.Contains(body, `<option value="CG-A">`) {
			t.Errorf("ambiguous: %d %.500s", resp.StatusCode, body)
		}
		form.Set("unit_code", "binh minh viet nam")
		if resp, body := lan.post("/members/new", form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("admit by name: %d %s", resp.StatusCode, body[strings.Index(body, "<main"):])
		}
		if m, err := st.Member(ctx, "001090000066"); err != nil || m.UnitCode != "CG-B" {
			t.Errorf("admitted into %v (%v)", m, err)
		}
		// The forms carry the picker.
		for _, p := range []string{"/members/new", fmt.Sprintf("/members/%d", f.memberID("001090000066")), "/enterprises/new"} {
			if _, body := lan.get(p); !strings.Contains(body, `data-picker=`) || !strings.Contains(body, "picker.") {
				t.Errorf("%s has no unit picker", p)
			}
		}
	})
}

// Renaming a member to an ID number of another subtree's member tells that
// the number is on record: such answers are rate-limited, as the admission
// form's are.
func TestMemberEditLookupLimit(t *testing.T) {
	t.Parallel()
	st := storetest.Open(t, store.SQLite)
	f := newFixtureWith(t, st, func(s *web.Server) { s.LookupLimit = 1 })
	lan := f.loggedIn("lan")
	before, err := st.Member(ctx, "001090000001")
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/members/%d/edit", before.ID)
	v := memberForm(before)
	v.Set("national_id", "001180000007") // Đặng Thị Ánh, BD-C: outside lan's subtree
	v.Set("edit_reason", "thử")
	v.Set("date_of_birth", "07/07/1980")
	v.Set("gender", "female")
	if resp, body := lan.post(path, v); resp.StatusCode != 422 || !strings.Contains(body, "<code>national_id</code>") {
		t.Fatalf("first: %d", resp.StatusCode)
	}
	if resp, _ := lan.post(path, v); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("second: %d, want 429", resp.StatusCode)
	}
	if m, err := st.Member(ctx, "001090000001"); err != nil || m.FullName != before.FullName {
		t.Errorf("the member changed: %v %v", m, err)
	}
}
