package export

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"
	"golang.org/x/text/unicode/norm"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/summary"
	"congdoan/internal/vn"
)

// DejaVu Sans covers every Vietnamese letter; its licence is
// fonts/LICENSE. The PDF embeds only the glyphs it uses.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
	//go:embed fonts/DejaVuSans-Oblique.ttf
	fontItalic []byte
)

// GapsInPDF is how many of the enterprises without a union the PDF lists
// (the workbook lists them all).
const GapsInPDF = 15

type rgb [3]int

var (
	colInk     = rgb{33, 37, 41}
	colMuted   = rgb{110, 117, 125}
	colPrimary = rgb{31, 56, 100}
	colBar     = rgb{47, 84, 150}
	colPeak    = rgb{237, 125, 49}
	colOK      = rgb{56, 142, 60}
	colBehind  = rgb{198, 40, 40}
	colGrid    = rgb{222, 226, 230}
	colZebra   = rgb{242, 246, 252}
	colBox     = rgb{234, 240, 250}
	colNoData  = rgb{189, 189, 189}
)

const (
	pageW, pageH = 210.0, 297.0
	margin       = 15.0
	bottom       = 18.0 // bottom margin: the footer lives in it
	contentW     = pageW - 2*margin
	family       = "DejaVu"
	// keepTogether is the height (mm) up to which a table is not split
	// over two pages.
	keepTogether = 100.0
)

// pdfDoc is a PDF being written.
type pdfDoc struct {
	*fpdf.Fpdf
	doc      *Document
	letter   Letter // the letterhead's and signature's fields, defaults filled
	sections int    // sections written so far, for their numbers
}

// PDF writes the document as an A4 report: heading, the written summary,
// the indicators ("306/750 — 40,8 %") with their pace, a bar chart by
// month, the children ranked by percent of target, the exemplary units,
// the campaigns and the largest enterprises without a union. Text is in
// Vietnamese in an embedded DejaVu Sans.
func PDF(w io.Writer, doc *Document) (err error) {
	if doc == nil || doc.Report == nil {
		return errors.New("export: no report to write")
	}
	// fpdf reports most problems through Error(), but a bad font or an
	// odd input could still panic inside it: a document is not worth a crash.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("export: PDF: %v", p)
		}
	}()
	f := fpdf.New("P", "mm", "A4", "")
	p := &pdfDoc{Fpdf: f, doc: doc, letter: letterOf(doc)}
	f.AddUTF8FontFromBytes(family, "", fontRegular)
	f.AddUTF8FontFromBytes(family, "B", fontBold)
	f.AddUTF8FontFromBytes(family, "I", fontItalic)
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, bottom)
	f.AliasNbPages("{nb}")
	r := doc.Report
	f.SetTitle(Title+" — "+r.Unit.Name, true)
	f.SetSubject(fmt.Sprintf("%s; số liệu tính đến ngày %s", r.Plan.Name, r.AsOf.VN()), true)
	f.SetAuthor(r.Unit.Name, true)
	f.SetCreator("Congdoan", true)
	f.SetLang("vi-VN")
	if !doc.Generated.IsZero() {
		f.SetCreationDate(doc.Generated)
	}
	f.SetFooterFunc(p.footer)
	f.AddPage()

	p.heading()
	p.indicatorsSection()
	p.summarySection()
	p.monthsSection()
	p.childrenSection()
	p.exemplarySection()
	p.campaignsSection()
	p.organisingSection()
	p.gapsSection()
	p.signature()
	if err := f.Error(); err != nil {
		return fmt.Errorf("export: PDF: %w", err)
	}
	return f.Output(w)
}

// txt prepares text for the PDF: composed Unicode (a name imported in
// decomposed form would otherwise print its tone marks apart), no control
// characters, nothing beyond U+FFFF, where fpdf's width tables end, and a
// no-break space before "%", so that "40,8 %" never breaks.
func txt(s string) string {
	s = strings.ReplaceAll(s, " %", "\u00A0%")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r > 0xFFFF:
			return '\uFFFD'
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, norm.NFC.String(s))
}

func (p *pdfDoc) font(style string, size float64) { p.SetFont(family, style, size) }
func (p *pdfDoc) ink(c rgb)                       { p.SetTextColor(c[0], c[1], c[2]) }
func (p *pdfDoc) fill(c rgb)                      { p.SetFillColor(c[0], c[1], c[2]) }
func (p *pdfDoc) draw(c rgb)                      { p.SetDrawColor(c[0], c[1], c[2]) }

// room starts a new page unless h millimetres are left on this one.
func (p *pdfDoc) room(h float64) {
	if p.GetY()+h > pageH-bottom {
		p.AddPage()
	}
}

// wrap splits s into the lines of a cell w millimetres wide in the current
// font, at spaces only (not at no-break spaces) and at line feeds; a word
// wider than the cell is cut.
func (p *pdfDoc) wrap(s string, w float64) []string {
	w -= 2 * p.GetCellMargin()
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Split(para, " ") {
			if word == "" {
				continue
			}
			for rs := []rune(word); len(rs) > 1 && p.GetStringWidth(word) > w; rs = []rune(word) {
				n := len(rs) - 1
				for n > 1 && p.GetStringWidth(string(rs[:n])) > w {
					n--
				}
				if line != "" {
					out, line = append(out, line), ""
				}
				out = append(out, string(rs[:n]))
				word = string(rs[n:])
			}
			switch {
			case line == "":
				line = word
			case p.GetStringWidth(line+" "+word) > w:
				out, line = append(out, line), word
			default:
				line += " " + word
			}
		}
		out = append(out, line)
	}
	return out
}

// fit shortens s with "…" to fit w millimetres in the current font.
func (p *pdfDoc) fit(s string, w float64) string {
	if p.GetStringWidth(s) <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 && p.GetStringWidth(string(rs)+"…") > w {
		rs = rs[:len(rs)-1]
	}
	return strings.TrimSpace(string(rs)) + "…"
}

func (p *pdfDoc) footer() {
	r := p.doc.Report
	p.SetY(-13)
	p.draw(colGrid)
	p.SetLineWidth(0.2)
	p.Line(margin, p.GetY(), pageW-margin, p.GetY())
	p.font("", 7)
	p.ink(colMuted)
	left := txt(fmt.Sprintf("Congdoan · %s · %s · số liệu tính đến ngày %s", r.Unit.Name, r.Plan.Code, r.AsOf.VN()))
	p.CellFormat(contentW-30, 6, p.fit(left, contentW-32), "", 0, "L", false, 0, "")
	p.CellFormat(30, 6, fmt.Sprintf("Trang %d/{nb}", p.PageNo()), "", 0, "R", false, 0, "")
}

func (p *pdfDoc) heading() {
	r := p.doc.Report
	p.letterhead()

	p.ink(colPrimary)
	p.font("B", 16)
	p.CellFormat(0, 8, "BÁO CÁO", "", 1, "C", false, 0, "")
	p.font("B", 11.5)
	p.MultiCell(0, 6, txt("Tiến độ phát triển đoàn viên, thành lập Công đoàn cơ sở"), "", "C", false)
	p.font("", 10)
	p.ink(colInk)
	p.MultiCell(0, 5, txt(fmt.Sprintf("%s (%s)", r.Plan.Name, r.Plan.Code)), "", "C", false)
	if c := r.Campaign; c != nil {
		p.font("B", 10)
		p.MultiCell(0, 5, txt(fmt.Sprintf("%s, từ %s đến %s", c.Name, c.Start.VN(), c.End.VN())), "", "C", false)
	}
	p.Ln(3)

	lines := [][2]string{
		{"Đơn vị:", fmt.Sprintf("%s (%s)", r.Unit.Name, r.Unit.Code)},
		{"Kỳ báo cáo:", fmt.Sprintf("%s (kế hoạch từ %s đến %s)", period(r.Window), r.Plan.Start.VN(), r.Plan.End.VN())},
		{"Số liệu tính đến:", "ngày " + r.AsOf.VN()},
	}
	if r.Campaign == nil {
		el, days := summary.Elapsed(r)
		if days > 0 {
			lines = append(lines, [2]string{"Tiến độ thời gian:", fmt.Sprintf("%s/%s ngày của kế hoạch (%s)",
				vn.Int(el), vn.Int(days), vn.Percent(float64(roundHalf(el*10000, days))/100))})
		}
	}
	h := float64(len(lines))*5.2 + 4
	y := p.GetY()
	p.fill(colBox)
	p.draw(colBox)
	p.RoundedRect(margin, y, contentW, h, 2, "1234", "F")
	p.SetY(y + 2)
	for _, l := range lines {
		p.SetX(margin + 4)
		p.font("B", 9)
		p.CellFormat(34, 5.2, txt(l[0]), "", 0, "L", false, 0, "")
		p.font("", 9)
		p.CellFormat(contentW-42, 5.2, p.fit(txt(l[1]), contentW-42), "", 1, "L", false, 0, "")
	}
	p.SetY(y + h + 4)
}

// roundHalf is num/den rounded half away from zero (non-negative input).
func roundHalf(num, den int64) int64 {
	if den == 0 {
		return 0
	}
	return (2*num + den) / (2 * den)
}

// section writes the next numbered section title, keeping need
// millimetres of room below it on the same page.
func (p *pdfDoc) section(title string, need float64) {
	p.sections++
	n := p.sections
	p.room(12 + need)
	p.Ln(2)
	p.font("B", 11)
	p.ink(colPrimary)
	p.CellFormat(0, 7, txt(fmt.Sprintf("%s. %s", roman(n), title)), "", 1, "L", false, 0, "")
	y := p.GetY()
	p.draw(colPrimary)
	p.SetLineWidth(0.4)
	p.Line(margin, y, margin+contentW, y)
	p.SetY(y + 2.5)
	p.ink(colInk)
}

func roman(n int) string {
	rs := []string{"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}
	if n > 0 && n < len(rs) {
		return rs[n]
	}
	return fmt.Sprint(n)
}

// para writes a justified paragraph.
func (p *pdfDoc) para(text string, size float64) {
	p.font("", size)
	p.ink(colInk)
	p.MultiCell(0, size*0.5, txt(text), "", "J", false)
	p.Ln(1.5)
}

// note writes a small grey line.
func (p *pdfDoc) note(text string) {
	p.font("", 7.5)
	p.ink(colMuted)
	p.MultiCell(0, 3.8, txt(text), "", "L", false)
	p.ink(colInk)
}

func (p *pdfDoc) summarySection() {
	p.section("TÓM TẮT KẾT QUẢ", 20)
	for _, para := range summary.Paragraphs(p.doc.Report.SummaryVI) {
		p.para(para, 9.5)
	}
}

// column of a table.
type column struct {
	w     float64
	align string
}

// tcell is a table cell.
type tcell struct {
	text  string
	bold  bool
	color *rgb
}

func tc(s string) tcell { return tcell{text: s} }

// table draws a table with wrapped cells; the header is repeated on every
// page the table runs over.
// The table's font size, line height and cell padding (mm).
const tableSize, tableLineH, tablePad = 8.0, 3.9, 1.3

// tableRow lays a row of a table out: each cell's lines and the row's
// height.
func (p *pdfDoc) tableRow(cols []column, cells []tcell, bold bool) ([][]string, float64) {
	out := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		style := ""
		if c.bold || bold {
			style = "B"
		}
		p.font(style, tableSize)
		out[i] = p.wrap(txt(c.text), cols[i].w)
		n = max(n, len(out[i]))
	}
	return out, float64(n)*tableLineH + 2*tablePad
}

// tableHeight is the height of a table drawn on one page.
func (p *pdfDoc) tableHeight(cols []column, header []string, rows [][]tcell) float64 {
	var hc []tcell
	for _, h := range header {
		hc = append(hc, tc(h))
	}
	_, h := p.tableRow(cols, hc, true)
	for _, r := range rows {
		_, rh := p.tableRow(cols, r, false)
		h += rh
	}
	return h
}

func (p *pdfDoc) table(cols []column, header []string, rows [][]tcell) {
	const size, lineH, pad = tableSize, tableLineH, tablePad
	layout := func(cells []tcell, bold bool) ([][]string, float64) { return p.tableRow(cols, cells, bold) }
	var hc []tcell
	for _, h := range header {
		hc = append(hc, tc(h))
	}
	var draw func(cells []tcell, isHeader, zebra bool)
	draw = func(cells []tcell, isHeader, zebra bool) {
		ls, h := layout(cells, isHeader)
		if p.GetY()+h > pageH-bottom {
			p.AddPage()
			if !isHeader && hc != nil {
				draw(hc, true, false)
			}
		}
		x, y := margin, p.GetY()
		p.draw(colGrid)
		p.SetLineWidth(0.2)
		for i, c := range cells {
			switch {
			case isHeader:
				p.fill(colBar)
				p.Rect(x, y, cols[i].w, h, "FD")
				p.ink(rgb{255, 255, 255})
			case zebra:
				p.fill(colZebra)
				p.Rect(x, y, cols[i].w, h, "FD")
				p.ink(colInk)
			default:
				p.Rect(x, y, cols[i].w, h, "D")
				p.ink(colInk)
			}
			if c.color != nil {
				p.ink(*c.color)
			}
			style := ""
			if c.bold || isHeader {
				style = "B"
			}
			p.font(style, size)
			align := cols[i].align
			if isHeader {
				align = "C"
			}
			top := y + (h-float64(len(ls[i]))*lineH)/2
			for j, l := range ls[i] {
				p.SetXY(x, top+float64(j)*lineH)
				p.CellFormat(cols[i].w, lineH, l, "", 0, align, false, 0, "")
			}
			x += cols[i].w
		}
		p.SetXY(margin, y+h)
		p.ink(colInk)
	}
	if hc != nil {
		_, h := layout(hc, true)
		total, first := h, 0.0
		for i, r := range rows {
			_, rh := layout(r, false)
			if i == 0 {
				first = rh
			}
			total += rh
		}
		// A short table is kept on one page; a long one starts where at
		// least its header and first row fit.
		if total <= keepTogether {
			p.room(total)
		} else {
			p.room(h + first)
		}
		draw(hc, true, false)
	}
	for i, r := range rows {
		draw(r, false, i%2 == 1)
	}
}

func statusCell(s *string) tcell {
	c := tc(StatusVI(s))
	switch {
	case s == nil:
		c.text = "—"
		c.color = &colMuted
	case *s == engine.StatusBehind:
		c.color, c.bold = &colBehind, true
	default:
		c.color, c.bold = &colOK, true
	}
	return c
}

func (p *pdfDoc) indicatorsSection() {
	r := p.doc.Report
	th := p.doc.Threshold
	if r.Campaign != nil {
		p.section("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU TRONG ĐỢT", 30)
		cols := []column{{9, "C"}, {101, "L"}, {70, "C"}}
		var rows [][]tcell
		for i, in := range r.Indicators {
			rows = append(rows, []tcell{tc(fmt.Sprint(i + 1)), tc(summary.Title(in.Code, th)), {text: ofPercent(in.Actual, in.Target, in.Percent), bold: true}})
		}
		p.table(cols, []string{"STT", "Chỉ tiêu", "Kết quả trong đợt/Chỉ tiêu kế hoạch — Tỷ lệ"}, rows)
		p.Ln(1)
		p.note("Tỷ lệ: kết quả trong đợt so với chỉ tiêu của cả kế hoạch.")
		return
	}
	p.section("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", 30)
	cols := []column{{9, "C"}, {72, "L"}, {47, "C"}, {26, "R"}, {26, "C"}}
	var rows [][]tcell
	for i, in := range r.Indicators {
		exp := "—"
		if in.Expected != nil {
			exp = vn.Count(*in.Expected)
		}
		rows = append(rows, []tcell{tc(fmt.Sprint(i + 1)), tc(summary.Title(in.Code, th)),
			{text: ofPercent(in.Actual, in.Target, in.Percent), bold: true}, tc(exp), statusCell(in.Status)})
	}
	p.table(cols, []string{"STT", "Chỉ tiêu", "Thực hiện/Kế hoạch — Tỷ lệ", "Cần đạt theo tiến độ", "Đánh giá"}, rows)
	p.Ln(1)
	p.note("Cần đạt theo tiến độ = chỉ tiêu × số ngày đã qua / số ngày của kế hoạch; chậm tiến độ khi thực hiện thấp hơn mức cần đạt.")
}

// bar is one column of a column chart.
type bar struct {
	label, sub string
	v          int64
	highlight  bool
}

// niceMax rounds v up to a round axis maximum with 4 steps.
func niceMax(v float64) (top, step float64) {
	if v <= 0 {
		return 4, 1
	}
	raw := v / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	if step < 1 {
		step = 1
	}
	return step * 4, step
}

// columnChart draws a titled column chart of height h (plot area).
func (p *pdfDoc) columnChart(title string, bars []bar, h float64) {
	p.room(h + 24)
	p.font("B", 9)
	p.ink(colInk)
	p.CellFormat(0, 6, txt(title), "", 1, "L", false, 0, "")
	axisW := 14.0
	x0, y0 := margin+axisW, p.GetY()+4 // top of the plot area
	w := contentW - axisW
	var mx int64
	for _, b := range bars {
		mx = max(mx, b.v)
	}
	top, step := niceMax(float64(mx))
	p.SetLineWidth(0.15)
	p.font("", 6.5)
	for v := 0.0; v <= top+step/2; v += step {
		y := y0 + h - v/top*h
		p.draw(colGrid)
		p.Line(x0, y, x0+w, y)
		p.ink(colMuted)
		p.SetXY(margin, y-2)
		p.CellFormat(axisW-1.5, 4, vn.Int(int64(v)), "", 0, "R", false, 0, "")
	}
	if len(bars) == 0 {
		p.SetY(y0 + h + 4)
		return
	}
	slot := w / float64(len(bars))
	bw := math.Min(slot*0.62, 16)
	small := slot < 9
	for i, b := range bars {
		bh := float64(b.v) / top * h
		x := x0 + slot*float64(i) + (slot-bw)/2
		c := colBar
		if b.highlight {
			c = colPeak
		}
		p.fill(c)
		if bh > 0 {
			p.Rect(x, y0+h-bh, bw, bh, "F")
		}
		p.font("B", 6.8)
		p.ink(colInk)
		if !small || b.highlight {
			p.SetXY(x0+slot*float64(i), y0+h-bh-4)
			p.CellFormat(slot, 3.6, vn.Int(b.v), "", 0, "C", false, 0, "")
		}
		p.font("", 6.8)
		p.SetXY(x0+slot*float64(i), y0+h+0.8)
		label := b.label
		if small {
			label = strings.SplitN(label, "/", 2)[0]
		}
		p.CellFormat(slot, 3.4, txt(label), "", 0, "C", false, 0, "")
		if b.sub != "" && !small {
			p.font("", 6)
			p.ink(colMuted)
			p.SetXY(x0+slot*float64(i), y0+h+4.0)
			p.CellFormat(slot, 3, txt(b.sub), "", 0, "C", false, 0, "")
		}
	}
	p.draw(colMuted)
	p.SetLineWidth(0.3)
	p.Line(x0, y0+h, x0+w, y0+h)
	p.SetY(y0 + h + 9)
	p.ink(colInk)
}

func (p *pdfDoc) monthsSection() {
	r := p.doc.Report
	if len(r.Months) == 0 {
		return
	}
	p.section("KẾT QUẢ THEO THÁNG", 60)
	peak := ""
	if p.doc.Peak != nil {
		peak = p.doc.Peak.Start.MonthKey()
	}
	for _, code := range []string{domain.UnionsFounded, domain.MembersAdmitted} {
		var bars []bar
		for _, m := range r.Months {
			for _, v := range m.Indicators {
				if v.Code != code {
					continue
				}
				b := bar{label: monthLabel(m.Month), v: v.Actual, highlight: m.Month == peak}
				if v.Share != nil {
					b.sub = vn.Percent(*v.Share)
				}
				bars = append(bars, b)
			}
		}
		title := "Số CĐCS thành lập mới theo tháng"
		if code == domain.MembersAdmitted {
			title = "Số đoàn viên kết nạp mới theo tháng"
		}
		var total int64
		for _, b := range bars {
			total += b.v
		}
		if total == 0 {
			p.note(title + ": không có trong kỳ báo cáo.")
			p.Ln(2)
			continue
		}
		p.columnChart(title+" (dưới mỗi cột: tỷ trọng trong tổng số của kỳ)", bars, 42)
	}
	if pk := p.doc.Peak; pk != nil {
		p.note(fmt.Sprintf("Cột màu cam: tháng %s, tháng có nhiều CĐCS thành lập mới nhất trong kỳ.", summary.MonthYear(pk.Start)))
	}
}

// childrenSection draws the children ranked by percent of their target,
// with the plan's pace as a dashed line.
func (p *pdfDoc) childrenSection() {
	r := p.doc.Report
	ss := p.doc.Standings
	if len(ss) == 0 {
		return
	}
	th := p.doc.Threshold
	p.section("XẾP HẠNG CÁC ĐƠN VỊ TRỰC THUỘC", 40)
	what := "tỷ lệ thực hiện chỉ tiêu " + summary.Name(summary.RankedBy, th)
	if r.Campaign != nil {
		what = "kết quả " + summary.Name(summary.RankedBy, th) + " trong đợt so với chỉ tiêu kế hoạch"
	}
	p.note(fmt.Sprintf("Xếp theo %s (thực hiện/kế hoạch — tỷ lệ).", what))
	p.Ln(4.5)

	const nameW, labelW, rowH = 80.0, 28.0, 4.5
	barW := contentW - nameW - labelW
	x0 := margin + nameW
	var pace *float64
	if r.Campaign == nil {
		if el, days := summary.Elapsed(r); days > 0 {
			v := float64(el) / float64(days) * 100
			pace = &v
		}
	}
	// A plan's ranking shows the whole target; a campaign's, its best
	// result (a few weeks rarely reach a year's target).
	mx := 100.0
	if r.Campaign != nil {
		mx = 10
	}
	for _, s := range ss {
		if s.Percent != nil {
			mx = math.Max(mx, *s.Percent)
		}
	}
	tickStep := 20.0
	if mx <= 50 {
		tickStep = 10
	}
	scale := math.Ceil(mx/tickStep) * tickStep
	if scale > 200 {
		tickStep = math.Ceil(scale/5/50) * 50
		scale = math.Ceil(scale/tickStep) * tickStep
	}
	axis := func() {
		y := p.GetY()
		p.font("", 6.5)
		p.ink(colMuted)
		for v := 0.0; v <= scale+0.001; v += tickStep {
			x := x0 + v/scale*barW
			p.SetXY(x-8, y)
			p.CellFormat(16, 3.5, vn.Decimal(v, 0)+" %", "", 0, "C", false, 0, "")
		}
		if pace != nil {
			p.font("B", 6.5)
			p.ink(colBehind)
			x := x0 + *pace/scale*barW
			p.SetXY(x-20, y-3.5)
			p.CellFormat(40, 3.5, txt("Tiến độ "+vn.Percent(math.Round(*pace*100)/100)), "", 0, "C", false, 0, "")
		}
		p.SetY(y + 4)
	}
	p.room(rowH*4 + 8)
	axis()
	for _, s := range ss {
		if p.GetY()+rowH > pageH-bottom {
			p.AddPage()
			p.Ln(4.5)
			axis()
		}
		y := p.GetY()
		// grid and pace line behind the bar
		p.SetLineWidth(0.1)
		p.draw(colGrid)
		for v := 0.0; v <= scale+0.001; v += tickStep {
			x := x0 + v/scale*barW
			p.Line(x, y, x, y+rowH)
		}
		p.font("", 7.3)
		p.ink(colInk)
		p.SetXY(margin, y)
		name := fmt.Sprintf("%d. %s", s.Rank, txt(p.doc.ChildName(s.Unit.Code, s.Unit.Name)))
		p.CellFormat(nameW-1.5, rowH, p.fit(name, nameW-3.5), "", 0, "L", false, 0, "")
		label := "chưa giao chỉ tiêu"
		if s.Target != nil {
			label = ofPercent(s.Actual, s.Target, s.Percent)
			c := colBar
			if s.Expected != nil {
				c = colOK
				if s.Behind {
					c = colBehind
				}
			}
			if s.Percent != nil && *s.Percent > 0 {
				p.fill(c)
				p.Rect(x0, y+0.8, math.Min(*s.Percent, scale)/scale*barW, rowH-1.6, "F")
			}
		} else {
			label = vn.Int(s.Actual) + " — chưa giao chỉ tiêu"
			p.ink(colMuted)
		}
		if pace != nil {
			p.SetLineWidth(0.35)
			p.draw(colBehind)
			p.SetDashPattern([]float64{0.9, 0.7}, 0)
			x := x0 + *pace/scale*barW
			p.Line(x, y, x, y+rowH)
			p.SetDashPattern(nil, 0)
		}
		p.SetXY(x0+barW+1, y)
		p.CellFormat(labelW-1, rowH, txt(label), "", 0, "L", false, 0, "")
		p.SetY(y + rowH)
	}
	p.Ln(2)
	if pace != nil {
		p.legend()
	}
}

// legend explains the colours of the ranking.
func (p *pdfDoc) legend() {
	p.room(6)
	y := p.GetY()
	x := margin
	p.font("", 7)
	p.ink(colMuted)
	for _, l := range []struct {
		c    rgb
		text string
	}{{colOK, "đạt tiến độ"}, {colBehind, "chậm tiến độ"}} {
		p.fill(l.c)
		p.Rect(x, y+1, 4, 2.6, "F")
		p.SetXY(x+5, y)
		p.CellFormat(28, 4.6, txt(l.text), "", 0, "L", false, 0, "")
		x += 32
	}
	p.draw(colBehind)
	p.SetLineWidth(0.35)
	p.SetDashPattern([]float64{0.9, 0.7}, 0)
	p.Line(x+2, y, x+2, y+4.6)
	p.SetDashPattern(nil, 0)
	p.SetXY(x+4, y)
	p.CellFormat(100, 4.6, txt("tiến độ thời gian của kế hoạch (tỷ lệ cần đạt)"), "", 1, "L", false, 0, "")
	p.ink(colInk)
}

func (p *pdfDoc) exemplarySection() {
	ls := p.doc.Exemplary
	if len(ls) == 0 {
		return
	}
	p.section("CÁC ĐƠN VỊ TIÊU BIỂU", 30)
	when := p.doc.ExemplaryWhen
	if p.doc.Peak != nil {
		p.note(fmt.Sprintf("Các đơn vị dẫn đầu trong %s, tháng có nhiều CĐCS thành lập mới nhất của kỳ báo cáo; xếp theo số CĐCS thành lập mới, rồi số đoàn viên kết nạp mới.", when))
	} else {
		p.note(fmt.Sprintf("Các đơn vị dẫn đầu trong %s; xếp theo số CĐCS thành lập mới, rồi số đoàn viên kết nạp mới.", when))
	}
	p.Ln(1)
	cols := []column{{9, "C"}, {101, "L"}, {35, "R"}, {35, "R"}}
	var rows [][]tcell
	for i, l := range ls {
		rows = append(rows, []tcell{tc(fmt.Sprint(i + 1)), {text: l.Unit.Name, bold: true}, tc(vn.Int(l.Founded)), tc(vn.Int(l.Admitted))})
	}
	p.table(cols, []string{"STT", "Đơn vị", "CĐCS thành lập mới", "Đoàn viên kết nạp mới"}, rows)
}

func (p *pdfDoc) campaignsSection() {
	cs := p.doc.Campaigns
	if len(cs) == 0 {
		return
	}
	th := p.doc.Threshold
	p.section("KẾT QUẢ CÁC ĐỢT CAO ĐIỂM", 40)
	for start := 0; start < len(cs); start += 3 {
		part := cs[start:min(start+3, len(cs))]
		nameW := 72.0
		colW := (contentW - nameW) / float64(len(part))
		cols := []column{{nameW, "L"}}
		header := []string{"Chỉ tiêu"}
		for _, c := range part {
			cols = append(cols, column{colW, "C"})
			h := fmt.Sprintf("%s\n%s – %s", c.Campaign.Name, c.Campaign.Start.VN(), c.Campaign.End.VN())
			if c.Window.End < c.Window.Start {
				h += "\n(chưa bắt đầu)"
			} else if c.Window.End < c.Campaign.End {
				h += "\n(đến " + c.Window.End.VN() + ")"
			}
			header = append(header, h)
		}
		var rows [][]tcell
		for i, code := range engine.Codes {
			row := []tcell{tc(summary.Title(code, th))}
			for _, c := range part {
				in := c.Indicators[i]
				s := vn.Int(in.Actual)
				if in.Percent != nil {
					s += " — " + vn.Percent(*in.Percent)
				}
				row = append(row, tc(s))
			}
			rows = append(rows, row)
		}
		p.table(cols, header, rows)
		p.Ln(2)
	}
	p.note("Tỷ lệ: kết quả trong đợt so với chỉ tiêu của cả kế hoạch.")
	p.Ln(1)
	for _, c := range cs {
		if ps := summary.Paragraphs(c.SummaryVI); len(ps) > 0 {
			p.room(12)
			p.para(ps[0], 9)
		}
	}
}

func (p *pdfDoc) gapsSection() {
	d := p.doc
	p.section("DOANH NGHIỆP CHƯA CÓ CĐCS", 20)
	if len(d.Gaps) == 0 {
		p.para(fmt.Sprintf("Trên địa bàn không có doanh nghiệp từ %d lao động trở lên nào chưa có CĐCS.", domain.GapMinWorkers), 9.5)
		return
	}
	cols := []column{{8, "C"}, {55, "L"}, {21, "C"}, {43, "C"}, {14, "R"}, {39, "L"}}
	header := []string{"STT", "Tên doanh nghiệp", "Mã số thuế", "Loại hình", "Số lao động", "Đơn vị quản lý"}
	var rows [][]tcell
	for i, g := range d.Gaps[:min(GapsInPDF, len(d.Gaps))] {
		rows = append(rows, []tcell{tc(fmt.Sprint(i + 1)), tc(g.Name), tc(g.TaxCode), tc(OwnershipVI(g.Ownership)),
			{text: vn.Int(g.Employees), bold: true}, tc(g.UnitName)})
	}
	// The list ends the body: where the whole of it fits on this page
	// but would push the signature alone onto the next one, a few of its
	// smallest enterprises give way (the workbook lists them all).
	intro := func(n int) string {
		return fmt.Sprintf("Tính đến ngày %s, trên địa bàn còn %s doanh nghiệp có từ %d lao động trở lên chưa thành lập CĐCS, với tổng số %s lao động. "+
			"Danh sách đầy đủ có trong bảng tính (XLSX), trang “%s”; dưới đây là %d doanh nghiệp có nhiều lao động nhất.",
			d.Report.AsOf.VN(), vn.Int(int64(len(d.Gaps))), domain.GapMinWorkers, vn.Int(d.GapWorkers), SheetGaps, n)
	}
	p.font("", 9.5)
	introH := float64(len(p.wrap(txt(intro(len(rows))), contentW)))*9.5*0.5 + 1.5
	free := pageH - bottom - p.GetY() - introH
	if p.tableHeight(cols, header, rows) <= free {
		for len(rows) > GapsInPDF/2 && p.tableHeight(cols, header, rows)+p.signatureHeight() > free {
			rows = rows[:len(rows)-1]
		}
	}
	p.para(intro(len(rows)), 9.5)
	p.table(cols, header, rows)
}

// The letterhead's two columns (an administrative document's layout): the
// issuer on the left, the national motto on the right.
const (
	issuerW = 78.0
	mottoW  = contentW - issuerW
)

// letterhead writes the top of an official report: on the left the body
// above and the unit in capitals, a short rule, and "Số: …"; on the right
// "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"
// underlined, and the place and date in italics.
func (p *pdfDoc) letterhead() {
	r, l := p.doc.Report, p.letter
	y := p.GetY()
	p.ink(colInk)
	p.draw(colInk)
	p.SetLineWidth(0.25)

	p.SetXY(margin, y)
	p.font("", 9)
	p.MultiCell(issuerW, 4.4, txt(strings.ToUpper(upperBody(p.doc))), "", "C", false)
	p.SetX(margin)
	p.font("B", 9)
	p.MultiCell(issuerW, 4.4, txt(strings.ToUpper(r.Unit.Name)), "", "C", false)
	yl := p.GetY() + 0.8
	p.Line(margin+issuerW/2-12, yl, margin+issuerW/2+12, yl)
	p.SetXY(margin, yl+1.5)
	p.font("", 9)
	p.CellFormat(issuerW, 5, txt("Số: "+l.Number), "", 2, "C", false, 0, "")
	left := p.GetY()

	x := margin + issuerW
	p.SetXY(x, y)
	p.font("B", 9)
	p.CellFormat(mottoW, 4.4, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "", 2, "C", false, 0, "")
	p.SetX(x)
	p.font("B", 9.5)
	motto := "Độc lập - Tự do - Hạnh phúc"
	p.CellFormat(mottoW, 4.8, motto, "", 2, "C", false, 0, "")
	w := p.GetStringWidth(motto)
	yu := p.GetY() + 0.3
	p.Line(x+(mottoW-w)/2, yu, x+(mottoW+w)/2, yu)
	p.SetXY(x, max(yu+2.5, left-5))
	p.font("I", 9)
	p.CellFormat(mottoW, 5, txt(DateLine(l.Place, l.Date)), "", 2, "C", false, 0, "")
	p.SetY(max(left, p.GetY()) + 6)
}

// signatureHeight is the room the signature block takes, with the space
// above it.
func (p *pdfDoc) signatureHeight() float64 {
	l := p.letter
	titles := strings.Count(l.SignerTitle, "\n") + 1
	return 6 + max(5+3.8*float64(len(l.Recipients)), 5*float64(titles)+27+5)
}

// signature ends the report: "Nơi nhận:" and the recipients on the left,
// the signer's position and name on the right, with room to sign and seal
// between them. The block is kept on one page.
func (p *pdfDoc) signature() {
	l := p.letter
	titles := strings.Split(l.SignerTitle, "\n")
	p.room(p.signatureHeight())
	p.Ln(6)
	y := p.GetY()
	p.ink(colInk)

	p.SetXY(margin, y)
	p.font("B", 8.5)
	p.CellFormat(issuerW, 5, "Nơi nhận:", "", 2, "L", false, 0, "")
	p.font("", 8)
	for i, rc := range l.Recipients {
		end := ";"
		if i == len(l.Recipients)-1 {
			end = "."
		}
		p.SetX(margin)
		p.MultiCell(issuerW-4, 3.8, txt("- "+strings.TrimRight(rc, ";.")+end), "", "L", false)
	}

	x := margin + issuerW
	p.SetXY(x, y)
	p.font("B", 9.5)
	for _, t := range titles {
		p.SetX(x)
		p.CellFormat(mottoW, 5, txt(t), "", 2, "C", false, 0, "")
	}
	p.SetXY(x, p.GetY()+22)
	p.CellFormat(mottoW, 5, txt(l.Signer), "", 2, "C", false, 0, "")
}
