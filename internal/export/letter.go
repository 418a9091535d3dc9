package export

import (
	"fmt"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/report"
)

// Letter is what a report's letterhead and signature block say.
type Letter = report.Letter

// TopBody heads the letterhead of a unit with no parent.
const TopBody = "Tổng Liên đoàn Lao động Việt Nam"

// DefaultLetter is the letter of a document where nobody said otherwise:
// the web form starts from it and the PDF fills the empty fields of
// doc.Letter from it. The number is left blank for the office to write
// in ("…/BC-LĐLĐ"), the place is the province or city named in the
// unit's (or its upper body's) name, the date the document's, the report
// goes to the body above and the archive, and the chair signs for the
// standing committee (a grassroots union: its executive committee).
func DefaultLetter(doc *Document) Letter {
	return DefaultLetterFor(doc.Report.Unit.Name, doc.Upper, doc.UnitKind, domain.DateOf(vnTime(generated(doc))))
}

// DefaultLetterFor is DefaultLetter of a unit (its name, the name of the
// body above it, "" for a root, its kind) on a day, without the document:
// what the web form starts from.
func DefaultLetterFor(unitName, upper, kind string, day domain.Date) Letter {
	if upper == "" {
		upper = TopBody
	}
	l := Letter{
		Number:      "…/BC-" + numberSuffix(kind),
		Place:       placeOf(unitName, upper),
		Date:        day,
		Recipients:  []string{upper + " (để báo cáo)", "Lưu: VT"},
		SignerTitle: "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH",
	}
	if kind == domain.KindGrassroots {
		l.SignerTitle = "TM. BAN CHẤP HÀNH\nCHỦ TỊCH"
	}
	return l
}

// letterOf is doc.Letter with its empty fields taken from DefaultLetter.
func letterOf(doc *Document) Letter {
	l, d := doc.Letter, DefaultLetter(doc)
	if strings.TrimSpace(l.Number) == "" {
		l.Number = d.Number
	}
	if strings.TrimSpace(l.Place) == "" {
		l.Place = d.Place
	}
	if l.Date.IsZero() {
		l.Date = d.Date
	}
	if len(l.Recipients) == 0 {
		l.Recipients = d.Recipients
	}
	if strings.TrimSpace(l.SignerTitle) == "" {
		l.SignerTitle = d.SignerTitle
	}
	return l
}

// upperBody is the body above the unit, as the letterhead's first line.
func upperBody(doc *Document) string {
	if doc.Upper != "" {
		return doc.Upper
	}
	return TopBody
}

// numberSuffix is the issuer's abbreviation after "BC-" in a report's
// number.
func numberSuffix(kind string) string {
	switch kind {
	case domain.KindFederation:
		return "LĐLĐ"
	case domain.KindGrassroots:
		return "CĐCS"
	}
	return "CĐ"
}

// placeOf finds the province or city in a unit's name ("Liên đoàn Lao
// động thành phố Hà Nội" -> "Hà Nội"), else in the upper body's; "" when
// neither names one (the PDF then leaves dots to fill in).
func placeOf(names ...string) string {
	for _, n := range names {
		for _, p := range []string{"thành phố ", "Thành phố ", "tỉnh ", "Tỉnh ", "TP. ", "TP "} {
			if _, after, ok := strings.Cut(n, p); ok && after != "" {
				return strings.TrimSpace(after)
			}
		}
	}
	return ""
}

// DateLine is the place and date of a letter as official documents write
// them: "Hà Nội, ngày 08 tháng 7 năm 2022" (days below 10 and the months 1
// and 2 with a leading zero).
func DateLine(place string, d domain.Date) string {
	y, m, day := d.Parts()
	month := fmt.Sprint(int(m))
	if m <= 2 {
		month = fmt.Sprintf("%02d", int(m))
	}
	if place == "" {
		place = "……"
	}
	return fmt.Sprintf("%s, ngày %02d tháng %s năm %d", place, day, month, y)
}
