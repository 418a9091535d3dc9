package web_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/importer"
	"congdoan/internal/msg"
	"congdoan/internal/store"
	"congdoan/internal/vn"
)

// A clerk's list with two columns the importer does not know: "Đơn vị"
// (the unit) and "Điện thoại" (not imported).
const previewList = "DANH SÁCH ĐOÀN VIÊN KẾT NẠP MỚI,,,,,,,\n" +
	"STT,Số CCCD,Họ tên,Ngày tháng năm sinh,Nam/Nữ,Đơn vị,Ngày kết nạp,Điện thoại\n" +
	"1,001195000801,Lý Thị Mai,01/01/1995,Nữ,CG-A,10/06/2022,0912345678\n" +
	"2,001096000802,Trịnh Văn Nam,02/02/1996,Nam,CG-B,11/06/2022,0987654321\n"

// previewUpload sends a file from the import page's form (preview=1).
func previewUpload(t *testing.T, b *browser, kind, name, content string, extra map[string]string) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf_token", b.csrf())
	mw.WriteField("kind", kind)
	mw.WriteField("preview", "1")
	for k, v := range extra {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	return b.do("POST", "/import", &buf, mw.FormDataContentType(), nil)
}

// tokenOf is the preview's token, the import's key for its confirmation.
func tokenOf(t *testing.T, page string) string {
	t.Helper()
	return fieldValue(t, page, "token")
}

func mustContain(t *testing.T, what, page string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(page, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

// The import page's preview: the header row found, how
// each column was understood, the first rows as they will be saved and
// every error by column; an unknown column mapped or skipped, the choice
// remembered per unit; nothing written before "Ghi dữ liệu".
func TestImportPreview(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		lan := f.loggedIn("lan")
		before := f.memberCount()

		resp, page := previewUpload(t, lan, "members", "kết nạp.csv", previewList, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("preview with unknown columns: %d %.1000s", resp.StatusCode, page)
		}
		mustContain(t, "the first preview", page,
			"Dòng tiêu đề nằm ở dòng 2 của tệp.",                   // the header below the title row
			`<strong>Số CCCD</strong>`, "<code>national_id</code>", // understood columns
			"Bỏ qua (số thứ tự, ghi chú)",              // STT
			`name="map.dienthoai"`, `name="map.donvi"`, // unknown columns get a select
			"Hệ thống chưa biết cột này",
			"Lý Thị Mai", "Trịnh Văn Nam", "01/01/1995", ">Nữ<", // rows as they will be saved
			`id="preview-errors"`, `data-field="Đơn vị"`, `data-field="unit_code"`, // errors by column
			"dòng 3, 4", // unit_code is missing on rows 3 and 4
			`id="commit" disabled`)
		if n := f.memberCount(); n != before {
			t.Fatalf("%d members after a preview, want %d", n, before)
		}
		tok := tokenOf(t, page)

		// Map "Đơn vị" to the unit and skip "Điện thoại".
		remap := url.Values{"csrf_token": {lan.csrf()}, "token": {tok}, "action": {"remap"},
			"map.donvi": {"unit_code"}, "map.dienthoai": {"-"}}
		resp, page = lan.postForm("/import", remap)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("after the mapping: %d %.3000s", resp.StatusCode, page)
		}
		mustContain(t, "the mapped preview", page, "Tệp hợp lệ: 2 dòng sẵn sàng để ghi.", `<option value="unit_code" selected>`,
			`<option value="-" selected>`, "Các cột bỏ qua: STT, Điện thoại.", ">CG-B<", `id="commit">Ghi dữ liệu`)
		if strings.Contains(page, `id="preview-errors"`) {
			t.Errorf("errors after the mapping")
		}
		if n := f.memberCount(); n != before {
			t.Fatalf("%d members before Ghi dữ liệu, want %d", n, before)
		}

		// Another session cannot use the token.
		other := f.loggedIn("lan")
		resp, _ = other.postForm("/import", url.Values{"csrf_token": {other.csrf()}, "token": {tok}, "action": {"commit"}})
		if resp.StatusCode != http.StatusGone || f.memberCount() != before {
			t.Errorf("a commit from another session: %d", resp.StatusCode)
		}

		// Ghi dữ liệu writes it all.
		resp, page = lan.postForm("/import", url.Values{"csrf_token": {lan.csrf()}, "token": {tok}, "action": {"commit"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("commit: %d %.1000s", resp.StatusCode, page)
		}
		_, page = lan.get(resp.Header.Get("Location"))
		mustContain(t, "the import summary", page, "Đã nhập 2 dòng", "Đã bỏ qua cột: STT, Điện thoại.")
		if n := f.memberCount(); n != before+2 {
			t.Errorf("%d members, want %d", n, before+2)
		}
		if m, err := st.Member(ctx, "001096000802"); err != nil || m.UnitCode != "CG-B" {
			t.Errorf("member %+v, %v", m, err)
		}
		// The token is spent.
		resp, _ = lan.postForm("/import", url.Values{"csrf_token": {lan.csrf()}, "token": {tok}, "action": {"commit"}})
		if resp.StatusCode != http.StatusGone {
			t.Errorf("a second commit: %d", resp.StatusCode)
		}

		// The next file with the same headers (in another case) gets the
		// mapping back, for the same unit only.
		next := strings.NewReplacer("ĐƠN VỊ", "ĐƠN VỊ", "Đơn vị", "ĐƠN VỊ", "0801", "0803", "0802", "0804").Replace(previewList)
		resp, page = previewUpload(t, lan, "members", "đợt 2.csv", next, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("a remembered mapping: %d %.3000s", resp.StatusCode, page)
		}
		mustContain(t, "the remembered preview", page, `id="preview-remembered"`, "Tệp hợp lệ: 2 dòng")
		binh := f.loggedIn("binh")
		resp, page = previewUpload(t, binh, "members", "bd.csv", strings.ReplaceAll(strings.ReplaceAll(next, "CG-A", "BD-C"), "CG-B", "BD-C"), nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || strings.Contains(page, `id="preview-remembered"`) || !strings.Contains(page, `name="map.donvi"`) {
			t.Errorf("another unit got the mapping: %d", resp.StatusCode)
		}
		if n := f.memberCount(); n != before+2 {
			t.Errorf("%d members after previews, want %d", n, before+2)
		}
		sig := importer.HeaderSignature(strings.Split("STT,Số CCCD,Họ tên,Ngày tháng năm sinh,Nam/Nữ,Đơn vị,Ngày kết nạp,Điện thoại", ","))
		u, _ := st.Unit(ctx, "HN-CG")
		if m, err := st.ImportMapping(ctx, u.ID, "members", sig); err != nil || m["donvi"] != "unit_code" || m["dienthoai"] != "" || len(m) != 2 {
			t.Errorf("the saved mapping: %v %v", m, err)
		}
		if m, _ := st.ImportMapping(ctx, u.ID, "units", sig); m != nil {
			t.Errorf("a mapping of another kind: %v", m)
		}
	})
}

// Every error at once, grouped by column with its rows, the rules that
// read the database included (a dry run); nothing written; in English on
// an English page.
func TestImportPreviewErrors(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		lan := f.loggedIn("lan")
		before := f.memberCount()
		bad := "Số CCCD,Họ và tên,Ngày sinh,Mã CĐCS,Ngày vào công đoàn\n" +
			"001195000901,Lý Thị Mai,01/01/1995,CG-A,10/06/2022\n" +
			"12345,Hà Văn Bốn,01/01/1995,CG-A,10/06/2022\n" +
			"001195000903,Đỗ Thị Ba,01/01/1995,NOPE,10/06/2022\n" +
			"001195000904,Vũ Thị Tư,31/02/1995,BD-C,10/06/2022\n" +
			"123,,01/01/1995,CG-A,10/06/2022\n"
		resp, page := previewUpload(t, lan, "members", "lỗi.csv", bad, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%d", resp.StatusCode)
		}
		groups := map[string]string{}
		for _, m := range regexp.MustCompile(`(?s)<details open class="errgroup" data-field="([^"]+)"><summary>(.*?)</summary>`).FindAllStringSubmatch(page, -1) {
			groups[m[1]] = m[2]
		}
		for field, rows := range map[string]string{"national_id": "dòng 3, 6", "unit_code": "dòng 4, 5", "date_of_birth": "dòng 5", "full_name": "dòng 6"} {
			if !strings.Contains(groups[field], rows) {
				t.Errorf("group %s: %q, want %q", field, groups[field], rows)
			}
		}
		mustContain(t, "the errors", page, `không có đơn vị &#34;NOPE&#34;`, "nằm ngoài phạm vi đơn vị HN-CG của bạn", "không phải là số CCCD gồm 12 chữ số")
		if strings.Contains(page, "(unknown unit") || strings.Contains(page, "outside your unit") {
			t.Errorf("English in the Vietnamese page")
		}
		if n := f.memberCount(); n != before {
			t.Errorf("%d members, want %d", n, before)
		}
		// The same page in English.
		lan.get("/lang/en?next=/import")
		_, page = previewUpload(t, lan, "members", "lỗi.csv", bad, nil)
		mustContain(t, "the English errors", page, `unknown unit &#34;NOPE&#34;`, "is outside your unit HN-CG", "is not a 12-digit CCCD number", "rows 4, 5", "Save data")
		if strings.Contains(page, "không có đơn vị") || strings.Contains(page, "Ghi dữ liệu") {
			t.Errorf("Vietnamese in the English page")
		}
		// A file without a header row.
		lan.get("/lang/vi?next=/import")
		resp, page = previewUpload(t, lan, "members", "x.csv", "a,b\n1,2\n", nil)
		mustContain(t, "no header", page, "không tìm thấy dòng tiêu đề")
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("no header: %d", resp.StatusCode)
		}
	})
}

// The API's errors: English by default, Vietnamese when Accept-Language
// asks for it, with the message's key and arguments either way.
func TestAPIErrorLanguage(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		body := "national_id,full_name,date_of_birth,unit_code,joined_on\n12345,An,1995-01-01,NOPE,2022-06-10\n"
		type fe struct {
			Field, Message, Key string
			Args                []any
		}
		for _, c := range []struct{ lang, want string }{{"", `unknown unit "NOPE"`}, {"vi-VN,vi;q=0.9", `không có đơn vị "NOPE"`}, {"en-US", `unknown unit "NOPE"`}} {
			b, ct := multipartFile(t, "m.csv", body)
			req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/import/members", b)
			req.Header.Set("Content-Type", ct)
			req.Header.Set("Authorization", "Bearer "+f.tokens["lan"])
			if c.lang != "" {
				req.Header.Set("Accept-Language", c.lang)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var out struct{ Errors []fe }
			json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			found := false
			for _, e := range out.Errors {
				if e.Field == "unit_code" && e.Message == c.want && e.Key == "unit.unknown" && len(e.Args) == 1 && e.Args[0] == "NOPE" {
					found = true
				}
			}
			if resp.StatusCode != 422 || !found {
				t.Errorf("Accept-Language %q: %d %+v", c.lang, resp.StatusCode, out.Errors)
			}
		}
	})
}

// POST /api/v1/import/KIND?dry_run=1 checks a file and writes nothing.
func TestAPIDryRun(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		before := f.memberCount()
		body, ct := multipartFile(t, "m.csv", "national_id,full_name,date_of_birth,unit_code,joined_on\n001195000971,An,1995-01-01,CG-A,2022-06-10\n")
		status, b := f.call("POST", "/api/v1/import/members?dry_run=1", "lan", body, ct)
		if status != 200 || !strings.Contains(string(b), `"dry_run":true`) || f.memberCount() != before {
			t.Errorf("dry run: %d %s, %d members (want %d)", status, b, f.memberCount(), before)
		}
	})
}

// Typed errors translate into both languages in one place.
func TestTypedErrorsTranslate(t *testing.T) {
	t.Parallel()
	_, errs, err := importer.ParseRow("members", map[string]string{"Số CCCD": "001090000104", "Họ và tên": "Hoa", "Ngày sinh": "1990-01-01",
		"Giới tính": "nữ", "Mã CĐCS": "CG-A", "Ngày vào công đoàn": "31/02/2022"}, domain.NewDate(2022, 7, 8))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{
		"national_id": {`"001090000104" không khớp với giới tính nữ`, `"001090000104" does not match the gender female`},
		"joined_on":   {`"31/02/2022" không phải là ngày có thật`, `"31/02/2022" is not a possible date`},
	}
	if len(errs) != len(want) {
		t.Fatalf("errors %v", errs)
	}
	for _, e := range errs {
		w := want[e.Field]
		if e.In(msg.VI) != w[0] || e.In(msg.EN) != w[1] || e.Error() != "row:2: "+e.Field+": "+w[0] {
			t.Errorf("%s: %q / %q / %q", e.Field, e.In(msg.VI), e.In(msg.EN), e.Error())
		}
	}
	if vn.HeaderKey("Điện thoại") != "dienthoai" {
		t.Fatalf("the test's mapping keys are wrong: %q", vn.HeaderKey("Điện thoại"))
	}
}
