package export

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/vn"
)

// SheetOrganising is the workbook's sheet of the organising funnel.
const SheetOrganising = "Vận động thành lập"

// funnelLine is one line of the organising funnel: its Vietnamese name and
// its value (nil: no value, as the median without any union founded).
type funnelLine struct {
	name  string
	value *float64
}

// funnelLines are the lines of the report's organising funnel, in the
// order of the pipeline.
func funnelLines(o *engine.Organising) []funnelLine {
	f := func(n int64) *float64 { v := float64(n); return &v }
	return []funnelLine{
		{fmt.Sprintf("Doanh nghiệp từ %d lao động trở lên chưa có CĐCS", domain.GapMinWorkers), f(o.GapEnterprises)},
		{"Doanh nghiệp được tiếp cận lần đầu trong kỳ", f(o.Contacted)},
		{"Doanh nghiệp thành lập ban vận động trong kỳ", f(o.FoundingGroup)},
		{"Đơn gia nhập tại doanh nghiệp chưa có CĐCS", f(o.Applications)},
		{"CĐCS thành lập từ vận động", f(o.FoundedFromPipeline)},
		{"Số ngày (trung vị) từ lần tiếp cận đầu đến khi thành lập", o.MedianDaysToFound},
		{"Yêu cầu gia nhập công đoàn qua mã QR", f(o.JoinRequests)},
		{"Yêu cầu đang chờ duyệt", f(o.JoinRequestsPending)},
		{"Yêu cầu quá hạn 10 ngày làm việc", f(o.JoinRequestsOverdue)},
	}
}

func writeOrganisingSheet(sw *excelize.StreamWriter, st *xlsxStyles, doc *Document) error {
	if err := listHead(sw, st, 24, []sheetColumn{{"Chỉ số vận động thành lập CĐCS", 60}, {"Số liệu", 16}}); err != nil {
		return err
	}
	o := doc.Report.Organising
	if o == nil {
		return sw.SetRow("A2", []any{cell(st.text, "Báo cáo không có số liệu vận động.")})
	}
	row := 2
	for _, l := range funnelLines(o) {
		var v any
		if l.value != nil {
			v = *l.value
		}
		if err := sw.SetRow(ref(1, row), []any{cell(st.name, l.name), cell(st.integer, v)}); err != nil {
			return err
		}
		row++
	}
	if len(o.Organisers) == 0 {
		return nil
	}
	row++
	if err := sw.SetRow(ref(1, row), styled(st.header, []any{"Người phụ trách", "CĐCS thành lập"})); err != nil {
		return err
	}
	for _, r := range o.Organisers {
		row++
		if err := sw.SetRow(ref(1, row), []any{cell(st.name, r.Name), cell(st.integer, r.Founded)}); err != nil {
			return err
		}
	}
	return nil
}

// organisingSection writes the funnel of the organising pipeline and the
// organisers ranked by unions founded.
func (p *pdfDoc) organisingSection() {
	o := p.doc.Report.Organising
	if o == nil {
		return
	}
	p.section("VẬN ĐỘNG THÀNH LẬP CĐCS VÀ GIA NHẬP CÔNG ĐOÀN", 40)
	cols := []column{{130, "L"}, {50, "R"}}
	var rows [][]tcell
	for _, l := range funnelLines(o) {
		v := "—"
		if l.value != nil {
			v = vn.Decimal(*l.value, 1)
		}
		rows = append(rows, []tcell{tc(l.name), {text: v, bold: true}})
	}
	p.table(cols, []string{"Chỉ số", "Số liệu"}, rows)
	if len(o.Organisers) > 0 {
		var names []string
		for _, r := range o.Organisers[:min(5, len(o.Organisers))] {
			names = append(names, fmt.Sprintf("%s (%s)", r.Name, vn.Int(r.Founded)))
		}
		p.para("Người phụ trách có nhiều CĐCS thành lập nhất: "+joinVI(names)+".", 9.5)
	}
}

// joinVI joins names with "; ".
func joinVI(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += "; "
		}
		out += n
	}
	return out
}
