package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"congdoan/internal/importer"
)

// TemplateSheetHelp names the template's second sheet, which explains the
// columns.
const TemplateSheetHelp = "Hướng dẫn"

// templateRows is how far down the drop-down lists of a template reach.
const templateRows = 1048576

// TemplateFileName suggests a file name for a kind's template.
func TemplateFileName(kind string) string { return "mau-nhap_" + kind + ".xlsx" }

// TypeNameVI names what a column holds, for the help sheet.
func TypeNameVI(c importer.ColumnInfo) string {
	switch c.Type {
	case importer.TypeDate:
		return "Ngày (dd/mm/yyyy)"
	case importer.TypeInteger:
		return "Số nguyên"
	case importer.TypeCode:
		if c.ID {
			return "Mã số, định dạng văn bản (giữ số 0 ở đầu)"
		}
		return "Mã, định dạng văn bản"
	}
	return "Văn bản"
}

// Template writes the XLSX template of an import kind: the first sheet
// has the Vietnamese headers, frozen, above empty rows whose columns are
// formatted for what they hold (codes, ID numbers and tax codes as text, so
// that Excel keeps their leading zeros; dates as dd/mm/yyyy; numbers as
// numbers) and offer drop-down lists of the words the importer accepts
// (gender, kind, ownership, joined_how, method...); the second sheet
// explains each column. Filled in, it imports as it is.
func Template(w io.Writer, kind string) error {
	cols := importer.Columns(kind)
	if cols == nil {
		return fmt.Errorf("không có loại dữ liệu nhập %[1]q (unknown import kind %[1]q)", kind)
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := SheetNames[kind]
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	st, err := newListStyles(f)
	if err != nil {
		return err
	}
	for i, c := range cols {
		name, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, name, name, columnWidth(c)); err != nil {
			return err
		}
		if err := f.SetColStyle(sheet, name, st.of(c.Type)); err != nil {
			return err
		}
		if err := f.SetCellStr(sheet, name+"1", c.Header); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, name+"1", name+"1", st.header); err != nil {
			return err
		}
		if err := templateValidation(f, sheet, name, c); err != nil {
			return fmt.Errorf("column %s: %w", c.Name, err)
		}
	}
	if err := f.SetRowHeight(sheet, 1, 30); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	if err := templateHelp(f, st, kind, cols); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "Congdoan", Language: "vi-VN",
		Title: "Mẫu nhập " + strings.ToLower(sheet)}); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

// templateValidation adds a column's drop-down list (its choices), or for
// an integer column a check that the value is a whole number >= 0; every
// one carries the column's help as the message shown on entering a cell.
func templateValidation(f *excelize.File, sheet, col string, c importer.ColumnInfo) error {
	sqref := fmt.Sprintf("%s2:%s%d", col, col, templateRows)
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(sqref)
	switch {
	case len(c.Choices) > 0:
		words := make([]string, len(c.Choices))
		for i, ch := range c.Choices {
			words[i] = ch.Label
		}
		if err := dv.SetDropList(words); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleWarning, c.Header, "Nên chọn một giá trị trong danh sách: "+strings.Join(words, ", "))
	case c.Type == importer.TypeInteger:
		if err := dv.SetRange(0, 2147483647, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, c.Header, "Nhập một số nguyên không âm")
	default:
		return nil
	}
	dv.SetInput(c.Header, truncate(c.Help, 250))
	return f.AddDataValidation(sheet, dv)
}

// truncate cuts s to n characters (Excel's limit on a validation's
// message is 255).
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// templateHelp writes the sheet that explains the columns.
func templateHelp(f *excelize.File, st listStyles, kind string, cols []importer.ColumnInfo) error {
	sheet := TemplateSheetHelp
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "Arial", Size: 10},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	headers := []string{"Cột", "Tên cột chuẩn", "Bắt buộc", "Kiểu dữ liệu", "Giá trị được chọn", "Giải thích"}
	for i, w := range []float64{28, 24, 10, 26, 40, 70} {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, name, name, w); err != nil {
			return err
		}
	}
	for i, h := range headers {
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(sheet, ref, h); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sheet, "A1", "F1", st.header); err != nil {
		return err
	}
	for r, c := range cols {
		required := "Không"
		if c.Required {
			required = "Có"
		}
		var words []string
		for _, ch := range c.Choices {
			words = append(words, ch.Label)
		}
		vals := []string{c.Header, c.Name, required, TypeNameVI(c), strings.Join(words, ", "), c.Help}
		for i, v := range vals {
			ref, _ := excelize.CoordinatesToCellName(i+1, r+2)
			if err := f.SetCellStr(sheet, ref, v); err != nil {
				return err
			}
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(headers), len(cols)+1)
	if err := f.SetCellStyle(sheet, "A2", last, wrap); err != nil {
		return err
	}
	notes := []string{
		"Ghi mỗi bản ghi trên một dòng của trang đầu tiên, dưới dòng tiêu đề; không đổi tên cột. Cột STT và Ghi chú (nếu thêm) được bỏ qua.",
		"Số CCCD/CMND, mã số thuế và các mã khác đã được định dạng văn bản: gõ đủ các số 0 ở đầu.",
		"Ngày ghi theo dạng dd/mm/yyyy. Tệp được nhập tất cả hoặc không: nếu có dòng sai, không dòng nào được ghi và mọi lỗi được liệt kê.",
	}
	for i, n := range notes {
		ref, _ := excelize.CoordinatesToCellName(1, len(cols)+3+i)
		if err := f.SetCellStr(sheet, ref, n); err != nil {
			return err
		}
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}})
}
