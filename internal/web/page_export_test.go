package web_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"congdoan/internal/store"
)

// The dashboard's download buttons give the XLSX and PDF documents of the
// unit shown, for units in the user's subtree only.
func TestReportDownload(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		lan := f.loggedIn("lan")
		mustContain(t, "the dashboard", lan.okPage("/?plan=HN-2022&unit=HN-CG&as_of=08/07/2022"), `/report/xlsx?`, `/report/letter?`)
		resp, body := lan.get("/report/xlsx?plan=HN-2022&unit=HN-CG&as_of=2022-07-08")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "bao-cao_HN-2022_HN-CG_2022-07-08.xlsx") {
			t.Fatalf("xlsx: %d %v", resp.StatusCode, resp.Header)
		}
		wb, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatalf("the download is not a workbook: %v", err)
		}
		if sheets := wb.GetSheetList(); len(sheets) < 5 || sheets[0] != "Tổng hợp" {
			t.Errorf("sheets: %v", sheets)
		}
		wb.Close()
		resp, body = f.loggedIn("admin").get("/report/pdf?plan=HN-2022&as_of=2022-07-08")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-") {
			t.Fatalf("pdf: %d %v %.10q", resp.StatusCode, resp.Header, body)
		}
		for path, want := range map[string]int{
			"/report/pdf?plan=HN-2022&unit=HN-BD": http.StatusForbidden, // another district
			"/report/pdf?plan=HN-2022&unit=HN":    http.StatusForbidden, // the level above
			"/report/doc?plan=HN-2022":            http.StatusNotFound,
			"/report/pdf?plan=NOPE":               http.StatusNotFound,
			"/report/pdf":                         http.StatusUnprocessableEntity,
		} {
			if resp, _ := lan.get(path); resp.StatusCode != want {
				t.Errorf("lan GET %s: %d, want %d", path, resp.StatusCode, want)
			}
		}
		if resp, _ := f.browser().get("/report/pdf?plan=HN-2022"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("anonymous download: %d", resp.StatusCode)
		}
	})
}
