package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"congdoan/internal/demo"
	"congdoan/internal/export"
	"congdoan/internal/storetest"
)

// demoDB is a SQLite file holding the Hanoi 2022 demo data: a copy of
// one loaded once per test run.
func demoDB(t *testing.T) string {
	t.Helper()
	return storetest.FilledFile(t, "demo", demo.Load)
}

// TestReportFormats: `congdoan report --format xlsx|pdf -o FILE` writes
// the documents of the demo report, and says what it wrote.
func TestReportFormats(t *testing.T) {
	db := demoDB(t)
	dir := t.TempDir()
	args := []string{"report", "--plan", demo.PlanCode, "--as-of", "08/07/2022"}

	xlsx := filepath.Join(dir, "báo cáo.xlsx")
	start := time.Now()
	code, out, errs := cli(t, db, "", append(args, "--format", "xlsx", "-o", xlsx)...)
	if code != 0 {
		t.Fatalf("xlsx: exit %d: %s", code, errs)
	}
	tookX := time.Since(start)
	if !strings.Contains(out, xlsx) || !strings.Contains(out, "XLSX") {
		t.Errorf("xlsx: stdout %q", out)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(export.Sheets, "|") {
		t.Errorf("sheets %v", got)
	}
	rows, err := f.GetRows(export.SheetSummary, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if len(r) > 4 && r[0] == "unions_founded" {
			found = r[2] == "750" && r[3] == "306" && r[4] == "0.408"
		}
	}
	if !found {
		t.Errorf("no unions_founded line 750, 306, 0.408 in %v", rows)
	}

	pdf := filepath.Join(dir, "report.pdf")
	start = time.Now()
	if code, out, errs := cli(t, db, "", append(args, "--format", "pdf", "-o", pdf)...); code != 0 || !strings.Contains(out, "PDF") {
		t.Fatalf("pdf: exit %d: %s %s", code, out, errs)
	}
	tookP := time.Since(start)
	b, err := os.ReadFile(pdf)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("pdf file: %v %.20q", err, b)
	}
	xi, _ := os.Stat(xlsx)
	t.Logf("demo report by the command (build, open, compute, write): XLSX %d bytes in %v, PDF %d bytes in %v",
		xi.Size(), tookX.Round(time.Millisecond), len(b), tookP.Round(time.Millisecond))
	if p, err := exec.LookPath("pdftotext"); err == nil {
		txt, err := exec.Command(p, "-enc", "UTF-8", pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		flat := strings.Join(strings.Fields(string(txt)), " ")
		for _, want := range []string{"306/750 — 40,8 %", "24.396", "Liên đoàn Lao động thành phố Hà Nội", "Tính đến ngày 8/7/2022"} {
			if !strings.Contains(flat, want) {
				t.Errorf("PDF text lacks %q", want)
			}
		}
	} else if os.Getenv("CI") == "true" {
		t.Error("pdftotext is missing: CI must install poppler-utils")
	}

	// -o - writes the document to standard output.
	code, out, errs = cli(t, db, "", append(args, "--format", "pdf", "-o", "-", "--campaign", demo.Campaign1Code)...)
	if code != 0 || !strings.HasPrefix(out, "%PDF-") {
		t.Errorf("-o -: exit %d, %.20q %s", code, out, errs)
	}

	// The JSON report carries the written summary.
	code, out, errs = cli(t, db, "", args...)
	var r struct {
		SummaryVI string `json:"summary_vi"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || !strings.HasPrefix(r.SummaryVI, "Tính đến ngày 8/7/2022, các cấp Công đoàn thuộc Liên đoàn Lao động thành phố Hà Nội đã thành lập mới 306/750 CĐCS") {
		t.Errorf("json summary_vi: exit %d %s %q", code, errs, r.SummaryVI)
	}
}

// TestReportFormatErrors: wrong format arguments exit 1 with a message
// and leave no file behind.
func TestReportFormatErrors(t *testing.T) {
	db := smallDB(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "r.xlsx")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"report", "--plan", "HN-2022", "--format", "xlsx"}, "--format xlsx ghi ra tệp: hãy chỉ tệp bằng -o FILE"},
		{[]string{"report", "--plan", "HN-2022", "--format", "pdf"}, "--format pdf ghi ra tệp: hãy chỉ tệp bằng -o FILE"},
		{[]string{"report", "--plan", "HN-2022", "--format", "docx", "-o", out}, `--format "docx": chọn json, xlsx hoặc pdf`},
		{[]string{"report", "--plan", "NOPE", "--format", "xlsx", "-o", out}, `không tìm thấy kế hoạch "NOPE"`},
		{[]string{"report", "--plan", "HN-2022", "--unit", "NOPE", "--format", "pdf", "-o", out}, `không tìm thấy đơn vị "NOPE"`},
		{[]string{"report", "--plan", "HN-2022", "--format", "pdf", "-o", filepath.Join(dir, "no", "such", "dir", "r.pdf")}, "-o " + filepath.Join(dir, "no", "such", "dir", "r.pdf")},
	}
	for _, c := range cases {
		code, _, errs := cli(t, db, "", c.args...)
		if code != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 and %q", c.args, code, errs, c.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
	// The small federation gives documents as well.
	for _, format := range []string{"xlsx", "pdf"} {
		p := filepath.Join(dir, "small."+format)
		if code, _, errs := cli(t, db, "", "report", "--plan", "HN-2022", "--as-of", "2022-07-08", "--format", format, "-o", p); code != 0 {
			t.Errorf("%s: %s", format, errs)
		}
		if fi, err := os.Stat(p); err != nil || fi.Size() < 1000 {
			t.Errorf("%s: %v", p, err)
		}
	}
}
