// Package export writes a progress report as the documents a federation
// sends up the line: an XLSX workbook (XLSX) and an A4 PDF (PDF), both in
// Vietnamese. They take a report.Document (report.BuildDocument), so the
// command line and the web application produce the same files.
package export

import (
	"fmt"
	"math"
	"strings"
	"time"

	"congdoan/internal/engine"
	"congdoan/internal/msg"
	"congdoan/internal/report"
	"congdoan/internal/vn"
)

// Document is what the exports write; see report.Document.
type Document = report.Document

// The documents' media types, for the web layer.
const (
	ContentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	ContentTypePDF  = "application/pdf"
)

// FileName suggests a file name for a document, in plain ASCII so that any
// browser or mail client keeps it: bao-cao_HN-2022_HN_2022-07-08.pdf, with
// the campaign's code after the plan's in a campaign report. ext is "xlsx"
// or "pdf".
func FileName(doc *Document, ext string) string {
	r := doc.Report
	parts := []string{"bao-cao", r.Plan.Code}
	if r.Campaign != nil {
		parts = append(parts, r.Campaign.Code)
	}
	parts = append(parts, r.Unit.Code, r.AsOf.String())
	name := strings.Map(func(c rune) rune {
		if c > 0x7F {
			// Vietnamese letters lose their marks: Đợt -> dot.
			if f := vn.Fold(string(c)); len(f) == 1 {
				return rune(f[0])
			}
		}
		return c
	}, strings.Join(parts, "_"))
	return SafeName(name) + "." + ext
}

// SafeName keeps the ASCII letters, digits, '-', '_' and '.' of s and turns
// every other character into '-', for a file name that any browser or mail
// client keeps as it is.
func SafeName(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
			b.WriteRune(c)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}

// generated is when the document was made (now, where it does not say).
func generated(doc *Document) time.Time {
	if doc.Generated.IsZero() {
		return time.Now()
	}
	return doc.Generated
}

// vnTime is t in Vietnam's time (UTC+7 all year).
func vnTime(t time.Time) time.Time {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		loc = time.FixedZone("ICT", 7*3600)
	}
	return t.In(loc)
}

// Title is the documents' title.
const Title = "BÁO CÁO TIẾN ĐỘ PHÁT TRIỂN ĐOÀN VIÊN, THÀNH LẬP CÔNG ĐOÀN CƠ SỞ"

// StatusVI names a pace status.
func StatusVI(s *string) string {
	if s == nil {
		return ""
	}
	switch *s {
	case engine.StatusBehind:
		return "Chậm tiến độ"
	case engine.StatusOnTrack:
		return "Đạt tiến độ"
	}
	return *s
}

// OwnershipVI names an enterprise's ownership in Vietnamese: the shared
// vocabulary of the msg catalogs, which the pages show too.
func OwnershipVI(o string) string {
	if !msg.Has("ownership." + o) {
		return o
	}
	return msg.New("ownership." + o).In(msg.VI)
}

// SourceVI names where an enterprise was found.
func SourceVI(s string) string {
	switch strings.ToLower(s) {
	case "bhxh":
		return "Bảo hiểm xã hội"
	case "tax":
		return "Cơ quan thuế"
	case "ward":
		return "UBND xã, phường"
	case "survey":
		return "Khảo sát"
	}
	return s
}

// period is "từ 01/01/2022 đến 08/07/2022".
func period(w engine.Window) string {
	if w.End < w.Start {
		return fmt.Sprintf("chưa bắt đầu (từ %s)", w.Start.VN())
	}
	return fmt.Sprintf("từ %s đến %s", w.Start.VN(), w.End.VN())
}

// ofPercent is "306/750 — 40,8 %", "306/750", or "306".
func ofPercent(actual int64, target *int64, pct *float64) string {
	s := vn.Int(actual)
	if target != nil {
		s += "/" + vn.Int(*target)
	}
	if pct != nil {
		s += " — " + vn.Percent(*pct)
	}
	return s
}

// fraction turns a percent with 2 decimals (40.8) into the fraction a
// spreadsheet's percent format expects (0.408), exactly.
func fraction(p float64) float64 {
	return float64(int64(math.Round(p*100))) / 10000
}

// monthLabel writes "2022-05" as "05/2022".
func monthLabel(key string) string {
	if y, m, ok := strings.Cut(key, "-"); ok {
		return m + "/" + y
	}
	return key
}
