package export

import (
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
)

func TestWrapAndText(t *testing.T) {
	f := fpdf.New("P", "mm", "A4", "")
	f.AddUTF8FontFromBytes(family, "", fontRegular)
	p := &pdfDoc{Fpdf: f}
	p.font("", 8)
	// "40,8 %" stays whole however narrow the cell.
	for _, w := range []float64{20, 30, 60} {
		lines := p.wrap(txt("24.396/47.855 — 50,98 %"), w)
		for _, l := range lines {
			if l == "%" || strings.HasPrefix(l, "%") {
				t.Errorf("width %v: %q", w, lines)
			}
		}
		if got := strings.Join(lines, " "); w >= 30 && got != txt("24.396/47.855 — 50,98 %") {
			t.Errorf("width %v: %q", w, lines)
		}
	}
	// Explicit line feeds, a word wider than the cell, a cell narrower
	// than one letter: no loop, nothing lost.
	if got := p.wrap("Đợt 1\n15/04/2022", 40); len(got) != 2 {
		t.Errorf("line feed: %q", got)
	}
	long := strings.Repeat("Đ", 60)
	if got := p.wrap(long, 20); len(got) < 3 || strings.Join(got, "") != long {
		t.Errorf("long word: %q", got)
	}
	if got := p.wrap("ĐĐ", 0.1); strings.Join(got, "") != "ĐĐ" {
		t.Errorf("narrow: %q", got)
	}
	// Text for the PDF: composed, no control characters, nothing past U+FFFF.
	if got := txt("Hue\u0302\u0301\tA😀"); got != "Huế A\uFFFD" {
		t.Errorf("t: %q", got)
	}
}

func TestFileName(t *testing.T) {
	doc := &Document{Report: &engine.Report{Plan: engine.Ref{Code: "VN-2023-2025"}, Unit: engine.Ref{Code: "VN"},
		AsOf: domain.NewDate(2025, time.November, 20)}}
	if got := FileName(doc, "pdf"); got != "bao-cao_VN-2023-2025_VN_2025-11-20.pdf" {
		t.Errorf("file name %q", got)
	}
	doc.Report.Campaign = &engine.Ref{Code: "Đợt 1/2025"}
	if got := FileName(doc, "xlsx"); got != "bao-cao_VN-2023-2025_dot-1-2025_VN_2025-11-20.xlsx" {
		t.Errorf("file name %q", got)
	}
}
