package web_test

import (
	"bytes"
	"mime/multipart"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"congdoan/internal/export"
	"congdoan/internal/store"
)

// The reorganisation of the fixture: a ward union founded on 1 July 2025
// under the city (HN-P1), a cluster union inside Cầu Giấy (CG-W), a
// cluster dissolved in 2023 (CG-X) and a grassroots union dissolved in
// 2024 (CG-D). phuong manages the ward union.
const moveUnitsCSV = `code,name,parent_code,kind,ownership,founded_on,dissolved_on
HN-P1,Công đoàn phường Nghĩa Đô,HN,upper,,2025-07-01,
CG-W,Công đoàn cụm Dịch Vọng,HN-CG,upper,,2020-01-01,
CG-X,Công đoàn cụm Yên Hòa,HN-CG,upper,,2020-01-01,2023-01-01
CG-D,CĐCS Công ty Đông Đô,HN-CG,grassroots,private,2020-01-01,2024-01-01
`

func moveFixture(t *testing.T, st *store.Store) *fixture {
	t.Helper()
	f := pageFixture(t, st)
	importCSV(t, st, "units", moveUnitsCSV)
	f.addUser("phuong", "manager", "HN-P1")
	return f
}

// noMoves checks that the units have not moved.
func (f *fixture) noMoves(t *testing.T, codes ...string) {
	t.Helper()
	for _, c := range codes {
		if ms := f.moves(c); len(ms) != 0 {
			t.Errorf("moves of %s after invalid moves: %v", c, ms)
		}
	}
}

// moves are the moves of a unit, "CODE>PARENT@DATE#DECISION" each.
func (f *fixture) moves(code string) []string {
	f.t.Helper()
	u, err := f.st.Unit(ctx, code)
	if err != nil {
		f.t.Fatal(err)
	}
	ms, err := f.st.UnitMoves(ctx, u.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		out = append(out, code+">"+m.NewParentCode+"@"+m.MovedOn.String()+"#"+m.DecisionNo)
	}
	return out
}

// The form "Chuyển đơn vị" of a unit's page and its history of parents:
// every bad input is refused with the field named and nothing written,
// the scope is checked on the unit and on the new parent, and a move
// changes neither the unit's past reports nor who may see them.
func TestPageMoveUnit(t *testing.T) {
	t.Parallel()
	eachFixture(t, moveFixture, func(t *testing.T, st *store.Store, f *fixture) {
		admin, lan, xem, binh := f.loggedIn("admin"), f.loggedIn("lan"), f.loggedIn("xem"), f.loggedIn("binh")
		// The unit page offers the form to writers, with the upper units
		// of their subtree outside the unit's own.
		resp, body := admin.get("/units/CG-A")
		see(t, resp, body, 200, "unit page")
		for _, s := range []string{`action="/units/CG-A/move#move"`, "Chuyển đơn vị", `<option value="HN-P1"`, "Ngày hiệu lực", "Số quyết định",
			"Quá trình trực thuộc", "LĐLĐ quận Cầu Giấy", "đã giải thể 01/01/2023"} {
			if !strings.Contains(body, s) {
				t.Errorf("the unit page lacks %q", s)
			}
		}
		if _, body := admin.get("/units/HN-CG"); strings.Contains(body, `<option value="CG-W"`) || !strings.Contains(body, `<option value="HN-BD"`) {
			t.Error("HN-CG may be moved under its own cluster, or not under Ba Đình")
		}
		if _, body := lan.get("/units/HN-CG"); strings.Contains(body, `action="/units/HN-CG/move#move"`) {
			t.Error("a manager is offered to move their own unit")
		}
		if _, body := xem.get("/units/CG-A"); strings.Contains(body, `/move"`) || strings.Contains(body, "move-children") {
			t.Error("a viewer is offered a move")
		}
		reportBefore := func() []byte {
			code, b := f.get("/api/v1/report?plan=HN-2022&unit=HN-CG&as_of=2022-07-08", "admin")
			if code != 200 {
				t.Fatalf("report: %d %s", code, b)
			}
			return b
		}
		before := reportBefore()

		bad := []struct {
			name  string
			form  url.Values
			field string
		}{
			{"to a grassroots unit", url.Values{"new_parent_code": {"CG-B"}, "moved_on": {"01/07/2025"}}, "new_parent_code"},
			{"to a unit not yet founded", url.Values{"new_parent_code": {"HN-P1"}, "moved_on": {"30/06/2025"}}, "new_parent_code"},
			{"to a dissolved unit", url.Values{"new_parent_code": {"CG-X"}, "moved_on": {"01/06/2023"}}, "new_parent_code"},
			{"to an unknown unit", url.Values{"new_parent_code": {"NOPE"}, "moved_on": {"01/07/2025"}}, "new_parent_code"},
			{"without a new parent", url.Values{"new_parent_code": {""}, "moved_on": {"01/07/2025"}}, "new_parent_code"},
			{"on an impossible date", url.Values{"new_parent_code": {"HN-P1"}, "moved_on": {"31/02/2025"}}, "moved_on"},
			{"without a date", url.Values{"new_parent_code": {"HN-P1"}, "moved_on": {""}}, "moved_on"},
			{"before the unit's founding", url.Values{"new_parent_code": {"HN-BD"}, "moved_on": {"01/01/2021"}}, "moved_on"},
		}
		for _, c := range bad {
			resp, body := admin.post("/units/CG-A/move", c.form)
			see(t, resp, body, 422, "a move "+c.name)
			if !strings.Contains(body, "Dữ liệu chưa hợp lệ") || !strings.Contains(body, "<code>"+c.field+"</code>") {
				t.Errorf("a move %s: the errors do not name %s: %s", c.name, c.field, errorsOf(body))
			}
			if !strings.Contains(body, `id="move"`) || !strings.Contains(body, "Quá trình trực thuộc") {
				t.Errorf("a move %s: the unit page does not come back with the form", c.name)
			}
		}
		// A dissolved unit is not moved after its dissolution; a unit is
		// not moved below itself.
		// A dissolved unit is not moved after its dissolution; a unit is
		// not moved below itself. The scope: another district's unit, a
		// viewer, a new parent outside the subtree, the manager's own
		// unit.
		move := url.Values{"new_parent_code": {"CG-W"}, "moved_on": {"01/07/2025"}, "decision_no": {"12/QĐ-CĐ"}}
		for _, c := range []struct {
			b          *browser
			path       string
			form       url.Values
			want       int
			text, what string
		}{
			{admin, "/units/CG-D/move", url.Values{"new_parent_code": {"CG-W"}, "moved_on": {"01/07/2025"}}, 422, "<code>code</code>", "a move of a dissolved unit"},
			{admin, "/units/HN-CG/move", url.Values{"new_parent_code": {"CG-W"}, "moved_on": {"01/07/2025"}}, 422, "<code>new_parent_code</code>", "a cycle"},
			{admin, "/units/NOPE/move", url.Values{"new_parent_code": {"HN-P1"}, "moved_on": {"01/07/2025"}}, 404, "", "a move of an unknown unit"},
			{binh, "/units/CG-B/move", move, 403, "", "a move in Cầu Giấy by Ba Đình"},
			{xem, "/units/CG-B/move", move, 403, "", "a move by a viewer"},
			{lan, "/units/CG-B/move", url.Values{"new_parent_code": {"HN-BD"}, "moved_on": {"01/07/2025"}}, 422, "ngoài phạm vi đơn vị", "a move out of the manager's subtree"},
			{lan, "/units/HN-CG/move", url.Values{"new_parent_code": {"HN-BD"}, "moved_on": {"01/07/2025"}}, 422, "", "a manager's move of their own unit"},
		} {
			resp, body := c.b.post(c.path, c.form)
			see(t, resp, body, c.want, c.what)
			if !strings.Contains(body, c.text) {
				t.Errorf("%s: %s", c.what, errorsOf(body))
			}
		}
		resp, body = lan.postForm("/units/CG-B/move", move)
		see(t, resp, body, 403, "a move without the CSRF token")
		f.noMoves(t, "CG-A", "CG-B", "CG-D", "HN-CG")

		// Within the subtree: the manager moves a union under a cluster.
		resp, body = lan.post("/units/CG-B/move", move)
		seeRedirect(t, resp, body, "/units/CG-B?saved=unit_moved#parents", "a move within Cầu Giấy")
		// The city moves An Phát under the new ward union.
		resp, body = admin.post("/units/CG-A/move", url.Values{"new_parent_code": {"HN-P1"}, "moved_on": {"01/07/2025"}, "decision_no": {"1940/QĐ-LĐLĐ"}})
		see(t, resp, body, 303, "a move under the ward union")
		if got := strings.Join(append(f.moves("CG-A"), f.moves("CG-B")...), " "); got != "CG-A>HN-P1@2025-07-01#1940/QĐ-LĐLĐ CG-B>CG-W@2025-07-01#12/QĐ-CĐ" {
			t.Errorf("moves: %s", got)
		}
		resp, body = admin.get("/units/CG-A?saved=unit_moved")
		see(t, resp, body, 200, "the moved unit's page")
		hist := regexp.MustCompile(`(?s)<table class="stack" id="history">.*?</table>`).FindString(body)
		for _, s := range []string{"Đã chuyển đơn vị.", "trực thuộc <a href=\"/units/HN-P1\">Công đoàn phường Nghĩa Đô</a>"} {
			if !strings.Contains(body, s) {
				t.Errorf("the moved unit's page lacks %q", s)
			}
		}
		text := strings.Join(strings.Fields(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(hist, " ")), " ")
		if want := "LĐLĐ quận Cầu Giấy HN-CG 10/01/2022 01/07/2025 15/QĐ-LĐLĐ Công đoàn phường Nghĩa Đô HN-P1 01/07/2025 nay 1940/QĐ-LĐLĐ"; !strings.Contains(text, want) {
			t.Errorf("history of parents:\n%s\nwant it to hold\n%s", text, want)
		}
		_ = hist
		// The API.
		code, b := f.get("/api/v1/units/CG-A", "admin")
		if code != 200 || !strings.Contains(string(b), `"moves":[{"new_parent_code":"HN-P1","moved_on":"2025-07-01","decision_no":"1940/QĐ-LĐLĐ"}]`) {
			t.Errorf("GET /api/v1/units/CG-A: %d %s", code, b)
		}
		if code, b := f.get("/api/v1/units/BD-C", "admin"); code != 200 || !strings.Contains(string(b), `"moves":[]`) {
			t.Errorf("GET /api/v1/units/BD-C: %d %s", code, b)
		}
		if code, b := f.get("/api/v1/units/HN-P1", "admin"); code != 200 || !strings.Contains(string(b), `"code":"CG-A"`) {
			t.Errorf("the ward union's children: %d %s", code, b)
		}
		// The past report of Cầu Giấy is as it was.
		if after := reportBefore(); !bytes.Equal(before, after) {
			t.Errorf("the 2022 report of HN-CG changed with a 2025 move:\n%s\n%s", before, after)
		}
		// Scopes follow today's tree: Cầu Giấy no longer sees An Phát; the
		// ward union does, with its past reports, and may move it on.
		resp, _ = lan.get("/units/CG-A")
		see(t, resp, "", 403, "the moved unit for its former district")
		phuong := f.loggedIn("phuong")
		for _, p := range []string{"/units/CG-A", "/?plan=HN-2022&unit=CG-A&as_of=08/07/2022", "/members?unit=CG-A", "/units"} {
			if resp, body := phuong.get(p); resp.StatusCode != 200 {
				t.Errorf("the ward union's manager GET %s: %d %.300s", p, resp.StatusCode, body)
			}
		}
		if code, b := f.get("/api/v1/report?plan=HN-2022&unit=CG-A&as_of=2022-07-08", "phuong"); code != 200 {
			t.Errorf("the ward union's manager reads CG-A's 2022 report: %d %s", code, b)
		}
		resp, body = phuong.post("/units/CG-A/move", url.Values{"new_parent_code": {"HN-P1"}, "moved_on": {"01/07/2025"}, "decision_no": {"1940/QĐ-LĐLĐ (sửa)"}})
		see(t, resp, body, 303, "the ward union corrects the decision number")
		if got := f.moves("CG-A"); len(got) != 1 || got[0] != "CG-A>HN-P1@2025-07-01#1940/QĐ-LĐLĐ (sửa)" {
			t.Errorf("re-saving a move: %v", got)
		}
		// Dissolving a moved union keeps its history of parents.
		resp, body = lan.post("/units/CG-B/dissolve", url.Values{"dissolved_on": {"01/12/2025"}})
		see(t, resp, body, 303, "the dissolution of a moved union")
		if u, _ := st.Unit(ctx, "CG-B"); u != nil {
			spans, err := st.ParentHistory(ctx, u.ID)
			if err != nil || len(spans) != 2 || spans[0].ParentCode != "HN-CG" || spans[1].ParentCode != "CG-W" || u.DissolvedOn.String() != "2025-12-01" {
				t.Errorf("the dissolved union's history: %+v %v", spans, err)
			}
		}
		// Audited.
		_, body = admin.get("/audit")
		for _, s := range []string{"Chuyển đơn vị", "CG-A CĐCS Công ty TNHH An Phát → HN-P1: 01/07/2025 (1940/QĐ-LĐLĐ)"} {
			if !strings.Contains(body, s) {
				t.Errorf("the audit log lacks %q", s)
			}
		}
	})
}

// errorsOf is the error box of a page, for messages.
func errorsOf(body string) string {
	m := regexp.MustCompile(`(?s)<div class="errors".*?</div>`).FindString(body)
	return strings.Join(strings.Fields(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m, " ")), " ")
}

// The bulk move: many grassroots unions of one parent under a new parent
// on one date, all or none.
func TestPageBulkMove(t *testing.T) {
	t.Parallel()
	eachFixture(t, moveFixture, func(t *testing.T, st *store.Store, f *fixture) {
		admin, lan, xem, binh := f.loggedIn("admin"), f.loggedIn("lan"), f.loggedIn("xem"), f.loggedIn("binh")
		resp, body := admin.get("/units/HN-CG")
		if !strings.Contains(body, `href="/units/HN-CG/move-children"`) {
			t.Error("the district's page has no link to the bulk move")
		}
		resp, body = admin.get("/units/HN-CG/move-children")
		see(t, resp, body, 200, "bulk move page")
		for _, s := range []string{`name="code" value="CG-A"`, `name="code" value="CG-B"`, `name="code" value="CG-D"`, `data-select-all="code"`,
			"Chọn tất cả", "đã giải thể 01/01/2024", `<option value="HN-P1"`, "/static/select."} {
			if !strings.Contains(body, s) {
				t.Errorf("the bulk move page lacks %q", s)
			}
		}
		if strings.Contains(body, `value="CG-W"`+" id=") || strings.Contains(body, `<option value="HN-CG"`) {
			t.Error("the bulk page lists a cluster as a union, or the parent itself as the new parent")
		}
		for _, p := range []string{"/units/CG-A/move-children", "/units/NOPE/move-children"} {
			if resp, _ := admin.get(p); resp.StatusCode != 404 {
				t.Errorf("GET %s: %d, want 404", p, resp.StatusCode)
			}
		}
		good := url.Values{"code": {"CG-A", "CG-B"}, "new_parent_code": {"HN-P1"}, "moved_on": {"01/07/2025"}, "decision_no": {"1940/QĐ-LĐLĐ"}}
		with := func(k string, v ...string) url.Values { return withField(good, k, v...) }
		bad := []struct {
			name   string
			form   url.Values
			expect string
		}{
			{"with nothing chosen", with("code"), "Chưa chọn CĐCS nào"},
			{"of a union of another parent", with("code", "CG-A", "BD-C"), "BD-C không phải là CĐCS trực thuộc HN-CG"},
			{"to a grassroots unit", with("new_parent_code", "BD-C"), "<code>new_parent_code</code>"},
			{"to a unit not yet founded", with("moved_on", "01/01/2025"), "<code>new_parent_code</code>"},
			{"on an impossible date", with("moved_on", "31/02/2025"), "<code>moved_on</code>"},
			{"with a dissolved union", with("code", "CG-A", "CG-D"), "<strong>CG-D</strong> <code>code</code>"},
		}
		for _, c := range bad {
			resp, body := admin.post("/units/HN-CG/move-children", c.form)
			see(t, resp, body, 422, "a bulk move "+c.name)
			if !strings.Contains(body, c.expect) {
				t.Errorf("a bulk move %s: no %q in %s", c.name, c.expect, errorsOf(body))
			}
			// The choice is kept.
			for _, code := range c.form["code"] {
				if !regexp.MustCompile(`value="`+code+`" id="u-`+code+`" checked`).MatchString(body) && code != "BD-C" {
					t.Errorf("a bulk move %s: %s is no longer ticked", c.name, code)
				}
			}
		}
		// The error of a shared field is said once, not once a union.
		_, body = admin.post("/units/HN-CG/move-children", with("moved_on", "31/02/2025"))
		if n := strings.Count(errorsOf(body), "moved_on"); n != 1 {
			t.Errorf("the date's error is said %d times: %s", n, errorsOf(body))
		}
		resp, body = binh.get("/units/HN-CG/move-children")
		see(t, resp, body, 403, "the bulk page of Cầu Giấy for Ba Đình")
		resp, body = binh.post("/units/HN-CG/move-children", good)
		see(t, resp, body, 403, "a bulk move of Cầu Giấy by Ba Đình")
		resp, body = xem.get("/units/HN-CG/move-children")
		see(t, resp, body, 403, "the bulk page for a viewer")
		resp, body = lan.postForm("/units/HN-CG/move-children", good)
		see(t, resp, body, 403, "a bulk move without the CSRF token")
		resp, body = lan.post("/units/HN-CG/move-children", good)
		see(t, resp, body, 422, "a bulk move out of the manager's subtree")
		if !strings.Contains(body, "ngoài phạm vi đơn vị") {
			t.Errorf("out of the subtree: %s", errorsOf(body))
		}
		f.noMoves(t, "CG-A", "CG-B", "CG-D")
		resp, body = admin.post("/units/HN-CG/move-children", good)
		seeRedirect(t, resp, body, "/units/HN-CG?saved=units_moved", "bulk move")
		if got := strings.Join(append(f.moves("CG-A"), f.moves("CG-B")...), " "); got != "CG-A>HN-P1@2025-07-01#1940/QĐ-LĐLĐ CG-B>HN-P1@2025-07-01#1940/QĐ-LĐLĐ" {
			t.Errorf("moves: %s", got)
		}
		_, body = admin.get("/units/HN-P1")
		for _, s := range []string{`href="/units/CG-A"`, `href="/units/CG-B"`} {
			if !strings.Contains(body, s) {
				t.Errorf("the ward union's page lacks %s", s)
			}
		}
		_, body = admin.get("/audit")
		if !strings.Contains(body, "Chuyển nhiều CĐCS") || !strings.Contains(body, "2 CĐCS của HN-CG → HN-P1: 01/07/2025") {
			t.Error("the bulk move is not in the audit log")
		}
	})
}

// The tree of any day, dissolved units marked, the import of moves.
func TestPageTreeOnDay(t *testing.T) {
	t.Parallel()
	eachFixture(t, moveFixture, func(t *testing.T, st *store.Store, f *fixture) {
		admin := f.loggedIn("admin")
		importRows(t, st, "moves", []string{"Mã đơn vị", "Mã đơn vị cấp trên mới", "Ngày hiệu lực"},
			[][]string{{"CG-A", "HN-P1", "01/07/2025"}})
		node := func(body, code string) string {
			m := regexp.MustCompile(`<a href="/units/` + code + `">[^\n]*\n<span class="counts">[^<]*</span>`).FindString(body)
			return strings.Join(strings.Fields(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m, " ")), " ")
		}
		resp, body := admin.get("/units")
		if resp.StatusCode != 200 {
			t.Fatalf("tree: %d", resp.StatusCode)
		}
		if got := node(body, "HN-P1"); got != "Công đoàn phường Nghĩa Đô HN-P1 · 1 CĐCS · 4 đoàn viên" {
			t.Errorf("today's ward union: %q", got)
		}
		if got := node(body, "CG-X"); !strings.Contains(got, "đã giải thể 01/01/2023") {
			t.Errorf("the dissolved cluster: %q", got)
		}
		resp, body = admin.get("/units?as_of=30/06/2025")
		if resp.StatusCode != 200 {
			t.Fatalf("tree of 30/06/2025: %d", resp.StatusCode)
		}
		if strings.Contains(body, `href="/units/HN-P1"`) {
			t.Error("the ward union is on the tree before its founding")
		}
		if got := node(body, "HN-CG"); !strings.Contains(got, "HN-CG · 2 CĐCS") {
			t.Errorf("Cầu Giấy on 30/06/2025: %q", got)
		}
		if !strings.Contains(body, `value="30/06/2025"`) || !strings.Contains(body, "Cây tổ chức và số liệu của ngày 30/06/2025") {
			t.Error("the tree's day is not shown")
		}
		resp, body = admin.get("/units?as_of=31/02/2025")
		if resp.StatusCode != 422 || !strings.Contains(body, "31/02/2025") {
			t.Errorf("an impossible day: %d", resp.StatusCode)
		}
		// The import page knows moves.
		resp, body = admin.get("/import")
		if !strings.Contains(body, `<option value="moves">`) || !strings.Contains(body, `<span class="mono">new_parent_code</span>`) || !strings.Contains(body, "Mã đơn vị cấp trên mới") {
			t.Error("the import page does not offer moves")
		}
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("csrf_token", admin.csrf())
		mw.WriteField("kind", "moves")
		fw, _ := mw.CreateFormFile("file", "chuyển.csv")
		fw.Write([]byte("Mã đơn vị,Mã đơn vị cấp trên mới,Ngày hiệu lực,Số quyết định\nCG-B,HN-P1,01/07/2025,1940/QĐ-LĐLĐ\nCG-D,HN-P1,01/07/2025,\n"))
		mw.Close()
		resp, body = admin.do("POST", "/import", &buf, mw.FormDataContentType(), nil)
		if resp.StatusCode != 422 || !strings.Contains(body, `<td data-label="Dòng">3</td>`) || !strings.Contains(body, "<code>code</code>") {
			t.Errorf("an import of moves with a dissolved union: %d %.300s", resp.StatusCode, errorsOf(body))
		}
		if ms := f.moves("CG-B"); len(ms) != 0 {
			t.Errorf("moves after a failed import: %v", ms)
		}
	})
}

// A child dissolved in the window is marked in the dashboard's ranking and
// in the XLSX ranking; one dissolved after the as-of date is not.
func TestDissolvedInRankings(t *testing.T) {
	t.Parallel()
	eachFixture(t, moveFixture, func(t *testing.T, st *store.Store, f *fixture) {
		importRows(t, st, "plans", []string{"code", "name", "unit_code", "start", "end"},
			[][]string{{"CG-2223", "Kế hoạch Cầu Giấy 2022–2023", "HN-CG", "2022-07-01", "2023-06-30"}})
		admin := f.loggedIn("admin")
		const mark = "đã giải thể 01/01/2023"
		_, body := admin.get("/?plan=CG-2223&unit=HN-CG&as_of=30/06/2023")
		rank := regexp.MustCompile(`(?s)<ol class="rank">.*?</ol>`).FindString(body)
		if !strings.Contains(rank, "Công đoàn cụm Yên Hòa</a> <span class=\"badge grey\">"+mark+"</span>") {
			t.Errorf("the ranking does not mark the dissolved cluster: %s", rank)
		}
		if strings.Count(rank, "đã giải thể") != 1 {
			t.Errorf("the ranking marks %d units", strings.Count(rank, "đã giải thể"))
		}
		_, body = admin.get("/?plan=CG-2223&unit=HN-CG&as_of=31/12/2022")
		if strings.Contains(regexp.MustCompile(`(?s)<ol class="rank">.*?</ol>`).FindString(body), mark) {
			t.Error("the ranking of a day before the dissolution marks it")
		}
		body = admin.okPage("/report/xlsx?plan=CG-2223&unit=HN-CG&as_of=2023-06-30")
		rows := xlsxRows(t, body, export.SheetChildren)
		found := false
		for _, r := range rows {
			if len(r) > 2 && r[1] == "CG-X" {
				found = r[2] == "Công đoàn cụm Yên Hòa ("+mark+")"
			}
		}
		if !found {
			t.Errorf("the XLSX ranking does not mark CG-X: %q", rows)
		}
	})
}
