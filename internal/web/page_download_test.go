package web_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"congdoan/internal/store"
)

// The lists' downloads: XLSX and CSV in the import format, with the page's
// filters, within the user's subtree (403 outside it), and the import
// templates.
func TestListDownloads(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		lan, xem, admin := f.loggedIn("lan"), f.loggedIn("xem"), f.loggedIn("admin")

		// The pages link their downloads.
		for path, link := range map[string]string{
			"/members?unit=HN-CG":     "/download/members.xlsx?unit=HN-CG",
			"/enterprises?unit=HN-CG": "/download/enterprises.csv?unit=HN-CG",
			"/enterprises/gap":        "/download/gap.xlsx?unit=HN-CG",
			"/units":                  "/download/units.xlsx?unit=HN-CG",
			"/audit":                  "/download/audit.csv",
		} {
			if _, page := lan.get(path); !strings.Contains(page, link) {
				t.Errorf("%s has no link %s", path, link)
			}
		}

		// Members as CSV, with the name filter of the page.
		resp, body := lan.get("/download/members.csv?unit=HN-CG&q=binh")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("members.csv: %d %v", resp.StatusCode, resp.Header)
		}
		if !strings.HasPrefix(body, "\ufeffSố CCCD,") {
			t.Errorf("members.csv does not start with the BOM and the Vietnamese header: %.40q", body)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
		if err != nil || len(recs) != 2 || recs[1][0] != "001195000002" || recs[1][2] != "Trần Thị Bình" || recs[1][3] != "30/11/1995" {
			t.Errorf("members.csv filtered on binh: %q (%v)", recs, err)
		}

		// Members as XLSX: the whole unit, IDs as text.
		resp, body = lan.get("/download/members.xlsx?unit=HN-CG")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Fatalf("members.xlsx: %d %v", resp.StatusCode, resp.Header)
		}
		rows := xlsxRows(t, body, "")
		if len(rows) < 3 || rows[0][0] != "Số CCCD" || rows[1][0] != "001090000001" {
			t.Errorf("members.xlsx rows: %q", rows)
		}

		// A viewer gets the IDs masked, as the page shows them.
		_, body = xem.get("/download/members.csv?unit=HN-CG")
		if strings.Contains(body, "001090000001") || !strings.Contains(body, "*********001") {
			t.Errorf("a viewer's download shows national IDs: %.300s", body)
		}

		// The other lists.
		for path, want := range map[string]string{
			"/download/enterprises.csv?unit=HN-CG":       "Mã số thuế,Tên doanh nghiệp",
			"/download/gap.csv?unit=HN-CG":               "Mã số thuế,Tên doanh nghiệp",
			"/download/units.csv?unit=HN-CG":             "CG-A,CĐCS Công ty TNHH An Phát,HN-CG,Công đoàn cơ sở",
			"/download/audit.csv":                        "Thời gian,Người thực hiện",
			"/download/enterprises.xlsx?unit=HN-CG&q=An": "",
		} {
			resp, body := lan.get(path)
			if resp.StatusCode != 200 || !strings.Contains(body, want) {
				t.Errorf("GET %s: %d, want a body with %q: %.300s", path, resp.StatusCode, want, body)
			}
		}
		if _, body := lan.get("/download/units.csv?unit=HN-CG"); strings.Contains(body, "HN-BD") {
			t.Errorf("lan's units list holds another district: %s", body)
		}
		if _, body := admin.get("/download/units.csv"); !strings.Contains(body, "HN-BD") || !strings.Contains(body, "BD-C") {
			t.Errorf("the admin's units list: %s", body)
		}

		// Outside the subtree: 403; unknown lists and formats: 404.
		for path, want := range map[string]int{
			"/download/members.xlsx?unit=HN-BD":   http.StatusForbidden,
			"/download/members.csv?unit=HN":       http.StatusForbidden,
			"/download/enterprises.csv?unit=HN":   http.StatusForbidden,
			"/download/gap.xlsx?unit=HN-BD":       http.StatusForbidden,
			"/download/units.csv?unit=HN":         http.StatusForbidden,
			"/download/members.pdf":               http.StatusNotFound,
			"/download/plans.csv":                 http.StatusNotFound,
			"/download/members.xlsx?unit=NOWHERE": http.StatusNotFound,
		} {
			if resp, _ := lan.get(path); resp.StatusCode != want {
				t.Errorf("lan GET %s: %d, want %d", path, resp.StatusCode, want)
			}
		}
		if resp, _ := xem.get("/download/audit.xlsx"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a viewer downloads the audit log: %d", resp.StatusCode)
		}
		if resp, _ := f.browser().get("/download/members.csv"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("anonymous download: %d", resp.StatusCode)
		}

		// The import page offers a template per kind, and lists the columns.
		_, page := lan.get("/import")
		for _, want := range []string{`href="/import/template/members"`, `href="/import/template/moves"`, "Số CCCD", "national_id", "Mã số (giữ số 0 ở đầu)"} {
			if !strings.Contains(page, want) {
				t.Errorf("the import page lacks %q", want)
			}
		}
		resp, body = lan.get("/import/template/members")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Fatalf("template: %d %v", resp.StatusCode, resp.Header)
		}
		if rows := xlsxRows(t, body, ""); len(rows) != 1 || rows[0][0] != "Số CCCD" {
			t.Errorf("template rows: %q", rows)
		}
		if resp, _ := lan.get("/import/template/nope"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown template: %d", resp.StatusCode)
		}
	})
}

// xlsxRows reads a sheet of a workbook: the first when sheet is "".
func xlsxRows(t *testing.T, body, sheet string) [][]string {
	t.Helper()
	wb, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer wb.Close()
	if sheet == "" {
		sheet = wb.GetSheetList()[0]
	}
	rows, err := wb.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
