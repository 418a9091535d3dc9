package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"congdoan/internal/store"
)

// Members imported into a grassroots unit: through the
// API with ?unit=CODE and from the unit's page, the rows without a unit
// column go to that unit, and the user's subtree is checked on it.
func TestImportMembersIntoAUnit(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		// A clerk's list: a title row, STT, no unit column.
		const list = "DANH SÁCH ĐOÀN VIÊN KẾT NẠP MỚI,,,,,\n" +
			"STT,Số CCCD,Họ tên,Ngày tháng năm sinh,Nam/Nữ,Ngày kết nạp\n" +
			"1,001195000501,Lý Thị Mai,01/01/1995,Nữ,10/06/2022\n" +
			"2,001096000502,Trịnh Văn Nam,02/02/1996,Nam,11/06/2022\n"

		t.Run("api", func(t *testing.T) {
			body, ct := multipartFile(t, "ds.csv", list)
			status, b := f.call("POST", "/api/v1/import/members?unit=CG-B", "lan", body, ct)
			if status != 200 {
				t.Fatalf("%d %s", status, b)
			}
			r := decode[struct {
				Rows    int
				Skipped []string
				Unit    string
			}](t, b)
			if r.Rows != 2 || r.Unit != "CG-B" || len(r.Skipped) != 1 || r.Skipped[0] != "STT" {
				t.Errorf("summary %s", b)
			}
			if m, err := st.Member(ctx, "001195000501"); err != nil || m.UnitCode != "CG-B" {
				t.Errorf("member %+v, %v", m, err)
			}
			// Outside the user's subtree: 403, nothing written.
			other := strings.ReplaceAll(list, "0005", "0006")
			body, ct = multipartFile(t, "ds.csv", other)
			if status, b := f.call("POST", "/api/v1/import/members?unit=BD-C", "lan", body, ct); status != 403 {
				t.Errorf("into BD-C by lan: %d %s", status, b)
			}
			// An upper unit: 422, one error.
			body, ct = multipartFile(t, "ds.csv", other)
			if status, b := f.call("POST", "/api/v1/import/members?unit=HN-CG", "lan", body, ct); status != 422 || !strings.Contains(string(b), "grassroots") {
				t.Errorf("into HN-CG: %d %s", status, b)
			}
			// Only members.
			body, ct = multipartFile(t, "u.csv", "code,name,kind\nX,X,federation\n")
			if status, b := f.call("POST", "/api/v1/import/units?unit=CG-B", "admin", body, ct); status != 422 {
				t.Errorf("units into a unit: %d %s", status, b)
			}
			if _, err := st.Member(ctx, "001195000601"); err == nil {
				t.Errorf("a refused import was written")
			}
			// An old .xls gets told what to do.
			body, ct = multipartFile(t, "ds.xls", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old workbook")
			if status, b := f.call("POST", "/api/v1/import/members", "lan", body, ct); status != 422 || !strings.Contains(string(b), ".xlsx") {
				t.Errorf("an .xls file: %d %s", status, b)
			}
		})

		t.Run("page", func(t *testing.T) {
			lan := f.loggedIn("lan")
			_, page := lan.get("/units/CG-A")
			if !strings.Contains(page, `href="/import?kind=members&amp;unit=CG-A"`) {
				t.Errorf("the unit page does not offer the import")
			}
			resp, page := lan.get("/import?kind=members&unit=CG-A")
			if resp.StatusCode != 200 || !strings.Contains(page, `name="unit" value="CG-A"`) {
				t.Fatalf("import page into CG-A: %d %.400s", resp.StatusCode, page)
			}
			if resp, _ := lan.get("/import?kind=members&unit=BD-C"); resp.StatusCode != http.StatusForbidden {
				t.Errorf("import page into BD-C by lan: %d", resp.StatusCode)
			}
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField("csrf_token", lan.csrf())
			mw.WriteField("kind", "members")
			mw.WriteField("unit", "CG-A")
			fw, _ := mw.CreateFormFile("file", "ds.csv")
			fw.Write([]byte(strings.ReplaceAll(list, "0005", "0007")))
			mw.Close()
			resp, body := lan.do("POST", "/import", &buf, mw.FormDataContentType(), nil)
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("upload: %d %.600s", resp.StatusCode, body)
			}
			_, body = lan.get(resp.Header.Get("Location"))
			if !strings.Contains(body, "Đã nhập 2 dòng") || !strings.Contains(body, "Đã bỏ qua cột: STT.") {
				t.Errorf("import summary: %.600s", body)
			}
			if m, err := st.Member(ctx, "001195000701"); err != nil || m.UnitCode != "CG-A" {
				t.Errorf("member %+v, %v", m, err)
			}
		})
	})
}
