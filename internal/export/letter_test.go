package export_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"congdoan/internal/demo"
	"congdoan/internal/domain"
	"congdoan/internal/export"
	"congdoan/internal/report"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// demoDocument is the Hanoi 2022 report of the demo data on 8 July 2022.
func demoDocument(t *testing.T) *report.Document {
	t.Helper()
	ctx := context.Background()
	st := storetest.Filled(t, store.SQLite, "demo", demo.Load)
	doc, err := report.BuildDocument(ctx, st, report.Request{Plan: demo.PlanCode, AsOf: "2022-07-08"})
	if err != nil {
		t.Fatal(err)
	}
	doc.Generated = time.Date(2022, 7, 9, 3, 0, 0, 0, time.UTC)
	return doc
}

// pdfText writes doc as a PDF and reads it back with pdftotext, its words
// joined by single spaces.
func pdfText(t *testing.T, doc *report.Document, name string) (string, string) {
	t.Helper()
	pdftotext := tool(t, "pdftotext", "poppler-utils")
	var b bytes.Buffer
	if err := export.PDF(&b, doc); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(outDir(t), name)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	text := string(run(t, time.Minute, pdftotext, "-enc", "UTF-8", path, "-"))
	return strings.Join(strings.Fields(text), " "), path
}

// TestPDFLetterhead: the PDF is laid out as an official report, with the
// letterhead, the number, the place and date, the recipients and the
// signer given, and sensible defaults where nothing is given.
func TestPDFLetterhead(t *testing.T) {
	doc := demoDocument(t)
	doc.Letter = report.Letter{Number: "15/BC-LĐLĐ", Place: "Hà Nội", Date: domain.NewDate(2022, 7, 9),
		Recipients:  []string{"Tổng Liên đoàn Lao động Việt Nam", "Thường trực Thành ủy Hà Nội", "Lưu: VT, ToC"},
		SignerTitle: "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH", Signer: "Nguyễn Phi Thường"}
	flat, path := pdfText(t, doc, "letterhead.pdf")
	for _, want := range []string{
		"TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM", "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"Số: 15/BC-LĐLĐ", "Hà Nội, ngày 09 tháng 7 năm 2022", "BÁO CÁO",
		"Nơi nhận:", "- Tổng Liên đoàn Lao động Việt Nam;", "- Thường trực Thành ủy Hà Nội;", "- Lưu: VT, ToC.",
		"TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Nguyễn Phi Thường",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	// The signature comes last, after the body.
	if strings.LastIndex(flat, "Nguyễn Phi Thường") < strings.Index(flat, "DOANH NGHIỆP CHƯA CÓ CĐCS") {
		t.Error("the signer is not after the body")
	}
	// The signature never stands alone on the last page: the list
	// before it gives way a few enterprises instead.
	last := string(run(t, time.Minute, tool(t, "pdfinfo", "poppler-utils"), path))
	pages := strings.TrimSpace(last[strings.Index(last, "Pages:")+len("Pages:"):])
	pages = strings.Fields(pages)[0]
	lastText := string(run(t, time.Minute, tool(t, "pdftotext", "poppler-utils"), "-enc", "UTF-8", "-f", pages, "-l", pages, path, "-"))
	if !strings.Contains(lastText, "Nơi nhận:") || !strings.Contains(lastText, "Công ty") {
		t.Errorf("the last page (%s) holds the signature without the body:\n%s", pages, lastText)
	}
	if os.Getenv("CONGDOAN_EXPORT_OUT") != "" {
		run(t, time.Minute, tool(t, "pdftoppm", "poppler-utils"), "-r", "80", "-png", path, strings.TrimSuffix(path, ".pdf"))
	}

	// Nothing given: the number left blank to write in, the place from
	// the unit's name, the date the document's, the chair signing.
	doc.Letter = report.Letter{}
	flat, _ = pdfText(t, doc, "letterhead-default.pdf")
	for _, want := range []string{"Số: …/BC-LĐLĐ", "Hà Nội, ngày 09 tháng 7 năm 2022",
		"- Tổng Liên đoàn Lao động Việt Nam (để báo cáo);", "- Lưu: VT.", "TM. BAN THƯỜNG VỤ CHỦ TỊCH"} {
		if !strings.Contains(flat, want) {
			t.Errorf("default letter: PDF text lacks %q", want)
		}
	}
}
