package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"congdoan/internal/demo"
	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/export"
	"congdoan/internal/report"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
	"congdoan/internal/summary"
)

// tool finds an external program the test needs: a missing one skips the
// test locally and fails it in CI (CI=true), where it must be installed.
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: CI must install the Debian package %s", name, pkg)
		}
		t.Skipf("%s not found: install the Debian package %s to run this test (apt-get install -y %s)", name, pkg, pkg)
	}
	return p
}

// outDir is where the documents are written: CONGDOAN_EXPORT_OUT when set
// (to look at them afterwards), else a temporary folder.
func outDir(t *testing.T) string {
	if d := os.Getenv("CONGDOAN_EXPORT_OUT"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

func run(t *testing.T, timeout time.Duration, name string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// TestDemoDocuments writes the Hanoi 2022 report (8 July 2022) of the demo
// data as XLSX and PDF and reads both back: with excelize, through
// LibreOffice, with pdftotext and pdftoppm.
func TestDemoDocuments(t *testing.T) {
	ctx := context.Background()
	st := storetest.Filled(t, store.SQLite, "demo", demo.Load)

	start := time.Now()
	doc, err := report.BuildDocument(ctx, st, report.Request{Plan: demo.PlanCode, AsOf: "2022-07-08"})
	if err != nil {
		t.Fatal(err)
	}
	tDoc := time.Since(start)
	dir := outDir(t)

	var xb bytes.Buffer
	start = time.Now()
	if err := export.XLSX(&xb, doc); err != nil {
		t.Fatal(err)
	}
	tX := time.Since(start)
	var pb bytes.Buffer
	start = time.Now()
	if err := export.PDF(&pb, doc); err != nil {
		t.Fatal(err)
	}
	tP := time.Since(start)
	t.Logf("document (report, %d campaigns, %d enterprises without a union) %v; XLSX %d bytes in %v; PDF %d bytes in %v",
		len(doc.Campaigns), len(doc.Gaps), tDoc.Round(time.Millisecond), xb.Len(), tX.Round(time.Millisecond), pb.Len(), tP.Round(time.Millisecond))
	xlsxPath, pdfPath := filepath.Join(dir, "hanoi-2022.xlsx"), filepath.Join(dir, "hanoi-2022.pdf")
	if err := os.WriteFile(xlsxPath, xb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pdfPath, pb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if len(doc.Campaigns) != 2 || len(doc.Gaps) == 0 || len(doc.Exemplary) != 5 {
		t.Errorf("document: %d campaigns, %d gaps, %d exemplary", len(doc.Campaigns), len(doc.Gaps), len(doc.Exemplary))
	}
	var ex []string
	for _, l := range doc.Exemplary {
		ex = append(ex, l.Unit.Code)
	}
	slices.Sort(ex)
	want := slices.Clone(demo.Exemplary)
	slices.Sort(want)
	if !slices.Equal(ex, want) {
		t.Errorf("exemplary units %v, want the article's %v", ex, want)
	}

	t.Run("xlsx read back", func(t *testing.T) { checkXLSX(t, xb.Bytes(), doc) })
	t.Run("xlsx through LibreOffice", func(t *testing.T) { checkLibreOffice(t, xlsxPath) })
	t.Run("pdf text", func(t *testing.T) { checkPDFText(t, pdfPath) })
	t.Run("pdf pages", func(t *testing.T) { checkPDFPages(t, pdfPath, filepath.Join(dir, "hanoi-2022")) })

	// Other shapes of the same data: a campaign, a district, a day before
	// the plan (an empty window): documents all the same.
	for _, c := range []struct {
		name string
		req  report.Request
	}{
		{"campaign-d1", report.Request{Plan: demo.PlanCode, AsOf: "2022-07-08", Campaign: demo.Campaign1Code}},
		{"campaign-d2", report.Request{Plan: demo.PlanCode, AsOf: "2022-07-08", Campaign: demo.Campaign2Code}},
		{"cau-giay", report.Request{Plan: demo.PlanCode, Unit: "HN-CG", AsOf: "2022-07-08"}},
		{"grassroots", report.Request{Plan: demo.PlanCode, Unit: grassrootsOf(t, st), AsOf: "2022-07-08"}},
		{"before-start", report.Request{Plan: demo.PlanCode, AsOf: "2021-12-15"}},
		{"year-end", report.Request{Plan: demo.PlanCode, AsOf: "2023-03-01"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := report.BuildDocument(ctx, st, c.req)
			if err != nil {
				t.Fatal(err)
			}
			var x, p bytes.Buffer
			if err := export.XLSX(&x, d); err != nil {
				t.Fatal(err)
			}
			if err := export.PDF(&p, d); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: XLSX %d bytes, PDF %d bytes; %s", c.name, x.Len(), p.Len(), strings.SplitN(d.Report.SummaryVI, "\n", 2)[0])
			if os.Getenv("CONGDOAN_EXPORT_OUT") != "" {
				os.WriteFile(filepath.Join(dir, c.name+".pdf"), p.Bytes(), 0o644)
				os.WriteFile(filepath.Join(dir, c.name+".xlsx"), x.Bytes(), 0o644)
			}
			f, err := excelize.OpenReader(&x)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := f.GetSheetList(); !slices.Equal(got, export.Sheets) {
				t.Errorf("sheets %v", got)
			}
			if !bytes.HasPrefix(p.Bytes(), []byte("%PDF-")) {
				t.Errorf("not a PDF")
			}
			if d.Report.SummaryVI == "" {
				t.Errorf("no summary")
			}
		})
	}
}

// grassrootsOf returns the code of a grassroots unit of the demo. It asks
// the store, not demo.Build: building the demo again took a tenth of the
// short suite's time in this package.
func grassrootsOf(t *testing.T, st *store.Store) string {
	ctx := context.Background()
	cg, err := st.Unit(ctx, "HN-CG")
	if err != nil {
		t.Fatal(err)
	}
	children, err := st.Children(ctx, cg.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range children {
		if u.Kind == domain.KindGrassroots {
			return u.Code
		}
	}
	t.Fatal("no grassroots unit under HN-CG")
	return ""
}

func checkXLSX(t *testing.T, b []byte, doc *report.Document) {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, export.Sheets) {
		t.Fatalf("sheets %v, want %v", got, export.Sheets)
	}
	raw := excelize.Options{RawCellValue: true}

	// Summary: the unions_founded line holds numbers 750, 306, 0.408.
	sum := export.SheetSummary
	row := 0
	for i, code := range engine.Codes {
		if code == domain.UnionsFounded {
			row = export.SummaryHeaderRow + 1 + i
		}
	}
	cellType := func(sheet, ref string) excelize.CellType {
		ct, err := f.GetCellType(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		return ct
	}
	value := func(sheet, ref string, opts ...excelize.Options) string {
		v, err := f.GetCellValue(sheet, ref, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	ref := func(col string, row int) string { return col + strconv.Itoa(row) }
	for _, c := range []struct{ col, want string }{
		{"A", "unions_founded"}, {"B", "Thành lập mới CĐCS"}, {"C", "750"}, {"D", "306"}, {"E", "0.408"}, {"F", "388"}, {"G", "Chậm tiến độ"},
	} {
		if got := value(sum, ref(c.col, row), raw); got != c.want {
			t.Errorf("%s!%s%d = %q, want %q", sum, c.col, row, got, c.want)
		}
	}
	for _, col := range []string{"C", "D", "E", "F"} {
		if ct := cellType(sum, ref(col, row)); ct != excelize.CellTypeUnset && ct != excelize.CellTypeNumber {
			t.Errorf("%s!%s%d is not a number (type %v)", sum, col, row, ct)
		}
	}
	// The percent is formatted as a percent.
	if got := value(sum, ref("E", row)); got != "40.80%" {
		t.Errorf("formatted percent %q, want 40.80%%", got)
	}
	admitted := export.SummaryHeaderRow + 1 + engine.Index(domain.MembersAdmitted)
	if got := value(sum, ref("D", admitted), raw); got != "24396" {
		t.Errorf("members admitted %q", got)
	}
	if got := value(sum, ref("D", admitted)); got != "24,396" {
		t.Errorf("members admitted shown as %q", got)
	}
	// The heading and the written summary are on the sheet.
	all := sheetText(t, f, sum)
	for _, want := range []string{"Liên đoàn Lao động thành phố Hà Nội", "Tính đến ngày 8/7/2022", "306/750 CĐCS", "Nhận xét"} {
		if !strings.Contains(all, want) {
			t.Errorf("summary sheet lacks %q", want)
		}
	}

	// Months: May 2022, 94 unions (share 0.3072), 8307 members (0.3405).
	months, err := f.GetRows(export.SheetMonths, raw)
	if err != nil {
		t.Fatal(err)
	}
	var may []string
	for _, r := range months {
		if len(r) > 0 && r[0] == "05/2022" {
			may = r
		}
	}
	ui, mi := engine.Index(domain.UnionsFounded), engine.Index(domain.MembersAdmitted)
	if may == nil || may[1+2*ui] != "94" || may[2+2*ui] != "0.3072" || may[1+2*mi] != "8307" || may[2+2*mi] != "0.3405" {
		t.Errorf("May row %v", may)
	}
	if len(months) != 2+7+1 {
		t.Errorf("months sheet has %d rows, want 2 header rows, 7 months and a total", len(months))
	}

	// Children, ranked by percent: the first is the best.
	kids, err := f.GetRows(export.SheetChildren, raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(kids) != 2+len(doc.Report.Children) {
		t.Fatalf("children sheet: %d rows for %d children", len(kids), len(doc.Report.Children))
	}
	prev := 2.0
	for _, r := range kids[2:] {
		p, err := strconv.ParseFloat(r[5], 64)
		if err != nil {
			t.Fatalf("percent %q of %v", r[5], r)
		}
		if p > prev {
			t.Errorf("not ranked: %v after %v", p, prev)
		}
		prev = p
	}
	if kids[2][0] != "1" || kids[2][1] != doc.Standings[0].Unit.Code {
		t.Errorf("first ranked %v", kids[2][:3])
	}

	// Campaigns: two campaigns of eight lines each, dates as dates.
	camps, err := f.GetRows(export.SheetCampaigns, raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(camps) != 1+2*8 || camps[1][0] != demo.Campaign1Code || camps[9][0] != demo.Campaign2Code {
		t.Errorf("campaigns sheet: %d rows, %v", len(camps), camps[1])
	}
	if got := value(export.SheetCampaigns, "C2"); got != "15/04/2022" {
		t.Errorf("campaign start shown as %q", got)
	}
	if ct := cellType(export.SheetCampaigns, "C2"); ct != excelize.CellTypeUnset && ct != excelize.CellTypeNumber && ct != excelize.CellTypeDate {
		t.Errorf("campaign start is not a date (type %v)", ct)
	}

	// Gaps: every enterprise, largest first, 25 workers or more.
	gaps, err := f.GetRows(export.SheetGaps, raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(gaps) != 1+len(doc.Gaps) {
		t.Fatalf("gap sheet: %d rows for %d enterprises", len(gaps), len(doc.Gaps))
	}
	last := int64(1 << 62)
	for _, r := range gaps[1:] {
		n, err := strconv.ParseInt(r[4], 10, 64)
		if err != nil || n < 25 || n > last {
			t.Errorf("gap row %v", r)
		}
		last = n
	}

	// Every sheet has frozen headers.
	for _, s := range export.Sheets {
		panes, err := f.GetPanes(s)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit == 0 {
			t.Errorf("%s: headers not frozen: %+v", s, panes)
		}
	}
}

func sheetText(t *testing.T, f *excelize.File, sheet string) string {
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "\t"))
		b.WriteByte('\n')
	}
	return b.String()
}

// checkLibreOffice converts every sheet to CSV with LibreOffice (raw
// values) and checks the figures.
func checkLibreOffice(t *testing.T, xlsxPath string) {
	if testing.Short() {
		t.Skip("-short: no LibreOffice (the full suite runs it)")
	}
	soffice := tool(t, "soffice", "libreoffice-calc")
	out := t.TempDir()
	profile := "file://" + filepath.Join(t.TempDir(), "lo-profile")
	// Field separator, quote, UTF-8, first line, no formats, language,
	// quoted as text, detect numbers, *raw values*, no formulas, keep
	// spaces, every sheet to its own file.
	filter := "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1"
	run(t, 3*time.Minute, soffice, "-env:UserInstallation="+profile, "--headless", "--convert-to", filter, "--outdir", out, xlsxPath)
	files, _ := filepath.Glob(filepath.Join(out, "*.csv"))
	if len(files) != len(export.Sheets) {
		t.Fatalf("LibreOffice wrote %v, want one CSV per sheet", files)
	}
	sheets := map[string][][]string{}
	for _, fn := range files {
		b, err := os.ReadFile(fn)
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(bytes.NewReader(b))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", fn, err)
		}
		for _, s := range export.Sheets {
			if strings.HasSuffix(fn, "-"+s+".csv") {
				sheets[s] = recs
			}
		}
	}
	find := func(sheet, first string) []string {
		for _, r := range sheets[sheet] {
			if len(r) > 0 && r[0] == first {
				return r
			}
		}
		t.Errorf("%s: no row %q", sheet, first)
		return make([]string, 20)
	}
	if r := find(export.SheetSummary, "unions_founded"); r[2] != "750" || r[3] != "306" || r[4] != "0.408" && r[4] != "40.8%" || r[6] != "Chậm tiến độ" {
		t.Errorf("summary via LibreOffice: %v", r)
	}
	if r := find(export.SheetSummary, "members_admitted"); r[3] != "24396" {
		t.Errorf("members admitted via LibreOffice: %v", r)
	}
	if r := find(export.SheetMonths, "05/2022"); !slices.Contains(r, "94") || !slices.Contains(r, "8307") {
		t.Errorf("May via LibreOffice: %v", r)
	}
	if r := find(export.SheetCampaigns, demo.Campaign1Code); r[1] != "Đợt cao điểm 1 năm 2022" {
		t.Errorf("campaign via LibreOffice: %v", r)
	}
	if n := len(sheets[export.SheetGaps]); n < 2 {
		t.Errorf("gap sheet via LibreOffice: %d rows", n)
	}
}

func checkPDFText(t *testing.T, pdfPath string) {
	pdftotext := tool(t, "pdftotext", "poppler-utils")
	text := string(run(t, time.Minute, pdftotext, "-enc", "UTF-8", pdfPath, "-"))
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{
		"306/750 — 40,8 %", "24.396/47.855 — 50,98 %", "24.396", "4.950/9.453",
		"Liên đoàn Lao động thành phố Hà Nội", "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI",
		"Tính đến ngày 8/7/2022, các cấp Công đoàn thuộc Liên đoàn Lao động thành phố Hà Nội đã thành lập mới 306/750 CĐCS",
		"Riêng trong tháng 5/2022", "30,72 %", "34,05 %",
		"Kỳ báo cáo:", "từ 01/01/2022 đến 08/07/2022",
		"Thành lập mới CĐCS", "Chậm tiến độ", "Đạt tiến độ",
		"XẾP HẠNG CÁC ĐƠN VỊ TRỰC THUỘC", "LĐLĐ quận Nam Từ Liêm", "Công đoàn các Khu công nghiệp và chế xuất Hà Nội",
		"CÁC ĐƠN VỊ TIÊU BIỂU", "1 Công đoàn các Khu công nghiệp và chế xuất Hà Nội 14 2.323", "Đợt cao điểm 1 năm 2022", "Đợt cao điểm 2 năm 2022",
		"DOANH NGHIỆP CHƯA CÓ CĐCS", "Giới thiệu đoàn viên ưu tú cho cấp ủy Đảng",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	if strings.ContainsRune(text, '\uFFFD') {
		t.Errorf("PDF text has replacement characters")
	}
}

func checkPDFPages(t *testing.T, pdfPath, prefix string) {
	pdftoppm := tool(t, "pdftoppm", "poppler-utils")
	for _, old := range must(filepath.Glob(prefix + "-*.png")) {
		os.Remove(old)
	}
	// -short renders at half the resolution: a quarter of the pixels, a
	// third of the time, and a page of text still far above the blank
	// threshold below.
	dpi := "80"
	if testing.Short() {
		dpi = "40"
	}
	run(t, 2*time.Minute, pdftoppm, "-r", dpi, "-png", pdfPath, prefix)
	pages := must(filepath.Glob(prefix + "-*.png"))
	if len(pages) < 3 || len(pages) > 8 {
		t.Fatalf("%d pages rendered: %v", len(pages), pages)
	}
	sizeRE := regexp.MustCompile(`Page size:\s+([\d.]+) x ([\d.]+) pts`)
	if info, err := exec.LookPath("pdfinfo"); err == nil {
		m := sizeRE.FindStringSubmatch(string(run(t, time.Minute, info, pdfPath)))
		if m == nil || m[1] != "595.28" || m[2] != "841.89" {
			t.Errorf("not A4: %v", m)
		}
	}
	for _, page := range pages {
		fh, err := os.Open(page)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(fh)
		fh.Close()
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		b := img.Bounds()
		dark := 0
		for y := b.Min.Y; y < b.Max.Y; y += 2 {
			for x := b.Min.X; x < b.Max.X; x += 2 {
				r, g, bl, _ := img.At(x, y).RGBA()
				if r+g+bl < 3*0x8000 {
					dark++
				}
			}
		}
		if dark < 200 {
			t.Errorf("%s looks blank (%d dark samples)", page, dark)
		}
	}
	t.Logf("pages: %s", strings.Join(pages, ", "))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprint(err))
	}
	return v
}

// bigDocument is a made-up document of an unusual shape: a three-year
// plan, 85 children (some without a target, one far beyond it), names in
// decomposed Unicode, with tabs, emoji and Chinese, and no campaign.
func bigDocument() *report.Document {
	start, asOf := domain.NewDate(2023, time.January, 1), domain.NewDate(2025, time.November, 20)
	end := domain.NewDate(2025, time.December, 31)
	ptr := func(v int64) *int64 { return &v }
	pf := func(v float64) *float64 { return &v }
	r := &engine.Report{
		Plan:   engine.Ref{Code: "VN-2023-2025", Name: "Chương trình phát triển đoàn viên giai đoạn 2023 - 2025", Start: start, End: end},
		Unit:   engine.Ref{Code: "VN", Name: "Tổng Liên đoàn Lao động Việt Nam"},
		AsOf:   asOf,
		Window: engine.Window{Start: start, End: asOf},
	}
	for i, code := range engine.Codes {
		target := int64(1_000_000 * (i + 1))
		actual := target * int64(60+i*5) / 100
		e := engine.Expected(target, start, end, asOf)
		st := engine.StatusOnTrack
		if float64(actual) < e {
			st = engine.StatusBehind
		}
		r.Indicators = append(r.Indicators, engine.Indicator{Code: code, Target: ptr(target), Actual: actual,
			Percent: pf(float64(actual*10000/target) / 100), Expected: pf(e), Status: &st, Assigned: ptr(target), Unassigned: ptr(0)})
	}
	for m := start; m <= asOf; m = m.MonthEnd() + 1 {
		month := engine.Month{Month: m.MonthKey()}
		for i, code := range engine.Codes {
			v := int64((int(m)%7 + 1) * 1000 * (i + 1))
			month.Indicators = append(month.Indicators, engine.MonthValue{Code: code, Actual: v, Share: pf(2.5)})
		}
		r.Months = append(r.Months, month)
	}
	decomposed := "Liên đoàn Lao động tỉnh Thừa Thiên Huế" // NFD below
	for i := range 85 {
		name := fmt.Sprintf("Liên đoàn Lao động tỉnh số %d", i+1)
		switch i {
		case 3:
			name = norm.NFD.String(decomposed)
		case 7:
			name = "Công đoàn ngành Nông nghiệp và Phát triển nông thôn Việt Nam, khu vực phía Bắc\t(thí điểm)"
		case 9:
			name = "Công đoàn 😀 Tổng công ty Hàng hải 中国"
		}
		c := engine.ChildReport{Unit: engine.Ref{Code: fmt.Sprintf("VN-%02d", i+1), Name: name}}
		for _, code := range engine.Codes {
			v := engine.ChildValue{Code: code, Actual: int64(i * 37 % 500)}
			if i%10 != 9 {
				v.Target = ptr(500)
				v.Percent = pf(float64(v.Actual*10000/500) / 100)
			}
			if i == 0 {
				v.Actual, v.Percent = 1400, pf(280)
			}
			c.Indicators = append(c.Indicators, v)
		}
		r.Children = append(r.Children, c)
	}
	r.SummaryVI = summary.Text(summary.Facts{Report: r})
	doc := &report.Document{Report: r, Threshold: 25, Standings: summary.Standings(r), Generated: time.Now()}
	for i := range 40 {
		doc.Gaps = append(doc.Gaps, store.GapEnterprise{Enterprise: domain.Enterprise{TaxCode: fmt.Sprintf("01%08d", i),
			Name: "Công ty TNHH 深圳 Điện tử Vĩnh Phúc " + strconv.Itoa(i), Ownership: "fdi", Employees: int64(5000 - i)}, UnitName: "LĐLĐ tỉnh Vĩnh Phúc"})
		doc.GapWorkers += int64(5000 - i)
	}
	return doc
}

// TestUnusualDocument: a document of an unusual shape still comes out,
// with its text intact.
func TestUnusualDocument(t *testing.T) {
	doc := bigDocument()
	dir := outDir(t)
	var x, p bytes.Buffer
	if err := export.XLSX(&x, doc); err != nil {
		t.Fatal(err)
	}
	if err := export.PDF(&p, doc); err != nil {
		t.Fatal(err)
	}
	pdfPath := filepath.Join(dir, "unusual.pdf")
	if err := os.WriteFile(pdfPath, p.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "unusual.xlsx"), x.Bytes(), 0o644)
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(export.SheetChildren)
	if len(rows) != 2+85 {
		t.Errorf("children sheet: %d rows", len(rows))
	}
	pdftotext := tool(t, "pdftotext", "poppler-utils")
	text := string(run(t, time.Minute, pdftotext, "-enc", "UTF-8", pdfPath, "-"))
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"Liên đoàn Lao động tỉnh Thừa Thiên Huế", "Tổng Liên đoàn Lao động Việt Nam", "1.000.000", "Liên đoàn Lao động tỉnh số 85"} {
		if !strings.Contains(flat, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	if os.Getenv("CONGDOAN_EXPORT_OUT") != "" {
		run(t, time.Minute, tool(t, "pdftoppm", "poppler-utils"), "-r", "60", "-png", pdfPath, filepath.Join(dir, "unusual"))
	}
}
