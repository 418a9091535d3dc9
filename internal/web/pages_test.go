package web_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"congdoan/internal/demo"
	"congdoan/internal/domain"
	"congdoan/internal/importer"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
	"congdoan/internal/web"
)

// The pages of testdata/: Cầu Giấy (HN-CG, with CG-A and CG-B) and Ba Đình
// (HN-BD, with BD-C) under the city (HN); an enterprise registry added
// here.
const enterprisesCSV = `tax_code,name,ownership,employees,area,unit_code
0100109106,Công ty TNHH An Phát,private,120,Dịch Vọng,HN-CG
0100100079,Công ty Cổ phần May Cầu Giấy,private,300,Yên Hòa,HN-CG
0100100008,Công ty Bánh kẹo Ba Đình,state,45,Kim Mã,HN-BD
`

// pageFixture is the fixture with enterprises, CG-A linked to An Phát.
func pageFixture(t *testing.T, st *store.Store) *fixture {
	t.Helper()
	f := newFixture(t, st)
	addPageData(t, st)
	return f
}

// addPageData adds pageFixture's enterprises and links CG-A to An Phát.
func addPageData(t *testing.T, st *store.Store) {
	t.Helper()
	importCSV(t, st, "enterprises", enterprisesCSV)
	importRows(t, st, "units", []string{"code", "name", "parent_code", "kind", "ownership", "enterprise_tax_code", "founded_on", "decision_no", "method"},
		[][]string{{"CG-A", "CĐCS Công ty TNHH An Phát", "HN-CG", "grassroots", "private", "0100109106", "2022-01-10", "15/QĐ-LĐLĐ", "standard"}})
}

// importCSV imports the CSV text as kind.
func importCSV(t *testing.T, st *store.Store, kind, csv string) {
	t.Helper()
	importRows(t, st, kind, csvHeader(csv), csvRows(csv))
}

// importRows imports rows under header as kind (a file kind.csv), and
// fails the test on any error.
func importRows(t *testing.T, st *store.Store, kind string, header []string, rows [][]string) {
	t.Helper()
	if _, err := (&importer.Importer{Store: st}).Rows(ctx, kind, kind+".csv", header, rows); err != nil {
		t.Fatal(err)
	}
}

func csvHeader(s string) []string { return strings.Split(strings.SplitN(s, "\n", 2)[0], ",") }

func csvRows(s string) [][]string {
	var out [][]string
	for _, line := range strings.Split(strings.TrimSpace(s), "\n")[1:] {
		out = append(out, strings.Split(line, ","))
	}
	return out
}

// loggedIn is a browser logged in as user, with a distinct address so
// that the login limits of one test do not touch another.
func (f *fixture) loggedIn(user string) *browser {
	f.t.Helper()
	b := f.browser()
	b.hdr.Set("X-Forwarded-For", "10.9."+fmt.Sprint(len(user))+"."+fmt.Sprint(int(user[0])))
	if resp := b.login(user, password); resp.StatusCode != http.StatusSeeOther {
		f.t.Fatalf("login %s: %d", user, resp.StatusCode)
	}
	return b
}

func (f *fixture) memberID(nid string) int64 {
	f.t.Helper()
	m, err := f.st.Member(ctx, nid)
	if err != nil {
		f.t.Fatal(err)
	}
	return m.ID
}

// Every page for every role: 200 in the user's subtree, 403 outside it and
// for viewers' writes, 404 for the unknown, the login page without a
// session.
func TestPagesAccess(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		an := fmt.Sprintf("/members/%d", f.memberID("001090000001"))  // CG-A
		anh := fmt.Sprintf("/members/%d", f.memberID("001091000008")) // BD-C
		readable := []string{"/", "/?plan=HN-2022&unit=HN-CG&as_of=08/07/2022", "/?plan=HN-2022&unit=CG-A&campaign=&as_of=2022-07-08",
			"/units", "/units/HN-CG", "/units/CG-A", "/members", "/members?unit=CG-A&q=nguyen", an,
			"/enterprises", "/enterprises?unit=HN-CG&size=3&union=without&q=may", "/enterprises/gap?unit=HN-CG",
			"/plans", "/plans/HN-2022?unit=HN-CG", "/plans/HN-2022/campaigns"}
		writeForms := []string{"/members/new", "/members/new?unit=CG-A", "/units/HN-CG/found", "/units/CG-B/dissolve", "/import", "/audit"}
		outside := []string{"/units/HN-BD", "/units/BD-C", "/?plan=HN-2022&unit=HN-BD", "/members?unit=HN-BD", anh,
			"/enterprises?unit=HN-BD", "/enterprises/gap?unit=HN-BD", "/plans/HN-2022?unit=HN-BD"}
		outsideForms := []string{"/members/new?unit=BD-C", "/units/HN-BD/found", "/units/BD-C/dissolve"}
		type tc struct {
			user, path string
			want       int
		}
		var cases []tc
		for _, p := range append(append(append([]string{}, readable...), writeForms...), outside...) {
			cases = append(cases, tc{"admin", p, 200})
		}
		cases = append(cases, tc{"admin", "/units/HN", 200}, tc{"admin", "/?plan=HN-2022", 200}, tc{"admin", "/units/HN/found", 200})
		for _, p := range append(append([]string{}, readable...), writeForms...) {
			cases = append(cases, tc{"lan", p, 200})
		}
		for _, p := range append(append(append([]string{}, outside...), outsideForms...), "/units/HN", "/?plan=HN-2022&unit=HN", "/units/HN/found", "/plans/HN-2022?unit=HN") {
			cases = append(cases, tc{"lan", p, 403}, tc{"xem", p, 403})
		}
		for _, p := range readable {
			cases = append(cases, tc{"xem", p, 200})
		}
		for _, p := range writeForms {
			cases = append(cases, tc{"xem", p, 403})
		}
		for _, p := range []string{"/units/NOPE", "/members/999999", "/members/abc", "/plans/NOPE", "/plans/NOPE/campaigns", "/?plan=NOPE",
			"/?plan=HN-2022&unit=NOPE", "/?plan=HN-2022&campaign=NOPE", "/members?unit=NOPE", "/units/CG-A/found", "/units/HN-CG/dissolve"} {
			cases = append(cases, tc{"admin", p, 404})
		}
		cases = append(cases, tc{"admin", "/?plan=HN-2022&as_of=31/02/2022", 422})
		browsers := map[string]*browser{}
		for _, u := range []string{"admin", "lan", "xem"} {
			browsers[u] = f.loggedIn(u)
		}
		anon := f.browser()
		for _, c := range cases {
			resp, body := browsers[c.user].get(c.path)
			if resp.StatusCode != c.want {
				t.Errorf("%s GET %s: %d, want %d", c.user, c.path, resp.StatusCode, c.want)
				continue
			}
			if c.want == 200 && !strings.Contains(body, `lang="vi"`) {
				t.Errorf("%s GET %s: not a page: %.200s", c.user, c.path, body)
			}
			if c.want == 403 && !strings.Contains(body, "Bạn không có quyền") {
				t.Errorf("%s GET %s: 403 without the Vietnamese message", c.user, c.path)
			}
			if c.user == "admin" {
				if resp, _ := anon.get(c.path); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login?next=") {
					t.Errorf("anonymous GET %s: %d %s", c.path, resp.StatusCode, resp.Header.Get("Location"))
				}
			}
		}
	})
}

var formTokenRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// post sends a form with the session's CSRF token.
func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.f.t.Helper()
	form.Set("csrf_token", b.csrf())
	return b.postForm(path, form)
}

// Every form that writes: a 303 to the record on success, written with its
// audit entry; 422 with the errors in Vietnamese and nothing written on
// invalid input; 403 outside the user's subtree, for viewers and without
// the CSRF token.
func TestPageForms(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		lan, xem, admin := f.loggedIn("lan"), f.loggedIn("xem"), f.loggedIn("admin")
		location := func(resp *http.Response, prefix string) {
			t.Helper()
			if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, prefix) {
				t.Errorf("redirect to %q, want %s…", loc, prefix)
			}
		}
		member := url.Values{"full_name": {"Ngô Thị Hoa"}, "national_id": {"001195000101"}, "id_type": {"cccd"}, "date_of_birth": {"01/06/1995"},
			"gender": {"female"}, "unit_code": {"CG-A"}, "joined_on": {"01/06/2022"}, "joined_how": {"admitted"}}

		t.Run("admit", func(t *testing.T) {
			before := f.memberCount()
			bad := url.Values{"full_name": {""}, "national_id": {"123"}, "date_of_birth": {"31/02/1995"}, "unit_code": {"CG-A"}, "joined_on": {"01/06/2022"}}
			resp, body := lan.post("/members/new", bad)
			see(t, resp, body, 422, "invalid admission")
			for _, s := range []string{"Dữ liệu chưa hợp lệ", "full_name", "national_id", "date_of_birth", "Không được để trống"} {
				if !strings.Contains(body, s) {
					t.Errorf("the invalid form lacks %q", s)
				}
			}
			if n := f.memberCount(); n != before {
				t.Errorf("%d members after an invalid form, want %d", n, before)
			}
			out := url.Values{}
			for k, v := range member {
				out[k] = v
			}
			out.Set("unit_code", "BD-C")
			resp, body = lan.post("/members/new", out)
			see(t, resp, body, 403, "admission into Ba Đình")
			resp, body = xem.post("/members/new", member)
			see(t, resp, body, 403, "admission by a viewer")
			resp, body = lan.postForm("/members/new", member) // no CSRF token
			see(t, resp, body, 403, "admission without the CSRF token")

			resp, body = lan.post("/members/new", member)
			see(t, resp, body, 303, "admission")
			location(resp, fmt.Sprintf("/members/%d?saved=member_admitted", f.memberID("001195000101")))
			if n := f.memberCount(); n != before+1 {
				t.Errorf("%d members, want %d", n, before+1)
			}
			resp, body = lan.get(resp.Header.Get("Location"))
			see(t, resp, body, 200, "the new member's page")
			if !strings.Contains(body, "Đã kết nạp đoàn viên.") || !strings.Contains(body, "Ngô Thị Hoa") {
				t.Errorf("member page after admission: %.400s", body)
			}
			// The same national ID again is refused, not rewritten.
			resp, body = lan.post("/members/new", member)
			see(t, resp, body, 422, "second admission")
			if !strings.Contains(body, "đã có trong danh sách") {
				t.Errorf("no message about the existing member")
			}
		})

		hoa := fmt.Sprintf("/members/%d", f.memberID("001195000101"))
		t.Run("party, transfer and departure", func(t *testing.T) {
			resp, body := lan.post(hoa+"/party", url.Values{"party_introduced_on": {"01/05/2022"}})
			see(t, resp, body, 422, "party introduction before joining")
			if !strings.Contains(body, "party_introduced_on") {
				t.Errorf("no error on party_introduced_on")
			}
			resp, body = lan.post(hoa+"/party", url.Values{"party_introduced_on": {"15/06/2022"}})
			see(t, resp, body, 303, "party introduction")
			location(resp, hoa+"?saved=member_party")
			resp, body = lan.post(hoa+"/transfer", url.Values{"to_unit_code": {"BD-C"}, "date": {"01/07/2022"}})
			see(t, resp, body, 422, "transfer to Ba Đình")
			if !strings.Contains(body, "ngoài phạm vi đơn vị") {
				t.Errorf("transfer out of the subtree: %.300s", body)
			}
			resp, body = lan.post(hoa+"/transfer", url.Values{"to_unit_code": {"CG-B"}, "date": {"01/07/2022"}})
			see(t, resp, body, 303, "transfer")
			resp, body = lan.post(hoa+"/leave", url.Values{"left_on": {"01/08/2022"}})
			see(t, resp, body, 303, "departure")
			m, err := st.Member(ctx, "001195000101")
			if err != nil {
				t.Fatal(err)
			}
			if m.CurrentUnitCode != "CG-B" || m.LeftOn.String() != "2022-08-01" || m.PartyIntroducedOn.String() != "2022-06-15" || m.FullName != "Ngô Thị Hoa" {
				t.Errorf("member after the forms: %+v", m)
			}
			resp, body = xem.post(hoa+"/leave", url.Values{"left_on": {"01/09/2022"}})
			see(t, resp, body, 403, "departure by a viewer")
			anh := fmt.Sprintf("/members/%d", f.memberID("001091000008"))
			resp, body = lan.post(anh+"/leave", url.Values{"left_on": {"01/09/2022"}})
			see(t, resp, body, 403, "departure in Ba Đình")
		})

		t.Run("found and dissolve", func(t *testing.T) {
			resp, body := lan.get("/units/HN-CG/found?tax_code=0100100079")
			see(t, resp, body, 200, "founding form")
			if !strings.Contains(body, `value="HN-CG-001"`) || !strings.Contains(body, "Công đoàn Công ty Cổ phần May Cầu Giấy") {
				t.Errorf("the founding form is not prefilled: %.300s", body)
			}
			union := url.Values{"code": {"CG-N"}, "name": {"Công đoàn Công ty Cổ phần May Cầu Giấy"}, "enterprise_tax_code": {"0100100079"},
				"founded_on": {"20/06/2022"}, "decision_no": {"99/QĐ-LĐLĐ"}, "method": {"new"}}
			resp, body = lan.post("/units/HN-BD/found", union)
			see(t, resp, body, 403, "founding in Ba Đình")
			bad := url.Values{"code": {"CG-A"}, "name": {""}, "founded_on": {"xx"}, "method": {"new"}}
			resp, body = lan.post("/units/HN-CG/found", bad)
			see(t, resp, body, 422, "invalid founding")
			for _, s := range []string{"CG-A đã được dùng", "Dữ liệu chưa hợp lệ"} {
				if !strings.Contains(body, s) {
					t.Errorf("the invalid founding lacks %q", s)
				}
			}
			resp, body = lan.post("/units/HN-CG/found", union)
			see(t, resp, body, 303, "founding")
			location(resp, "/units/CG-N?saved=unit_founded")
			u, err := st.Unit(ctx, "CG-N")
			if err != nil {
				t.Fatal(err)
			}
			if u.Kind != domain.KindGrassroots || u.Method != domain.MethodNew || u.ParentCode != "HN-CG" || u.FoundedOn.String() != "2022-06-20" || u.EnterpriseTaxCode != "0100100079" {
				t.Errorf("founded unit %+v", u)
			}
			resp, body = lan.get("/enterprises/gap?unit=HN-CG")
			see(t, resp, body, 200, "gap list")
			if strings.Contains(body, "0100100079") {
				t.Errorf("the enterprise with a new union is still on the gap list")
			}
			resp, body = lan.post("/units/CG-N/dissolve", url.Values{"dissolved_on": {"01/06/2022"}})
			see(t, resp, body, 422, "dissolution before founding")
			resp, body = lan.post("/units/CG-N/dissolve", url.Values{"dissolved_on": {"01/12/2022"}})
			see(t, resp, body, 303, "dissolution")
			if u, _ := st.Unit(ctx, "CG-N"); u.DissolvedOn.String() != "2022-12-01" || u.Name != "Công đoàn Công ty Cổ phần May Cầu Giấy" {
				t.Errorf("dissolved unit %+v", u)
			}
			resp, body = xem.post("/units/CG-B/dissolve", url.Values{"dissolved_on": {"01/12/2022"}})
			see(t, resp, body, 403, "dissolution by a viewer")
		})

		t.Run("plans, targets, campaigns", func(t *testing.T) {
			resp, body := lan.post("/plans/HN-2022/targets", url.Values{"unit": {"HN-CG"}, "ind": {"members_admitted"}, "t.CG-A": {"4"}, "t.CG-B": {"2"}})
			see(t, resp, body, 303, "targets")
			location(resp, "/plans/HN-2022?unit=HN-CG&ind=members_admitted&saved=targets_saved")
			resp, body = lan.get("/plans/HN-2022?unit=HN-CG&ind=members_admitted")
			see(t, resp, body, 200, "plan page")
			if !regexp.MustCompile(`id="assigned">6<`).MatchString(body) || !regexp.MustCompile(`id="unassigned">0<`).MatchString(body) {
				t.Errorf("cascade of HN-CG: %s", regexp.MustCompile(`id="(un)?assigned">[^<]*`).FindAllString(body, -1))
			}
			if strings.Contains(body, `name="own"`) {
				t.Error("the manager may set their own unit's target")
			}
			// One level up, Cầu Giấy's line shows what it passed down.
			_, body = admin.get("/plans/HN-2022?unit=HN&ind=members_admitted")
			if !regexp.MustCompile(`name="t.HN-CG" value="6"[^\n]*\n<td[^>]*>6</td>\n<td[^>]*><span class="">0</span>`).MatchString(body) {
				t.Errorf("the cascade per child lacks HN-CG 6/6/0")
			}
			resp, body = lan.post("/plans/HN-2022/targets", url.Values{"unit": {"HN-CG"}, "ind": {"members_admitted"}, "own": {"60"}, "t.CG-A": {"-1"}})
			see(t, resp, body, 422, "own target and a negative one")
			resp, body = admin.post("/plans/HN-2022/targets", url.Values{"unit": {"HN"}, "ind": {"unions_founded"}, "own": {"5"}, "t.HN-CG": {"3"}, "t.HN-BD": {"3"}})
			see(t, resp, body, 303, "the admin's targets")
			resp, body = admin.get("/plans/HN-2022?unit=HN&ind=unions_founded")
			if !strings.Contains(body, `id="unassigned">-1<`) {
				t.Errorf("over-assigned cascade: %s", regexp.MustCompile(`id="(un)?assigned">[^<]*`).FindAllString(body, -1))
			}
			resp, body = xem.post("/plans/HN-2022/targets", url.Values{"unit": {"HN-CG"}, "ind": {"members_admitted"}, "t.CG-A": {"5"}})
			see(t, resp, body, 403, "targets by a viewer")

			resp, body = lan.post("/plans", url.Values{"code": {"CG-2022"}, "name": {"Kế hoạch Cầu Giấy"}, "unit_code": {"HN-CG"}, "start": {"01/01/2022"}, "end": {"31/12/2022"}})
			see(t, resp, body, 422, "a manager's plan for their own unit")
			resp, body = admin.post("/plans", url.Values{"code": {"CG-2022"}, "name": {"Kế hoạch Cầu Giấy"}, "unit_code": {"HN-CG"}, "start": {"01/01/2022"}, "end": {"31/12/2022"}, "threshold_members": {"25"}})
			see(t, resp, body, 303, "plan")
			location(resp, "/plans/CG-2022?saved=plan_saved")
			resp, body = admin.post("/plans/CG-2022", url.Values{"name": {"Kế hoạch Cầu Giấy 2022"}, "start": {"01/01/2022"}, "end": {"31/12/2021"}, "threshold_members": {"25"}})
			see(t, resp, body, 422, "a plan ending before it starts")
			resp, body = admin.post("/plans/CG-2022", url.Values{"name": {"Kế hoạch Cầu Giấy 2022"}, "start": {"01/01/2022"}, "end": {"31/12/2022"}, "threshold_members": {"30"}})
			see(t, resp, body, 303, "plan edit")
			if p, _ := st.Plan(ctx, "CG-2022"); p.Name != "Kế hoạch Cầu Giấy 2022" || p.Threshold != 30 || p.UnitCode != "HN-CG" {
				t.Errorf("plan %+v", p)
			}

			camp := url.Values{"code": {"D1"}, "name": {"Đợt cao điểm 1"}, "start": {"15/04/2022"}, "end": {"31/05/2022"}, "class_name": {"Lớp đoàn viên tháng 5"}}
			resp, body = lan.post("/plans/HN-2022/campaigns", camp)
			see(t, resp, body, 422, "a campaign of the city by a manager")
			resp, body = admin.post("/plans/HN-2022/campaigns", camp)
			see(t, resp, body, 303, "campaign")
			camp.Set("editing", "D1")
			camp.Set("end", "10/05/2022")
			resp, body = admin.post("/plans/HN-2022/campaigns", camp)
			see(t, resp, body, 303, "campaign edit")
			if c, _ := st.Campaign(ctx, "D1"); c.End.String() != "2022-05-10" || c.ClassName != "Lớp đoàn viên tháng 5" {
				t.Errorf("campaign %+v", c)
			}
			resp, body = admin.get("/?plan=HN-2022&campaign=D1&as_of=2022-07-08")
			see(t, resp, body, 200, "campaign dashboard")
			if !strings.Contains(body, "15/04/2022 – 10/05/2022") {
				t.Errorf("the campaign's window is not on its dashboard")
			}
		})

		t.Run("import", func(t *testing.T) {
			upload := func(b *browser, kind, name, content string) (*http.Response, string) {
				var buf bytes.Buffer
				mw := multipart.NewWriter(&buf)
				mw.WriteField("csrf_token", b.csrf())
				mw.WriteField("kind", kind)
				fw, _ := mw.CreateFormFile("file", name)
				fw.Write([]byte(content))
				mw.Close()
				return b.do("POST", "/import", &buf, mw.FormDataContentType(), nil)
			}
			before := f.memberCount()
			bad := "Số CCCD,Họ và tên,Ngày sinh,Mã CĐCS,Ngày vào công đoàn\n001195000201,Lý Thị Mai,01/01/1995,CG-A,10/06/2022\n12345,,01/01/1995,BD-C,10/06/2022\n"
			resp, body := upload(lan, "members", "đoàn viên.csv", bad)
			see(t, resp, body, 422, "invalid import")
			for _, s := range []string{"chưa có dữ liệu nào được ghi", `<td data-label="Dòng">3</td>`, "national_id", "ngoài phạm vi đơn vị"} {
				if !strings.Contains(body, s) {
					t.Errorf("the import errors lack %q", s)
				}
			}
			if n := f.memberCount(); n != before {
				t.Errorf("%d members after a failed import, want %d", n, before)
			}
			good := "Số CCCD,Họ và tên,Ngày sinh,Mã CĐCS,Ngày vào công đoàn\n001195000201,Lý Thị Mai,01/01/1995,CG-A,10/06/2022\n001096000202,Trịnh Văn Nam,02/02/1996,CG-B,11/06/2022\n"
			resp, body = upload(lan, "members", "đoàn viên.csv", good)
			see(t, resp, body, 303, "import")
			resp, body = lan.get(resp.Header.Get("Location"))
			if !strings.Contains(body, "Đã nhập 2 dòng Đoàn viên từ tệp đoàn viên.csv.") {
				t.Errorf("import summary: %.300s", body)
			}
			if n := f.memberCount(); n != before+2 {
				t.Errorf("%d members, want %d", n, before+2)
			}
			resp, body = upload(xem, "members", "x.csv", good)
			see(t, resp, body, 403, "import by a viewer")
			resp, body = upload(lan, "nope", "x.csv", good)
			see(t, resp, body, 422, "unknown kind")
			resp, body = upload(lan, "members", "x.txt", good)
			see(t, resp, body, 422, "a text file")
		})

		t.Run("audit log", func(t *testing.T) {
			resp, body := lan.get("/audit")
			see(t, resp, body, 200, "audit page")
			for _, s := range []string{"Kết nạp đoàn viên", "Giới thiệu cho Đảng", "Chuyển sinh hoạt", "Ra khỏi công đoàn", "Thành lập CĐCS",
				"Giải thể CĐCS", "Giao chỉ tiêu", "đoàn viên từ tệp", "001195000101 Ngô Thị Hoa"} {
				if !strings.Contains(body, s) {
					t.Errorf("the audit page lacks %q", s)
				}
			}
			// The city's campaign is not Cầu Giấy's business.
			if strings.Contains(body, "Lưu đợt cao điểm") {
				t.Error("the manager reads the city's campaign entries")
			}
			resp, body = admin.get("/audit")
			if !strings.Contains(body, "Lưu đợt cao điểm") || !strings.Contains(body, "Lưu kế hoạch") {
				t.Error("the admin does not read every entry")
			}
		})

		t.Run("viewer pages", func(t *testing.T) {
			resp, body := xem.get(hoa)
			see(t, resp, body, 200, "member page for a viewer")
			if strings.Contains(body, "001195000101") || !strings.Contains(body, "*********101") {
				t.Errorf("the viewer sees an unmasked national ID")
			}
			if strings.Contains(body, `method="post" action="/members`) {
				t.Error("the viewer is offered a write form")
			}
			_, body = xem.get("/members?unit=HN-CG")
			if strings.Contains(body, "001090000001") || strings.Contains(body, "/members/new") {
				t.Error("the viewer's registry shows a national ID or the admission link")
			}
			_, body = xem.get("/units/CG-A")
			if strings.Contains(body, "/dissolve") || strings.Contains(body, "/members/new") {
				t.Error("the viewer's unit page offers writes")
			}
		})
	})
}

// The dashboard of the demo: the Hanoi figures of 8 July 2022, the month
// chart, the ranking, the exemplary units, the campaigns; English too.
func TestDashboardDemo(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, st *store.Store, f *fixture) {
		b := f.loggedIn("admin")
		body := b.okPage("/?plan=HN-2022&unit=HN&as_of=08/07/2022")
		for _, s := range []string{
			"<strong>306/750</strong> — 40,8\u00a0%", "<strong>24.396/47.855</strong> — 50,98\u00a0%", "<strong>4.950/9.453</strong>",
			"Chậm tiến độ", "cần đạt 388<", ">94</text>", ">30,7\u00a0%</text>", ">T5</text>",
			"Công đoàn các Khu công nghiệp và chế xuất Hà Nội", "dẫn đầu tháng 5/2022", "Đợt cao điểm 1 năm 2022",
			"Tính đến ngày 08/07/2022", "Tính đến ngày 8/7/2022",
		} {
			if !strings.Contains(body, s) {
				t.Errorf("the dashboard lacks %q", s)
			}
		}
		_, body = b.get("/?plan=HN-2022&unit=HN&as_of=2022-07-08&campaign=HN-2022-D1")
		if !strings.Contains(body, "15/04/2022 – 31/05/2022") || !strings.Contains(body, `aria-current="true">Đợt cao điểm 1 năm 2022`) {
			t.Errorf("campaign dashboard: %.300s", body)
		}
		b.get("/lang/en?next=/")
		_, body = b.get("/?plan=HN-2022&unit=HN&as_of=2022-07-08")
		for _, s := range []string{`lang="en"`, "<strong>306/750</strong> — 40.8\u00a0%", "24,396/47,855", "Behind", ">May</text>"} {
			if !strings.Contains(body, s) {
				t.Errorf("the English dashboard lacks %q", s)
			}
		}
	})
}

func newTestServer(t *testing.T, st *store.Store) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer((&web.Server{Store: st, TrustProxy: true, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler())
	t.Cleanup(srv.Close)
	return srv
}

// eachDemo runs body once per engine on a test server over the demo's
// data, with "admin", an admin of Hanoi. The demo is loaded once and
// copied for each test (storetest.Filled).
func eachDemo(t *testing.T, body func(t *testing.T, st *store.Store, f *fixture)) {
	t.Helper()
	storetest.EachFilled(t, "demo", demo.Load, func(t *testing.T, st *store.Store) {
		if err := st.AddUser(ctx, "test", "admin", password, "admin", "HN"); err != nil {
			t.Fatal(err)
		}
		f := &fixture{t: t, st: st, tokens: map[string]string{}, logs: &syncBuffer{}}
		f.srv = newTestServer(t, st)
		body(t, st, f)
	})
}
