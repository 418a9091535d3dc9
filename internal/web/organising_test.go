package web_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/export"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// taxCode makes a valid 10-digit tax code from 9 digits (the check digit
// of docs/import-formats.md).
func taxCode(t *testing.T, nine string) string {
	t.Helper()
	for d := '0'; d <= '9'; d++ {
		if tc := nine + string(d); domain.ValidateTaxCode(tc) == nil {
			return tc
		}
	}
	t.Fatalf("no check digit for %s", nine)
	return ""
}

// orgFixture is the web fixture with two gap enterprises of HN-CG, one of
// HN-BD, a plan over today and a collaborator "ctv" of HN-CG.
type orgFixture struct {
	*fixture
	e1, e2, e3 string
}

// foundE1 founds CG-E1 today, the union of the enterprise e1, by the new
// method.
func (f *orgFixture) foundE1(t *testing.T) {
	t.Helper()
	importRows(t, f.st, "units", []string{"code", "name", "parent_code", "kind", "ownership", "enterprise_tax_code", "founded_on", "method"},
		[][]string{{"CG-E1", "CĐCS Công ty May Cầu Giấy", "HN-CG", "grassroots", "private", f.e1, domain.Today().String(), "new"}})
}

func newOrgFixture(t *testing.T, st *store.Store) *orgFixture {
	t.Helper()
	f := &orgFixture{fixture: newFixture(t, st), e1: taxCode(t, "010000001"), e2: taxCode(t, "010000002"), e3: taxCode(t, "010000003")}
	rows := [][]string{
		{f.e1, "Công ty May Cầu Giấy", "private", "120", "", "Dịch Vọng", "HN-CG"},
		{f.e2, "Công ty Điện tử Nghĩa Đô", "fdi", "60", "", "Nghĩa Đô", "HN-CG"},
		{f.e3, "Công ty Ba Đình Xanh", "private", "40", "", "Ngọc Hà", "HN-BD"},
	}
	importRows(t, st, "enterprises", []string{"tax_code", "name", "ownership", "employees", "address", "area", "unit_code"}, rows)
	today := domain.Today()
	importRows(t, st, "plans", []string{"code", "name", "unit_code", "start", "end"},
		[][]string{{"NOW", "Kế hoạch hiện tại", "HN", today.AddDays(-30).String(), today.AddDays(30).String()}})
	f.addUser("ctv", "collaborator", "HN-CG")
	return f
}

// joinForm is a valid join form: a man born in 1990 with a Hanoi CCCD.
func joinForm(nid string) url.Values {
	return url.Values{"full_name": {"Phạm Văn Công"}, "national_id": {nid}, "id_type": {"cccd"}, "date_of_birth": {"1990-04-02"},
		"gender": {"male"}, "phone": {"0912345678"}, "workplace": {"Xưởng may"}, "consent": {"1"}}
}

// postJoin posts the public join form from a client address.
func (f *orgFixture) postJoin(path, ip string, form url.Values) (int, string) {
	f.t.Helper()
	req, _ := http.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", ip)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

type joinList struct {
	Requests []store.JoinRequest `json:"requests"`
}

func (f *orgFixture) requests(unit, status string) []store.JoinRequest {
	f.t.Helper()
	code, body := f.get("/api/v1/join-requests?unit="+unit+"&status="+status, "admin")
	if code != 200 {
		f.t.Fatalf("join requests: %d %s", code, body)
	}
	return decode[joinList](f.t, body).Requests
}

// admitted is the report's members_admitted over the plan of today.
func (f *orgFixture) admitted(unit string) float64 {
	f.t.Helper()
	code, body := f.get("/api/v1/report?plan=NOW&unit="+unit, "admin")
	if code != 200 {
		f.t.Fatalf("report: %d %s", code, body)
	}
	var rep struct {
		Indicators []struct {
			Code   string  `json:"code"`
			Actual float64 `json:"actual"`
		} `json:"indicators"`
	}
	rep = decode[struct {
		Indicators []struct {
			Code   string  `json:"code"`
			Actual float64 `json:"actual"`
		} `json:"indicators"`
	}](f.t, body)
	for _, i := range rep.Indicators {
		if i.Code == "members_admitted" {
			return i.Actual
		}
	}
	f.t.Fatal("no members_admitted")
	return 0
}

// zbar decodes the QR code of a PNG file with zbarimg (Debian's
// zbar-tools): a real decoder, not the library that drew it.
func zbar(t *testing.T, file string) string {
	t.Helper()
	out, err := exec.Command("zbarimg", "--raw", "-q", file).Output()
	if err != nil {
		t.Fatalf("zbarimg %s: %v", file, err)
	}
	return strings.TrimSpace(string(out))
}

func TestJoinFlow(t *testing.T) {
	if _, err := exec.LookPath("zbarimg"); err != nil {
		t.Fatal("zbarimg is required (apt-get install zbar-tools)")
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newOrgFixture(t, st)

		// The union's join link and its QR code, decoded by zbarimg.
		code, body := f.get("/api/v1/units/CG-A", "lan")
		if code != 200 {
			t.Fatalf("unit: %d %s", code, body)
		}
		joinURL := decode[struct {
			JoinURL string `json:"join_url"`
		}](t, body).JoinURL
		if !strings.HasPrefix(joinURL, f.srv.URL+"/join/") {
			t.Fatalf("join_url %q", joinURL)
		}
		code, png := f.get("/api/v1/units/CG-A/join.png", "lan")
		if code != 200 || !bytes.HasPrefix(png, []byte("\x89PNG")) {
			t.Fatalf("join.png: %d", code)
		}
		file := filepath.Join(t.TempDir(), "qr.png")
		os.WriteFile(file, png, 0o600)
		if got := zbar(t, file); got != joinURL {
			t.Fatalf("zbarimg read %q, want %q", got, joinURL)
		}
		// An upper unit has no join link.
		if code, _ := f.get("/api/v1/units/HN-CG/join.png", "lan"); code != 404 {
			t.Errorf("join.png of an upper unit: %d, want 404", code)
		}
		// The public page: no login, no script, under 30 KB.
		resp, err := http.Get(joinURL)
		if err != nil {
			t.Fatal(err)
		}
		var page bytes.Buffer
		page.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || page.Len() > 30<<10 || strings.Contains(page.String(), "<script") || !strings.Contains(page.String(), "CĐCS Công ty TNHH An Phát") {
			t.Fatalf("join page: %d, %d bytes:\n%s", resp.StatusCode, page.Len(), page.String())
		}
		t.Logf("join page: %d bytes", page.Len())

		// Bad input: 422 naming the field, nothing written.
		bad := map[string]func(url.Values){
			"national_id":   func(v url.Values) { v.Set("national_id", "001190123456") }, // year digits say 1990, century digit says a woman
			"consent":       func(v url.Values) { v.Del("consent") },
			"date_of_birth": func(v url.Values) { v.Set("date_of_birth", domain.Today().AddDays(-365*14).String()) },
			"phone":         func(v url.Values) { v.Set("phone", "12") },
		}
		for field, spoil := range bad {
			v := joinForm("001090123456")
			spoil(v)
			code, page := f.postJoin(joinURL, "10.0.0.1", v)
			if code != 422 || !strings.Contains(page, `href="#`+field+`"`) {
				t.Errorf("%s: %d, want 422 naming the field:\n%s", field, code, page)
			}
		}
		if n := len(f.requests("CG-A", "")); n != 0 {
			t.Fatalf("%d requests written by bad forms", n)
		}
		// A valid request, twice within the day: one request. The honeypot:
		// the same thank-you, nothing written.
		for range 2 {
			if code, page := f.postJoin(joinURL, "10.0.0.2", joinForm("001090123456")); code != 200 || !strings.Contains(page, "Cảm ơn") {
				t.Fatalf("valid: %d\n%s", code, page)
			}
		}
		hp := joinForm("001090999999")
		hp.Set("website", "http://spam.example")
		if code, _ := f.postJoin(joinURL, "10.0.0.3", hp); code != 200 {
			t.Fatalf("honeypot: %d", code)
		}
		// A member already on record (of CG-A) asks the same: the same answer.
		known := joinForm("001090000001")
		known.Set("date_of_birth", "1990-05-12")
		if code, page := f.postJoin(joinURL, "10.0.0.4", known); code != 200 || !strings.Contains(page, "Cảm ơn") {
			t.Fatalf("known person: %d", code)
		}
		pending := f.requests("CG-A", "pending")
		if len(pending) != 2 {
			t.Fatalf("%d pending requests, want 2: %+v", len(pending), pending)
		}
		j := pending[0]
		if j.NationalID != "001090123456" || j.DueOn != domain.AddWorkingDays(domain.Today(), 10) || j.QueueUnitCode != "CG-A" {
			t.Fatalf("request %+v", j)
		}

		// Approval: viewers and other units 403; the manager admits (201),
		// the counters follow; approving twice 409.
		before, members := f.admitted("HN"), f.memberCount()
		approve := fmt.Sprintf("/api/v1/join-requests/%d/approve", j.ID)
		for _, who := range []string{"xem", "binh", "ctv"} {
			if code, body := f.postJSON(approve, who, map[string]string{}); code != 403 {
				t.Errorf("approve as %s: %d %s", who, code, body)
			}
		}
		code, body = f.postJSON(approve, "lan", map[string]string{"joined_on": domain.Today().String()})
		if code != 201 {
			t.Fatalf("approve: %d %s", code, body)
		}
		if m := decode[store.MemberRecord](t, body); m.NationalID != "001090123456" || m.CurrentUnitCode != "CG-A" || m.JoinedOn != domain.Today() {
			t.Fatalf("member %+v", m)
		}
		if got := f.admitted("HN"); got != before+1 || f.memberCount() != members+1 {
			t.Fatalf("admitted %v -> %v, members %d -> %d", before, got, members, f.memberCount())
		}
		if code, _ := f.postJSON(approve, "lan", map[string]string{}); code != 409 {
			t.Fatalf("approve twice: %d, want 409", code)
		}

		// A member of CG-A asking CG-A again: 422; asking CG-B: a transfer.
		known2 := pending[1]
		if code, body := f.postJSON(fmt.Sprintf("/api/v1/join-requests/%d/approve", known2.ID), "lan", map[string]string{}); code != 422 || !strings.Contains(string(body), "national_id") {
			t.Fatalf("already a member here: %d %s", code, body)
		}
		urlB := f.joinURL("/api/v1/units/CG-B")
		if code, _ := f.postJoin(urlB, "10.0.0.5", known); code != 200 {
			t.Fatalf("join CG-B: %d", code)
		}
		jb := f.requests("CG-B", "pending")
		if len(jb) != 1 {
			t.Fatalf("CG-B queue: %+v", jb)
		}
		members = f.memberCount()
		code, body = f.postJSON(fmt.Sprintf("/api/v1/join-requests/%d/approve", jb[0].ID), "lan", map[string]string{})
		if code != 201 {
			t.Fatalf("transfer: %d %s", code, body)
		}
		if m := decode[store.MemberRecord](t, body); m.CurrentUnitCode != "CG-B" || m.UnitCode != "CG-A" || f.memberCount() != members {
			t.Fatalf("a member elsewhere must be transferred, not admitted twice: %+v, %d members", m, f.memberCount())
		}
		if got := f.requests("CG-B", "approved"); len(got) != 1 || got[0].Outcome != "transferred" || got[0].MemberID == 0 {
			t.Fatalf("approved: %+v", got)
		}

		// Rejection: a reason is required; then 409.
		if code, _ := f.postJoin(joinURL, "10.0.0.6", joinForm("001090555555")); code != 200 {
			t.Fatal(code)
		}
		jr := f.requests("CG-A", "pending")[0]
		reject := fmt.Sprintf("/api/v1/join-requests/%d/reject", jr.ID)
		if code, body := f.postJSON(reject, "lan", map[string]string{"reason": " "}); code != 422 || !strings.Contains(string(body), "reason") {
			t.Fatalf("reject without reason: %d %s", code, body)
		}
		if code, body := f.postJSON(reject, "lan", map[string]string{"reason": "Không làm việc tại doanh nghiệp"}); code != 200 {
			t.Fatalf("reject: %d %s", code, body)
		}
		if code, _ := f.postJSON(reject, "lan", map[string]string{"reason": "x"}); code != 409 {
			t.Fatalf("reject twice: %d", code)
		}

		// An enterprise with no union: the request waits at HN-CG and needs
		// a union to join for now; it counts as the enterprise's application.
		code, body = f.get("/api/v1/enterprises/"+f.e1, "lan")
		if code != 200 {
			t.Fatalf("enterprise: %d %s", code, body)
		}
		ent := decode[struct {
			JoinURL  string         `json:"join_url"`
			Pipeline store.Pipeline `json:"pipeline"`
		}](t, body)
		if ent.JoinURL == "" || ent.Pipeline.Stage != "mapped" {
			t.Fatalf("enterprise %s", body)
		}
		if code, _ := f.postJoin(ent.JoinURL, "10.0.0.7", joinForm("001090777777")); code != 200 {
			t.Fatal(code)
		}
		je := f.requests("HN-CG", "pending")
		var ej store.JoinRequest
		for _, x := range je {
			if x.TaxCode == f.e1 {
				ej = x
			}
		}
		if ej.ID == 0 || ej.QueueUnitCode != "HN-CG" {
			t.Fatalf("enterprise request %+v", je)
		}
		approveE := fmt.Sprintf("/api/v1/join-requests/%d/approve", ej.ID)
		if code, body := f.postJSON(approveE, "lan", map[string]string{}); code != 422 || !strings.Contains(string(body), "unit_code") {
			t.Fatalf("approve without a union: %d %s", code, body)
		}
		if code, body := f.postJSON(approveE, "lan", map[string]string{"unit_code": "CG-A"}); code != 201 {
			t.Fatalf("approve into CG-A: %d %s", code, body)
		}
		_, body = f.get("/api/v1/enterprises/"+f.e1, "lan")
		if p := decode[struct {
			Pipeline store.Pipeline `json:"pipeline"`
		}](t, body).Pipeline; p.Applications != 1 {
			t.Fatalf("applications %d, want 1", p.Applications)
		}

		// The enterprise gets a union: its old link answers 422 on workplace.
		f.foundE1(t)
		if code, page := f.postJoin(ent.JoinURL, "10.0.0.8", joinForm("001090888888")); code != 422 || !strings.Contains(page, `href="#workplace"`) {
			t.Fatalf("enterprise with a union since: %d\n%s", code, page)
		}
		_, body = f.get("/api/v1/enterprises/"+f.e1, "lan")
		if p := decode[struct {
			Pipeline store.Pipeline `json:"pipeline"`
		}](t, body).Pipeline; p.Stage != "founded" {
			t.Fatalf("stage after founding: %s", p.Stage)
		}

		// Rotating the link: the old one is gone.
		b := f.browser()
		b.login("lan", password)
		b.postForm("/units/CG-A/join-link", url.Values{"csrf_token": {b.csrf()}})
		if resp, err := http.Get(joinURL); err != nil || resp.StatusCode != 404 {
			t.Fatalf("old link after rotation: %v %v", resp.StatusCode, err)
		}

		// The rate limit per address: 429.
		newURL := f.joinURL("/api/v1/units/CG-A")
		last := 0
		for range 25 {
			last, _ = f.postJoin(newURL, "10.9.9.9", url.Values{})
		}
		if last != 429 {
			t.Fatalf("rate limit: %d, want 429", last)
		}
	})
}

func TestPipelineAPI(t *testing.T) {
	eachFixture(t, newOrgFixture, func(t *testing.T, st *store.Store, f *orgFixture) {
		path := "/api/v1/enterprises/" + f.e1 + "/pipeline"
		today := domain.Today().String()
		steps := []struct {
			body map[string]any
			want int
			msg  string
		}{
			{map[string]any{"stage": "contacted", "on": today}, 201, ""},
			{map[string]any{"stage": "founding_group", "on": today, "organisers": []string{"ctv", "lan"}}, 201, ""},
			{map[string]any{"stage": "contacted", "on": today}, 422, "note"},
			{map[string]any{"stage": "contacted", "on": today, "note": "Ban vận động tan rã"}, 201, ""},
			{map[string]any{"stage": "paused", "on": today}, 422, "note"},
			{map[string]any{"stage": "hired", "on": today}, 422, "stage"},
			{map[string]any{"stage": "founded", "on": today}, 422, "stage"},
			{map[string]any{"stage": "applications", "on": "2099-01-01"}, 422, "on"},
			{map[string]any{"stage": "applications", "organisers": []string{"binh"}}, 422, "organisers"},
		}
		for i, s := range steps {
			code, body := f.postJSON(path, "lan", s.body)
			if code != s.want || (s.msg != "" && !strings.Contains(string(body), `"field":"`+s.msg+`"`)) {
				t.Fatalf("step %d %v: %d %s", i, s.body, code, body)
			}
		}
		code, body := f.get("/api/v1/enterprises/"+f.e1, "lan")
		if code != 200 {
			t.Fatal(code)
		}
		p := decode[struct {
			Pipeline store.Pipeline `json:"pipeline"`
		}](t, body).Pipeline
		if p.Stage != "contacted" || len(p.Events) != 3 || strings.Join(p.Organisers, ",") != "ctv,lan" || p.Events[2].Note != "Ban vận động tan rã" {
			t.Fatalf("pipeline %s", body)
		}
		// Viewers read, do not write; other units 403.
		if code, _ := f.postJSON(path, "xem", map[string]any{"stage": "applications"}); code != 403 {
			t.Errorf("viewer writes: %d", code)
		}
		if code, _ := f.get("/api/v1/enterprises/"+f.e1, "binh"); code != 403 {
			t.Errorf("other unit reads: %d", code)
		}
		// A collaborator works its enterprise, and nothing else.
		if code, body := f.postJSON(path, "ctv", map[string]any{"stage": "founding_group", "on": today}); code != 201 {
			t.Errorf("collaborator on its enterprise: %d %s", code, body)
		}
		for _, p := range []string{"/api/v1/enterprises/" + f.e2, "/api/v1/members?unit=HN-CG", "/api/v1/report?plan=NOW", "/api/v1/units/HN-CG", "/api/v1/join-requests"} {
			if code, _ := f.get(p, "ctv"); code != 403 {
				t.Errorf("collaborator GET %s: %d, want 403", p, code)
			}
		}
		if code, _ := f.postJSON("/api/v1/enterprises/"+f.e2+"/pipeline", "ctv", map[string]any{"stage": "contacted"}); code != 403 {
			t.Errorf("collaborator on another enterprise: %d", code)
		}
		b := f.browser()
		b.login("ctv", password)
		for _, p := range []string{"/members", "/units", "/enterprises", "/organising/" + f.e2} {
			if resp, _ := b.get(p); resp.StatusCode != 403 {
				t.Errorf("collaborator page %s: %d, want 403", p, resp.StatusCode)
			}
		}
		resp, page := b.get("/organising")
		if resp.StatusCode != 200 || !strings.Contains(page, f.e1) || strings.Contains(page, f.e2) {
			t.Errorf("collaborator board: %d, must show only %s\n%s", resp.StatusCode, f.e1, f.logs.String())
		}
	})
}

// The A4 poster: its text read back by pdftotext, its page rendered by
// pdftoppm, and the QR code on the rendered page decoded by zbarimg.
func TestJoinPoster(t *testing.T) {
	for _, tool := range []string{"pdftotext", "pdftoppm", "zbarimg"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is required (poppler-utils, zbar-tools)", tool)
		}
	}
	st, err := store.Open(ctx, storetest.URL(t, store.SQLite))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f := newOrgFixture(t, st)
	b := f.browser()
	b.login("lan", password)
	for _, c := range []struct{ path, name, link string }{
		{"/units/CG-A/join.pdf", "CĐCS Công ty TNHH An Phát", "/api/v1/units/CG-A"},
		{"/organising/" + f.e2 + "/join.pdf", "Công ty Điện tử Nghĩa Đô", "/api/v1/enterprises/" + f.e2},
	} {
		resp, pdf := b.get(c.path)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("%s: %d %s", c.path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		want := f.joinURL(c.link)
		dir := t.TempDir()
		file := filepath.Join(dir, "poster.pdf")
		os.WriteFile(file, []byte(pdf), 0o600)
		text, err := exec.Command("pdftotext", "-layout", file, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		flat := strings.Join(strings.Fields(string(text)), " ")
		for _, s := range []string{"GIA NHẬP CÔNG ĐOÀN", c.name, "Nghị định 13/2023/NĐ-CP", want} {
			if !strings.Contains(flat, s) {
				t.Errorf("%s: the poster lacks %q:\n%s", c.path, s, flat)
			}
		}
		if out, err := exec.Command("pdftoppm", "-r", "100", "-png", "-singlefile", file, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
		if got := zbar(t, filepath.Join(dir, "page.png")); got != want {
			t.Errorf("%s: the rendered poster's QR reads %q, want %q", c.path, got, want)
		}
	}
}

// The organising funnel of the JSON report, on both engines.
func TestReportOrganising(t *testing.T) {
	eachFixture(t, newOrgFixture, func(t *testing.T, st *store.Store, f *orgFixture) {
		today := domain.Today()
		day := func(n int) string { return today.AddDays(-n).String() }
		path := "/api/v1/enterprises/" + f.e1 + "/pipeline"
		for _, b := range []map[string]any{
			{"stage": "contacted", "on": day(20), "organisers": []string{"lan", "ctv"}},
			{"stage": "founding_group", "on": day(10)},
		} {
			if code, body := f.postJSON(path, "lan", b); code != 201 {
				t.Fatalf("%v: %d %s", b, code, body)
			}
		}
		// One application at e1 today; one request to CG-A 30 days old:
		// pending and overdue.
		if code, _ := f.postJoin(f.joinURL("/api/v1/enterprises/"+f.e1), "10.1.0.1", joinForm("001090101010")); code != 200 {
			t.Fatal(code)
		}
		target := f.joinTarget("/api/v1/units/CG-A")
		old := &store.JoinRequest{FullName: "Lê Thị Hoa", NationalID: "001195202020", IDType: "cccd", DateOfBirth: domain.NewDate(1995, 1, 1),
			Gender: "female", Phone: "0987654321", CreatedOn: today.AddDays(-30)}
		if _, err := st.AddJoinRequest(ctx, target, old); err != nil {
			t.Fatal(err)
		}
		// The union founded at e1 today: 20 days after the first contact.
		f.foundE1(t)
		code, body := f.get("/api/v1/report?plan=NOW&unit=HN-CG", "lan")
		if code != 200 {
			t.Fatalf("report: %d %s", code, body)
		}
		got := decode[struct {
			Organising map[string]any `json:"organising"`
		}](t, body).Organising
		want := map[string]any{"gap_enterprises": 1.0, "contacted": 1.0, "founding_group": 1.0, "applications": 1.0,
			"founded_from_pipeline": 1.0, "median_days_to_found": 20.0, "join_requests": 2.0, "join_requests_pending": 2.0,
			"join_requests_overdue": 1.0}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("organising.%s = %v, want %v", k, got[k], v)
			}
		}
		if r := fmt.Sprint(got["organisers"]); r != "[map[founded:1 name:ctv] map[founded:1 name:lan]]" {
			t.Errorf("organisers %s", r)
		}
		// The workbook and the PDF carry the funnel too.
		b := f.browser()
		b.login("lan", password)
		resp, xlsx := b.get("/report/xlsx?plan=NOW&unit=HN-CG")
		if resp.StatusCode != 200 {
			t.Fatalf("xlsx: %d", resp.StatusCode)
		}
		rows := xlsxRows(t, xlsx, export.SheetOrganising)
		if len(rows) < 10 || rows[5][0] != "CĐCS thành lập từ vận động" || rows[5][1] != "1" || rows[6][1] != "20" {
			t.Errorf("organising sheet: %v", rows)
		}
		pdf := b.okPage("/report/pdf?plan=NOW&unit=HN-CG")
		file := filepath.Join(t.TempDir(), "r.pdf")
		os.WriteFile(file, []byte(pdf), 0o600)
		text, err := exec.Command("pdftotext", "-layout", file, "-").Output()
		flat := strings.Join(strings.Fields(string(text)), " ")
		if err != nil || !strings.Contains(flat, "VẬN ĐỘNG THÀNH LẬP CĐCS") || !strings.Contains(flat, "CĐCS thành lập từ vận động 1") || !strings.Contains(flat, "ctv (1); lan (1)") {
			t.Errorf("the PDF lacks the funnel: %v\n%s", err, flat)
		}
		// Another district sees none of it.
		_, body = f.get("/api/v1/report?plan=NOW&unit=HN-BD", "admin")
		if o := decode[struct {
			Organising map[string]any `json:"organising"`
		}](t, body).Organising; o["gap_enterprises"] != 1.0 || o["join_requests"] != 0.0 || o["median_days_to_found"] != nil {
			t.Errorf("HN-BD organising %v", o)
		}
	})
}

// The pipeline page's forms, without a script: stage changes (backwards
// needs a note), outreach, the founding group, and founding from the board.
func TestPipelinePages(t *testing.T) {
	eachFixture(t, newOrgFixture, func(t *testing.T, st *store.Store, f *orgFixture) {
		b := f.browser()
		b.login("lan", password)
		csrf := b.csrf()
		page := "/organising/" + f.e1
		post := func(action string, v url.Values) (int, string) {
			t.Helper()
			v.Set("csrf_token", csrf)
			resp, body := b.postForm(page+action, v)
			return resp.StatusCode, body
		}
		// Outreach on a mapped enterprise: logged, and the stage is contacted.
		if code, body := post("/outreach", url.Values{"on": {domain.Today().AddDays(-3).VN()}, "channel": {"zalo"}, "note": {"Gặp chủ tịch công đoàn lâm thời"},
			"next_step": {"Họp người lao động"}, "next_on": {domain.Today().VN()}}); code != 303 {
			t.Fatalf("outreach: %d %s", code, body)
		}
		if code, _ := post("/outreach", url.Values{"on": {domain.Today().VN()}, "channel": {"fax"}}); code != 422 {
			t.Errorf("unknown channel: %d", code)
		}
		for _, n := range []string{"Nguyễn Thị Thu", "Trần Văn Hải", "Lê Minh Đức"} {
			if code, body := post("/founders", url.Values{"full_name": {n}, "position": {"Công nhân"}}); code != 303 {
				t.Fatalf("founder: %d %s", code, body)
			}
		}
		if code, _ := post("/founders", url.Values{"full_name": {" "}}); code != 422 {
			t.Errorf("founder without a name: %d", code)
		}
		if code, _ := post("/stage", url.Values{"stage": {"founding_group"}, "on": {domain.Today().VN()}}); code != 303 {
			t.Fatalf("stage forward: %d", code)
		}
		code, body := post("/stage", url.Values{"stage": {"mapped"}, "on": {domain.Today().VN()}})
		if code != 422 || !strings.Contains(body, "Chuyển về giai đoạn trước cần ghi rõ lý do") {
			t.Fatalf("backwards without a note: %d", code)
		}
		p, err := st.PipelineOf(ctx, f.e1)
		if err != nil {
			t.Fatal(err)
		}
		if p.Stage != "founding_group" || len(p.Outreach) != 1 || len(p.Founders) != 3 || p.LastContact != domain.Today() || p.FirstContact != domain.Today().AddDays(-3) {
			t.Fatalf("pipeline %+v", p)
		}
		// The page offers founding with the new method (3 founders), and the
		// found form comes filled in with the enterprise and the method.
		resp, html := b.get(page)
		if resp.StatusCode != 200 || !strings.Contains(html, "/units/HN-CG/found?tax_code="+f.e1+"&amp;method=new") {
			t.Fatalf("pipeline page: %d", resp.StatusCode)
		}
		resp, html = b.get("/units/HN-CG/found?tax_code=" + f.e1 + "&method=new")
		if resp.StatusCode != 200 || !strings.Contains(html, `value="new" checked`) || !strings.Contains(html, "Công đoàn Công ty May Cầu Giấy") {
			t.Fatalf("found form not filled in: %d", resp.StatusCode)
		}
		if !strings.Contains(html, `id="founding-group"`) || !strings.Contains(html, "Trần Văn Hải") {
			t.Errorf("the found form does not show the founding group")
		}
		// The board: filters by area, organiser and 30 days without contact.
		_, html = b.get("/organising?unit=HN-CG&area=Ngh%C4%A9a+%C4%90%C3%B4")
		if strings.Contains(html, "card-"+f.e1) || !strings.Contains(html, "card-"+f.e2) {
			t.Errorf("area filter")
		}
		_, html = b.get("/organising?unit=HN-CG&stale=1")
		if strings.Contains(html, "card-"+f.e1) || !strings.Contains(html, "card-"+f.e2) {
			t.Errorf("the 30-day filter must drop the enterprise contacted 3 days ago")
		}
		_, html = b.get("/organising?unit=HN-CG")
		if !strings.Contains(html, `id="col-founding_group"`) || !strings.Contains(html[strings.Index(html, `id="col-founding_group"`):], "card-"+f.e1) {
			t.Errorf("e1 is not in the founding group column")
		}
		// The funnel of the year above the board.
		for _, want := range []string{`id="f-gap">2</b>`, `id="f-contacted">1</b>`, `id="f-groups">1</b>`, `id="f-founded">0</b>`} {
			if domain.Today().AddDays(-3).Year() == domain.Today().Year() && !strings.Contains(html, want) {
				t.Errorf("funnel lacks %s", want)
			}
		}
		// Another district's manager: 403.
		o := f.browser()
		o.login("binh", password)
		if resp, _ := o.get(page); resp.StatusCode != 403 {
			t.Errorf("other district: %d", resp.StatusCode)
		}
	})
}

// The queue's forms: an enterprise's request needs a union to join for
// now; a rejection needs a reason; a request decided is 409.
func TestJoinQueuePage(t *testing.T) {
	eachFixture(t, newOrgFixture, func(t *testing.T, st *store.Store, f *orgFixture) {
		u := f.joinURL("/api/v1/enterprises/" + f.e2)
		for i, nid := range []string{"001090111111", "001090222222"} {
			if code, _ := f.postJoin(u, fmt.Sprintf("10.2.0.%d", i), joinForm(nid)); code != 200 {
				t.Fatal(code)
			}
		}
		reqs := f.requests("HN-CG", "pending")
		if len(reqs) != 2 {
			t.Fatalf("%d requests", len(reqs))
		}
		b := f.browser()
		b.login("lan", password)
		csrf := b.csrf()
		resp, html := b.get("/units/HN-CG/join-requests")
		if resp.StatusCode != 200 || !strings.Contains(html, `list="queue-units"`) || !strings.Contains(html, `<option value="CG-A">`) {
			t.Fatalf("queue: %d", resp.StatusCode)
		}
		approve := fmt.Sprintf("/join-requests/%d/approve", reqs[0].ID)
		resp, html = b.postForm(approve, url.Values{"csrf_token": {csrf}, "joined_on": {domain.Today().VN()}})
		if resp.StatusCode != 422 || !strings.Contains(html, "chọn công đoàn cơ sở sẽ sinh hoạt tạm thời") {
			t.Fatalf("approve without a union: %d", resp.StatusCode)
		}
		resp, _ = b.postForm(approve, url.Values{"csrf_token": {csrf}, "joined_on": {domain.Today().VN()}, "unit_code": {"CG-B"}})
		if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/members/") {
			t.Fatalf("approve: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if resp, _ = b.postForm(approve, url.Values{"csrf_token": {csrf}, "unit_code": {"CG-B"}}); resp.StatusCode != 409 {
			t.Fatalf("approve twice: %d", resp.StatusCode)
		}
		reject := fmt.Sprintf("/join-requests/%d/reject", reqs[1].ID)
		if resp, _ = b.postForm(reject, url.Values{"csrf_token": {csrf}, "reason": {""}}); resp.StatusCode != 422 {
			t.Fatalf("reject without a reason: %d", resp.StatusCode)
		}
		if resp, _ = b.postForm(reject, url.Values{"csrf_token": {csrf}, "reason": {"Đã nghỉ việc"}}); resp.StatusCode != 303 {
			t.Fatalf("reject: %d", resp.StatusCode)
		}
		if m, err := st.Member(ctx, "001090111111"); err != nil || m.CurrentUnitCode != "CG-B" {
			t.Fatalf("member %+v %v", m, err)
		}
		if got := f.requests("HN-CG", "rejected"); len(got) != 1 || got[0].Reason != "Đã nghỉ việc" {
			t.Fatalf("rejected %+v", got)
		}
		// A viewer sees the queue with ID numbers masked, and no forms.
		v := f.browser()
		v.login("xem", password)
		resp, html = v.get("/units/HN-CG/join-requests?status=all")
		if resp.StatusCode != 200 || strings.Contains(html, "001090222222") || strings.Contains(html, "/approve") {
			t.Fatalf("viewer's queue: %d", resp.StatusCode)
		}
	})
}

// The rate limit per link: past 300 requests an hour from any number of
// addresses, a link answers 429.
func TestJoinLinkLimit(t *testing.T) {
	st, err := store.Open(ctx, storetest.URL(t, store.SQLite))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f := newOrgFixture(t, st)
	u := f.joinURL("/api/v1/units/CG-B")
	codes := map[int]int{}
	for i := range 305 {
		code, _ := f.postJoin(u, fmt.Sprintf("10.7.%d.%d", i/200, i%200), joinForm("001090606060"))
		codes[code]++
	}
	if codes[200] != 300 || codes[429] != 5 {
		t.Fatalf("answers %v, want 300 × 200 then 429", codes)
	}
	if n := len(f.requests("CG-B", "")); n != 1 {
		t.Fatalf("%d requests of one person in a day, want 1", n)
	}
}

// Founding by the new method an enterprise worked in the pipeline needs a
// founding group of at least 3: with 2 the form answers 422 on the method
// and writes nothing; with 3 the union is founded.
func TestFoundNewMethodNeedsThreeFounders(t *testing.T) {
	eachFixture(t, newOrgFixture, func(t *testing.T, st *store.Store, f *orgFixture) {
		for _, name := range []string{"Nguyễn Thị Mai", "Lê Văn Tùng"} {
			if err := st.AddFounder(ctx, f.e2, "test", store.Founder{FullName: name}); err != nil {
				t.Fatal(err)
			}
		}
		b := f.browser()
		b.login("lan", password)
		form := url.Values{"csrf_token": {b.csrf()}, "code": {"HN-CG-NEW1"}, "name": {"Công đoàn Công ty Điện tử Nghĩa Đô"}, "ownership": {"fdi"},
			"enterprise_tax_code": {f.e2}, "founded_on": {domain.Today().VN()}, "decision_no": {"12/QĐ"}, "method": {"new"}}
		resp, body := b.postForm("/units/HN-CG/found", form)
		if resp.StatusCode != 422 || !strings.Contains(body, "ít nhất 3 người") {
			t.Fatalf("2 founders: %d", resp.StatusCode)
		}
		if _, err := st.Unit(ctx, "HN-CG-NEW1"); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("a refused founding wrote the unit: %v", err)
		}
		if err := st.AddFounder(ctx, f.e2, "test", store.Founder{FullName: "Phạm Văn Hùng"}); err != nil {
			t.Fatal(err)
		}
		if resp, body := b.postForm("/units/HN-CG/found", form); resp.StatusCode != 303 {
			t.Fatalf("3 founders: %d %s", resp.StatusCode, body)
		}
		if p, err := st.PipelineOf(ctx, f.e2); err != nil || p.Stage != store.StageFounded {
			t.Fatalf("stage after founding: %+v %v", p, err)
		}
	})
}
