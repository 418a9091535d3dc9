package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"congdoan/internal/export"
	"congdoan/internal/importer"
	"congdoan/internal/store"
)

// pdfToText reads a PDF back with pdftotext, its words joined by single
// spaces (a missing pdftotext skips the test locally, fails it in CI).
func pdfToText(t *testing.T, pdf string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing: CI must install poppler-utils")
		}
		t.Skip("pdftotext not found: install poppler-utils")
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, []byte(pdf), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// column is the values of a sheet's column (0 first) below its header
// row, raw (an integer as "24780").
func column(t *testing.T, wb *excelize.File, sheet string, header, col int) []string {
	t.Helper()
	rows, err := wb.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows[header:] {
		if col < len(r) && r[col] != "" {
			out = append(out, r[col])
		}
	}
	return out
}

// decimalCount finds a count written with decimals after "cần đạt" (in a
// sentence) or as a figure of the pace.
var decimalCount = regexp.MustCompile(`(cần đạt|pace calls for) [0-9.,]*[0-9],[0-9]`)

// The demo's Hanoi report of 8 July 2022 on the web, in the XLSX and in the
// PDF: counts expected by the pace are whole numbers everywhere (24.780,
// not 24.779,71), "%" keeps to its number, and ownerships and indicators
// read the same on the pages, in the workbook and in the PDF. The PDF is
// an official report with the letter typed in the form before it.
func TestDocumentsVocabulary(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, st *store.Store, f *fixture) {
		b := f.loggedIn("admin")
		q := "plan=HN-2022&unit=HN&as_of=2022-07-08"

		// The dashboard: whole counts, the no-break space before "%".
		_, dash := b.get("/?" + q)
		for _, want := range []string{"theo tiến độ cần đạt 24.780", "theo tiến độ cần đạt 388", "40,8\u00a0%", "/report/letter?"} {
			if !strings.Contains(dash, want) {
				t.Errorf("the dashboard lacks %q", want)
			}
		}
		if m := decimalCount.FindString(dash); m != "" {
			t.Errorf("the dashboard writes a count with decimals: %q", m)
		}
		if strings.Contains(dash, "40,8 %") {
			t.Error(`the dashboard breaks "40,8 %" at a normal space`)
		}

		// The workbook: the pace's counts are integers.
		resp, body := b.get("/report/xlsx?" + q)
		if resp.StatusCode != 200 {
			t.Fatalf("xlsx: %d", resp.StatusCode)
		}
		wb, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		defer wb.Close()
		expected := column(t, wb, export.SheetSummary, export.SummaryHeaderRow, 5)
		if len(expected) < 5 || !slices.Contains(expected, "24780") || !slices.Contains(expected, "388") {
			t.Errorf("XLSX expected column: %v", expected)
		}
		for _, v := range expected {
			if strings.ContainsAny(v, ".,") {
				t.Errorf("XLSX: the pace's count %q has decimals", v)
			}
		}
		indicators := column(t, wb, export.SheetSummary, export.SummaryHeaderRow, 1)
		ownerships := column(t, wb, export.SheetGaps, 1, 3)
		slices.Sort(ownerships)
		ownerships = slices.Compact(ownerships)
		if len(indicators) != 8 || len(ownerships) < 2 {
			t.Fatalf("XLSX: indicators %v, ownerships %v", indicators, ownerships)
		}

		// The letter form, then the PDF it gives.
		resp, form := b.get("/report/letter?" + q)
		if resp.StatusCode != 200 || !strings.Contains(form, `value="Hà Nội"`) || !strings.Contains(form, "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH") ||
			!strings.Contains(form, "Tổng Liên đoàn Lao động Việt Nam (để báo cáo)") {
			t.Fatalf("letter form: %d\n%s", resp.StatusCode, form)
		}
		letter := url.Values{"letter": {"1"}, "number": {"27/BC-LĐLĐ"}, "place": {"Hà Nội"}, "date": {"10/07/2022"},
			"recipients":   {"Tổng Liên đoàn Lao động Việt Nam\nThành ủy Hà Nội\nLưu: VT"},
			"signer_title": {"KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"}, "signer": {"Phạm Văn Thành"}}
		resp, pdf := b.get("/report/pdf?" + q + "&" + letter.Encode())
		if resp.StatusCode != 200 || !strings.HasPrefix(pdf, "%PDF-") {
			t.Fatalf("pdf: %d %.200s", resp.StatusCode, pdf)
		}
		text := pdfToText(t, pdf)
		for _, want := range []string{"TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM", "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI", "Số: 27/BC-LĐLĐ",
			"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày 10 tháng 7 năm 2022",
			"Nơi nhận:", "- Thành ủy Hà Nội;", "- Lưu: VT.", "KT. CHỦ TỊCH PHÓ CHỦ TỊCH", "Phạm Văn Thành",
			"24.780", "cần đạt 388"} {
			if !strings.Contains(text, want) {
				t.Errorf("PDF text lacks %q", want)
			}
		}
		if m := decimalCount.FindString(text); m != "" || strings.Contains(text, "24.779,71") {
			t.Errorf("the PDF writes a count with decimals: %q", m)
		}

		// One vocabulary: each label of the workbook is the pages' and the
		// PDF's.
		_, gap := b.get("/enterprises/gap?unit=HN")
		for _, o := range ownerships {
			if !strings.Contains(gap, ">"+o+"<") {
				t.Errorf("ownership %q of the XLSX is not the web's", o)
			}
			if !strings.Contains(text, o) {
				t.Errorf("ownership %q of the XLSX is not the PDF's", o)
			}
		}
		for _, name := range indicators {
			if !strings.Contains(dash, name) {
				t.Errorf("indicator %q of the XLSX is not the dashboard's", name)
			}
			if !strings.Contains(text, name) {
				t.Errorf("indicator %q of the XLSX is not the PDF's", name)
			}
		}

		// The form remembers the place, recipients and signer.
		_, form = b.get("/report/letter?" + q)
		if !strings.Contains(form, `value="Phạm Văn Thành"`) || !strings.Contains(form, "Thành ủy Hà Nội") || strings.Contains(form, "27/BC-LĐLĐ") {
			t.Errorf("the letter form did not remember the signer (or remembered the number):\n%s", form)
		}

		// Bad fields: the form again, each error in Vietnamese naming its
		// field; no document.
		bad := url.Values{"letter": {"1"}, "number": {strings.Repeat("9", 41)}, "date": {"31/02/2022"},
			"signer_title": {"A\nB\nC\nD"}, "signer": {"Tên\x07"}}
		resp, page := b.get("/report/pdf?" + q + "&" + bad.Encode())
		if resp.StatusCode != http.StatusUnprocessableEntity || resp.Header.Get("Content-Type") == "application/pdf" {
			t.Fatalf("bad letter: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		for _, want := range []string{"Số văn bản", "dài 41 ký tự, tối đa 40", "Ngày ký", "không phải là ngày có thật",
			"Chức vụ người ký", "có 4 dòng, tối đa 3", "Họ và tên người ký", "có ký tự điều khiển"} {
			if !strings.Contains(page, want) {
				t.Errorf("the bad letter's page lacks %q", want)
			}
		}
	})
}

// englishWords are the English and internal words that used to leak into
// Vietnamese pages.
var englishWords = []string{"not found", "is outside your unit", "12-digit", "forbidden", "lang=\"en\"", "CCCD number"}

// A Vietnamese page's messages are Vietnamese only, said once; English
// pages say them in English.
func TestMessagesOneLanguage(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		lan := f.loggedIn("lan") // manager of HN-CG
		noEnglish := func(what, page string) {
			t.Helper()
			main := page[strings.Index(page, "<main"):]
			for _, w := range englishWords {
				if strings.Contains(main, w) {
					t.Errorf("%s: the Vietnamese page says %q", what, w)
				}
			}
		}
		once := func(what, page, want string) {
			t.Helper()
			if n := strings.Count(page, want); n != 1 {
				t.Errorf("%s: %q said %d times", what, want, n)
			}
		}

		resp, page := lan.get("/units/HN-BD") // another district
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("another district: %d", resp.StatusCode)
		}
		once("another district", page, "&#34;HN-BD&#34; nằm ngoài phạm vi đơn vị HN-CG của bạn.")
		noEnglish("another district", page)

		resp, page = lan.get("/no/such/page")
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("no such page: %d", resp.StatusCode)
		}
		once("no such page", page, "Không tìm thấy trang này.")
		noEnglish("no such page", page)

		resp, page = lan.get("/members/987654321")
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("no such member: %d", resp.StatusCode)
		}
		once("no such member", page, "Không tìm thấy")
		noEnglish("no such member", page)

		_, form := lan.get("/members/new?unit=CG-A")
		resp, page = lan.postForm("/members/new", url.Values{"csrf_token": {formToken(t, form)}, "unit": {"CG-A"}, "unit_code": {"CG-A"},
			"full_name": {"Lê Văn Cường"}, "id_type": {"cccd"}, "national_id": {"12345"}, "date_of_birth": {"01/02/1990"},
			"gender": {"male"}, "joined_on": {"01/03/2022"}, "joined_how": {"admitted"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad CCCD: %d", resp.StatusCode)
		}
		if !strings.Contains(page, "không phải là số CCCD gồm 12 chữ số") {
			t.Errorf("bad CCCD: no Vietnamese message")
		}
		noEnglish("bad CCCD", page)

		resp, page = lan.get("/report/pdf") // no plan
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "plan: Không được để trống.") || strings.Contains(page, "required") {
			t.Errorf("no plan: %d %s", resp.StatusCode, page[strings.Index(page, "<main"):])
		}

		// In English, English only.
		lan.get("/lang/en?next=/")
		_, page = lan.get("/units/HN-BD")
		once("another district (en)", page, "&#34;HN-BD&#34; is outside your unit HN-CG.")
		if strings.Contains(page, "nằm ngoài") {
			t.Error("the English page says it in Vietnamese too")
		}
		_, page = lan.get("/no/such/page")
		if !strings.Contains(page, "Page not found.") || strings.Contains(page, "Không tìm thấy") {
			t.Errorf("no such page (en): %s", page[strings.Index(page, "<main"):])
		}
	})
}

// The audit log reads as sentences in the user's language, on the page,
// in the XLSX download and in the API's "text"; the API keeps the action
// key and the detail as they are.
func TestAuditSentences(t *testing.T) {
	t.Parallel()
	eachFixture(t, newFixture, func(t *testing.T, st *store.Store, f *fixture) {
		if s, b := f.upload("members", "lan", "members.csv", "national_id,full_name,date_of_birth,unit_code,joined_on\n"+
			"001195000602,Lý Thị Mai,1995-01-01,CG-A,2022-06-10\n001096000603,Trịnh Văn Nam,1996-02-02,CG-B,2022-06-11\n"); s != 200 {
			t.Fatalf("import: %d %s", s, b)
		}
		im := &importer.Importer{Store: st, Actor: "cli"}
		if _, err := im.File(ctx, "targets", filepath.Join("testdata", "targets.csv"), "targets.csv"); err != nil {
			t.Fatal(err)
		}
		admin := f.loggedIn("admin")
		_, page := admin.get("/audit")
		for _, want := range []string{"Nhập 2 đoàn viên từ tệp members.csv", "Nhập 3 chỉ tiêu từ tệp targets.csv", "Đăng nhập"} {
			if !strings.Contains(page, want) {
				t.Errorf("the audit page lacks %q", want)
			}
		}
		if strings.Contains(page, " rows") || strings.Contains(page, ">import.") {
			t.Error("the audit page shows the raw detail or action key")
		}
		body := admin.okPage("/download/audit.xlsx")
		wb, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		texts := column(t, wb, wb.GetSheetList()[0], 1, 2)
		wb.Close()
		if !slices.Contains(texts, "Nhập 2 đoàn viên từ tệp members.csv") {
			t.Errorf("the XLSX audit log: %q", texts)
		}

		admin.get("/lang/en?next=/")
		_, page = admin.get("/audit")
		for _, want := range []string{"Imported 2 member(s) from members.csv", "Imported 3 target(s) from targets.csv", "Logged in"} {
			if !strings.Contains(page, want) {
				t.Errorf("the English audit page lacks %q", want)
			}
		}
		if strings.Contains(page, "Nhập 2") {
			t.Error("the English audit page says it in Vietnamese")
		}

		status, b := f.call("GET", "/api/v1/audit", "admin", nil, "")
		got := decode[struct {
			Entries []struct{ Action, Detail, Text string }
		}](t, b)
		found := false
		for _, e := range got.Entries {
			if e.Action == "import.members" && e.Detail == "members.csv: 2 rows" && e.Text == "Nhập 2 đoàn viên từ tệp members.csv" {
				found = true
			}
		}
		if status != 200 || !found {
			t.Errorf("API audit: %d %s", status, b)
		}
	})
}
