package export

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/summary"
	"congdoan/internal/vn"
)

// The workbook's sheets, in order.
const (
	SheetSummary   = "Tổng hợp"
	SheetMonths    = "Theo tháng"
	SheetChildren  = "Xếp hạng đơn vị"
	SheetCampaigns = "Đợt cao điểm"
	SheetGaps      = "DN chưa có CĐCS"
)

// Sheets lists the workbook's sheets in order.
var Sheets = []string{SheetSummary, SheetMonths, SheetChildren, SheetCampaigns, SheetGaps, SheetOrganising}

// SummaryHeaderRow is the row of the summary sheet's table header; the
// indicators follow it in report order.
const SummaryHeaderRow = 6

// xlsxStyles are the workbook's cell styles.
type xlsxStyles struct {
	title, bold, text, wrap, header, code, name, plain int
	integer, percent, date, behind, ok                 int
	total, totalInt                                    int
}

func newStyles(f *excelize.File) (*xlsxStyles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1},
		{Type: "top", Color: "A6A6A6", Style: 1}, {Type: "bottom", Color: "A6A6A6", Style: 1},
	}
	font := func(bold bool, size float64, color string) *excelize.Font {
		return &excelize.Font{Family: "Arial", Size: size, Bold: bold, Color: color}
	}
	dateFmt, pctFmt := "dd/mm/yyyy", "0.00%"
	var s xlsxStyles
	for _, d := range []struct {
		id    *int
		style *excelize.Style
	}{
		{&s.title, &excelize.Style{Font: font(true, 14, "1F3864")}},
		{&s.bold, &excelize.Style{Font: font(true, 10, "")}},
		{&s.text, &excelize.Style{Font: font(false, 10, "")}},
		{&s.wrap, &excelize.Style{Font: font(false, 10, ""), Alignment: &excelize.Alignment{WrapText: true, Vertical: "top", Horizontal: "justify"}}},
		{&s.header, &excelize.Style{Font: font(true, 10, "FFFFFF"), Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"2F5496"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&s.code, &excelize.Style{Font: font(false, 9, "595959"), Border: border, Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&s.name, &excelize.Style{Font: font(false, 10, ""), Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}},
		{&s.plain, &excelize.Style{Font: font(false, 10, ""), Border: border}},
		{&s.integer, &excelize.Style{Font: font(false, 10, ""), Border: border, NumFmt: 3, Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&s.percent, &excelize.Style{Font: font(false, 10, ""), Border: border, CustomNumFmt: &pctFmt, Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&s.date, &excelize.Style{Font: font(false, 10, ""), Border: border, CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&s.behind, &excelize.Style{Font: font(true, 10, "C00000"), Border: border, Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&s.ok, &excelize.Style{Font: font(true, 10, "2E7D32"), Border: border, Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&s.total, &excelize.Style{Font: font(true, 10, ""), Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}}},
		{&s.totalInt, &excelize.Style{Font: font(true, 10, ""), Border: border, NumFmt: 3, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}}},
	} {
		id, err := f.NewStyle(d.style)
		if err != nil {
			return nil, err
		}
		*d.id = id
	}
	return &s, nil
}

// XLSX writes the document as a workbook: the summary with the written
// text, the months with their shares, the children ranked by percent of
// target, the campaigns and the enterprises without a union. Every sheet
// is written by excelize's streaming writer; numbers are numbers (percents
// as fractions in a percent format, dates as dates).
func XLSX(w io.Writer, doc *Document) error {
	if doc == nil || doc.Report == nil {
		return fmt.Errorf("export: no report to write")
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", Sheets[0]); err != nil {
		return err
	}
	for _, name := range Sheets[1:] {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
	}
	r := doc.Report
	yes := true
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: Title + " — " + r.Unit.Name, Subject: r.Plan.Name, Creator: "Congdoan", Language: "vi-VN",
		Description: fmt.Sprintf("Kế hoạch %s, đơn vị %s, số liệu tính đến ngày %s", r.Plan.Code, r.Unit.Code, r.AsOf.VN()),
	}); err != nil {
		return err
	}
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{FilterPrivacy: &yes}); err != nil {
		return err
	}
	for _, sheet := range []struct {
		name       string
		headerRows string // repeated on every printed page
		write      func(*excelize.StreamWriter, *xlsxStyles, *Document) error
	}{
		{SheetSummary, fmt.Sprintf("$%d:$%d", SummaryHeaderRow, SummaryHeaderRow), writeSummarySheet},
		{SheetMonths, "$1:$2", writeMonthsSheet},
		{SheetChildren, "$1:$2", writeChildrenSheet},
		{SheetCampaigns, "$1:$1", writeCampaignsSheet},
		{SheetGaps, "$1:$1", writeGapsSheet},
		{SheetOrganising, "$1:$1", writeOrganisingSheet},
	} {
		// Printing: A4 landscape, as wide as one page. The sheet
		// properties must be set before the stream writer starts.
		if err := f.SetSheetProps(sheet.name, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
			return err
		}
		if err := f.SetPageLayout(sheet.name, &excelize.PageLayoutOptions{Size: intPtr(9), Orientation: strPtr("landscape"),
			FitToWidth: intPtr(1), FitToHeight: intPtr(0)}); err != nil {
			return err
		}
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet.name,
			RefersTo: fmt.Sprintf("'%s'!%s", sheet.name, sheet.headerRows)}); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(sheet.name)
		if err != nil {
			return err
		}
		if err := sheet.write(sw, st, doc); err != nil {
			return fmt.Errorf("sheet %s: %w", sheet.name, err)
		}
		if err := sw.Flush(); err != nil {
			return fmt.Errorf("sheet %s: %w", sheet.name, err)
		}
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

func intPtr(v int) *int       { return &v }
func strPtr(v string) *string { return &v }

// cell is a styled cell.
func cell(style int, v any) excelize.Cell { return excelize.Cell{StyleID: style, Value: v} }

// num is an integer cell, or an empty bordered one for nil.
func num(style int, v *int64) excelize.Cell {
	if v == nil {
		return cell(style, nil)
	}
	return cell(style, *v)
}

// pct is a percent cell (the fraction of a percent with 2 decimals).
func pct(st *xlsxStyles, v *float64) excelize.Cell {
	if v == nil {
		return cell(st.percent, nil)
	}
	return cell(st.percent, fraction(*v))
}

// expected is the count a target expects by today, a whole number
// (vn.Round: what the pages and the PDF show), or an empty cell.
func expected(st *xlsxStyles, v *float64) excelize.Cell {
	if v == nil {
		return cell(st.integer, nil)
	}
	return cell(st.integer, vn.Round(*v))
}

func status(st *xlsxStyles, s *string) excelize.Cell {
	switch {
	case s == nil:
		return cell(st.name, nil)
	case *s == engine.StatusBehind:
		return cell(st.behind, StatusVI(s))
	}
	return cell(st.ok, StatusVI(s))
}

func widths(sw *excelize.StreamWriter, ws ...float64) error {
	for i, w := range ws {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	return nil
}

// sheetColumn is a column of a sheet that is one list: its header and width.
type sheetColumn struct {
	header string
	width  float64
}

// The columns of the campaigns and the gaps sheets.
var (
	campaignColumns = []sheetColumn{{"Mã đợt", 14}, {"Tên đợt", 28}, {"Từ ngày", 12}, {"Đến ngày", 12}, {"Số liệu đến ngày", 14},
		{"Mã chỉ tiêu", 27}, {"Chỉ tiêu", 52}, {"Kết quả trong đợt", 14}, {"Chỉ tiêu kế hoạch", 14}, {"Tỷ lệ so với chỉ tiêu kế hoạch", 16}}
	gapColumns = []sheetColumn{{"STT", 7}, {"Mã số thuế", 14}, {"Tên doanh nghiệp", 48}, {"Loại hình", 24}, {"Số lao động", 12},
		{"Địa chỉ", 48}, {"Địa bàn", 22}, {"Mã đơn vị quản lý", 12}, {"Đơn vị quản lý", 40}, {"Nguồn", 18}}
)

// listHead starts a sheet that is one list: the columns' widths, and the
// header row at the top, height points high and frozen so that it stays
// in view as the rows scroll.
func listHead(sw *excelize.StreamWriter, st *xlsxStyles, height float64, cols []sheetColumn) error {
	ws, header := make([]float64, len(cols)), make([]any, len(cols))
	for i, c := range cols {
		ws[i], header[i] = c.width, c.header
	}
	if err := widths(sw, ws...); err != nil {
		return err
	}
	if err := freeze(sw, 0, 1); err != nil {
		return err
	}
	return sw.SetRow("A1", styled(st.header, header), excelize.RowOpts{Height: height})
}

func freeze(sw *excelize.StreamWriter, cols, rows int) error {
	top, err := excelize.CoordinatesToCellName(cols+1, rows+1)
	if err != nil {
		return err
	}
	pane := "bottomLeft"
	switch {
	case cols > 0 && rows > 0:
		pane = "bottomRight"
	case cols > 0:
		pane = "topRight"
	}
	return sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: cols, YSplit: rows, TopLeftCell: top, ActivePane: pane,
		Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: pane}}})
}

func ref(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

// heading writes the document's heading in rows 1-4 over cols columns.
func heading(sw *excelize.StreamWriter, st *xlsxStyles, doc *Document, cols int) error {
	r := doc.Report
	lines := []string{
		Title,
		fmt.Sprintf("Đơn vị: %s (%s)", r.Unit.Name, r.Unit.Code),
		fmt.Sprintf("Kế hoạch: %s (%s), %s", r.Plan.Name, r.Plan.Code, period(engine.Window{Start: r.Plan.Start, End: r.Plan.End})),
	}
	if c := r.Campaign; c != nil {
		lines = append(lines, fmt.Sprintf("Đợt cao điểm: %s (%s), từ %s đến %s; kỳ báo cáo %s; số liệu tính đến ngày %s",
			c.Name, c.Code, c.Start.VN(), c.End.VN(), period(r.Window), r.AsOf.VN()))
	} else {
		lines = append(lines, fmt.Sprintf("Kỳ báo cáo: %s; số liệu tính đến ngày %s", period(r.Window), r.AsOf.VN()))
	}
	for i, l := range lines {
		style, h := st.text, 16.0
		if i == 0 {
			style, h = st.title, 24
		}
		if err := sw.SetRow(ref(1, i+1), []any{cell(style, l)}, excelize.RowOpts{Height: h}); err != nil {
			return err
		}
		if err := sw.MergeCell(ref(1, i+1), ref(cols, i+1)); err != nil {
			return err
		}
	}
	return nil
}

func writeSummarySheet(sw *excelize.StreamWriter, st *xlsxStyles, doc *Document) error {
	r := doc.Report
	ws := []float64{27, 52, 12, 12, 12, 14, 15, 14, 12}
	if err := widths(sw, ws...); err != nil {
		return err
	}
	if err := freeze(sw, 0, SummaryHeaderRow); err != nil {
		return err
	}
	if err := heading(sw, st, doc, len(ws)); err != nil {
		return err
	}
	header := []any{"Mã chỉ tiêu", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ hoàn thành", "Cần đạt theo tiến độ", "Đánh giá",
		"Đã giao cho đơn vị trực thuộc", "Chưa giao"}
	if err := sw.SetRow(ref(1, SummaryHeaderRow), styled(st.header, header), excelize.RowOpts{Height: 32}); err != nil {
		return err
	}
	row := SummaryHeaderRow + 1
	for _, in := range r.Indicators {
		vals := []any{cell(st.code, in.Code), cell(st.name, summary.Title(in.Code, doc.Threshold)), num(st.integer, in.Target),
			cell(st.integer, in.Actual), pct(st, in.Percent), expected(st, in.Expected), status(st, in.Status),
			num(st.integer, in.Assigned), num(st.integer, in.Unassigned)}
		if err := sw.SetRow(ref(1, row), vals, excelize.RowOpts{Height: 18}); err != nil {
			return err
		}
		row++
	}
	row++
	if err := sw.SetRow(ref(1, row), []any{cell(st.bold, "Nhận xét")}); err != nil {
		return err
	}
	row++
	total := 0.0
	for _, w := range ws {
		total += w
	}
	for _, p := range summary.Paragraphs(r.SummaryVI) {
		// A unit of column width holds about 1.2 characters of 10-point
		// Arial; 13.5 points a line.
		lines := utf8.RuneCountInString(p)*10/12/int(total) + 1
		if err := sw.SetRow(ref(1, row), []any{cell(st.wrap, p)}, excelize.RowOpts{Height: float64(lines)*13.5 + 4}); err != nil {
			return err
		}
		if err := sw.MergeCell(ref(1, row), ref(len(ws), row)); err != nil {
			return err
		}
		row++
	}
	row++
	return sw.SetRow(ref(1, row), []any{cell(st.text, fmt.Sprintf("Lập bằng Congdoan lúc %s.", vnTime(generated(doc)).Format("15:04 02/01/2006")))})
}

func styled(style int, vals []any) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = cell(style, v)
	}
	return out
}

func writeMonthsSheet(sw *excelize.StreamWriter, st *xlsxStyles, doc *Document) error {
	r := doc.Report
	ws := []float64{14}
	for range engine.Codes {
		ws = append(ws, 14, 11)
	}
	if err := widths(sw, ws...); err != nil {
		return err
	}
	if err := freeze(sw, 1, 2); err != nil {
		return err
	}
	top, sub := []any{cell(st.header, "Tháng")}, []any{cell(st.header, nil)}
	for _, code := range engine.Codes {
		top = append(top, cell(st.header, summary.Title(code, doc.Threshold)), cell(st.header, nil))
		sub = append(sub, cell(st.header, "Số lượng"), cell(st.header, "Tỷ trọng"))
	}
	if err := sw.SetRow("A1", top, excelize.RowOpts{Height: 58}); err != nil {
		return err
	}
	if err := sw.SetRow("A2", sub, excelize.RowOpts{Height: 18}); err != nil {
		return err
	}
	if err := sw.MergeCell("A1", "A2"); err != nil {
		return err
	}
	for i := range engine.Codes {
		if err := sw.MergeCell(ref(2+2*i, 1), ref(3+2*i, 1)); err != nil {
			return err
		}
	}
	row := 3
	for _, m := range r.Months {
		vals := []any{cell(st.name, monthLabel(m.Month))}
		for _, v := range m.Indicators {
			vals = append(vals, cell(st.integer, v.Actual), pct(st, v.Share))
		}
		if err := sw.SetRow(ref(1, row), vals); err != nil {
			return err
		}
		row++
	}
	vals := []any{cell(st.total, "Cộng")}
	for _, in := range r.Indicators {
		vals = append(vals, cell(st.totalInt, in.Actual), cell(st.total, nil))
	}
	return sw.SetRow(ref(1, row), vals)
}

// otherIndicators are the indicators after summary.RankedBy in the
// ranking sheet.
func otherIndicators() []string {
	var out []string
	for _, c := range engine.Codes {
		if c != summary.RankedBy {
			out = append(out, c)
		}
	}
	return out
}

func writeChildrenSheet(sw *excelize.StreamWriter, st *xlsxStyles, doc *Document) error {
	others := otherIndicators()
	ws := []float64{7, 12, 44, 11, 11, 11, 13, 15}
	for range others {
		ws = append(ws, 11, 11, 11)
	}
	if err := widths(sw, ws...); err != nil {
		return err
	}
	if err := freeze(sw, 3, 2); err != nil {
		return err
	}
	top := []any{cell(st.header, "Hạng"), cell(st.header, "Mã đơn vị"), cell(st.header, "Tên đơn vị"),
		cell(st.header, summary.Title(summary.RankedBy, doc.Threshold)+" (chỉ tiêu xếp hạng)"), cell(st.header, nil), cell(st.header, nil), cell(st.header, nil), cell(st.header, nil)}
	sub := []any{cell(st.header, nil), cell(st.header, nil), cell(st.header, nil),
		cell(st.header, "Kế hoạch"), cell(st.header, "Thực hiện"), cell(st.header, "Tỷ lệ"), cell(st.header, "Cần đạt theo tiến độ"), cell(st.header, "Đánh giá")}
	for _, code := range others {
		top = append(top, cell(st.header, summary.Title(code, doc.Threshold)), cell(st.header, nil), cell(st.header, nil))
		sub = append(sub, cell(st.header, "Kế hoạch"), cell(st.header, "Thực hiện"), cell(st.header, "Tỷ lệ"))
	}
	if err := sw.SetRow("A1", top, excelize.RowOpts{Height: 58}); err != nil {
		return err
	}
	if err := sw.SetRow("A2", sub, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	for _, m := range [][2]string{{"A1", "A2"}, {"B1", "B2"}, {"C1", "C2"}, {"D1", "H1"}} {
		if err := sw.MergeCell(m[0], m[1]); err != nil {
			return err
		}
	}
	for i := range others {
		if err := sw.MergeCell(ref(9+3*i, 1), ref(11+3*i, 1)); err != nil {
			return err
		}
	}
	if len(doc.Standings) == 0 {
		return sw.SetRow("A3", []any{cell(st.text, "Đơn vị không có đơn vị trực thuộc (ngoài các CĐCS).")})
	}
	for i, s := range doc.Standings {
		var stat *string
		if s.Expected != nil {
			v := engine.StatusOnTrack
			if s.Behind {
				v = engine.StatusBehind
			}
			stat = &v
		}
		vals := []any{cell(st.integer, s.Rank), cell(st.code, s.Unit.Code), cell(st.name, doc.ChildName(s.Unit.Code, s.Unit.Name)),
			num(st.integer, s.Target), cell(st.integer, s.Actual), pct(st, s.Percent), expected(st, s.Expected), status(st, stat)}
		for _, code := range others {
			var v engine.ChildValue
			for _, x := range s.Indicators {
				if x.Code == code {
					v = x
				}
			}
			vals = append(vals, num(st.integer, v.Target), cell(st.integer, v.Actual), pct(st, v.Percent))
		}
		if err := sw.SetRow(ref(1, 3+i), vals); err != nil {
			return err
		}
	}
	return nil
}

func writeCampaignsSheet(sw *excelize.StreamWriter, st *xlsxStyles, doc *Document) error {
	if err := listHead(sw, st, 32, campaignColumns); err != nil {
		return err
	}
	if len(doc.Campaigns) == 0 {
		return sw.SetRow("A2", []any{cell(st.text, "Kế hoạch không có đợt cao điểm.")})
	}
	row := 2
	for _, c := range doc.Campaigns {
		if c.Campaign == nil {
			continue
		}
		until := cell(st.date, nil)
		if c.Window.End >= c.Window.Start {
			until = cell(st.date, c.Window.End.Time())
		}
		for _, in := range c.Indicators {
			vals := []any{cell(st.code, c.Campaign.Code), cell(st.name, c.Campaign.Name), cell(st.date, c.Campaign.Start.Time()),
				cell(st.date, c.Campaign.End.Time()), until, cell(st.code, in.Code), cell(st.name, summary.Title(in.Code, doc.Threshold)),
				cell(st.integer, in.Actual), num(st.integer, in.Target), pct(st, in.Percent)}
			if err := sw.SetRow(ref(1, row), vals); err != nil {
				return err
			}
			row++
		}
	}
	return nil
}

func writeGapsSheet(sw *excelize.StreamWriter, st *xlsxStyles, doc *Document) error {
	if err := listHead(sw, st, 32, gapColumns); err != nil {
		return err
	}
	for i := range doc.Gaps {
		g := &doc.Gaps[i]
		vals := []any{cell(st.integer, i+1), cell(st.plain, g.TaxCode), cell(st.plain, g.Name), cell(st.plain, OwnershipVI(g.Ownership)),
			cell(st.integer, g.Employees), cell(st.plain, g.Address), cell(st.plain, g.Area), cell(st.code, g.UnitCode),
			cell(st.plain, g.UnitName), cell(st.plain, SourceVI(g.Source))}
		if err := sw.SetRow(ref(1, i+2), vals); err != nil {
			return err
		}
	}
	if len(doc.Gaps) == 0 {
		return sw.SetRow("A2", []any{cell(st.text, fmt.Sprintf("Không có doanh nghiệp từ %d lao động trở lên chưa có CĐCS.", domain.GapMinWorkers))})
	}
	return nil
}
