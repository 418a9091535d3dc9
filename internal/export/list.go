package export

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"congdoan/internal/domain"
	"congdoan/internal/importer"
)

// Lists: the records of an import kind, or a list of a page, written out as
// an XLSX sheet or a CSV file, a row at a time, so that memory stays flat
// however long the list (650 000 members).

// The list formats and the CSV media type.
const (
	FormatXLSX     = "xlsx"
	FormatCSV      = "csv"
	ContentTypeCSV = "text/csv; charset=utf-8"
)

// ContentType is the media type of a list format.
func ContentType(format string) string {
	if format == FormatCSV {
		return ContentTypeCSV
	}
	return ContentTypeXLSX
}

// ListColumn is a column of a list: its header, what it holds (numbers are
// written as numbers, dates as dates, codes as text) and its width in
// characters (0: a default).
type ListColumn struct {
	Header string
	Type   importer.ColumnType
	Width  float64
}

// ListColumns are the columns of an import kind, headed in Vietnamese.
func ListColumns(kind string) []ListColumn {
	var out []ListColumn
	for _, c := range importer.Columns(kind) {
		out = append(out, ListColumn{Header: c.Header, Type: c.Type, Width: columnWidth(c)})
	}
	return out
}

func columnWidth(c importer.ColumnInfo) float64 {
	switch {
	case c.Type == importer.TypeDate:
		return 13
	case c.Type == importer.TypeInteger:
		return 12
	case c.ID:
		return 16
	case c.Name == "name" || c.Name == "full_name" || c.Name == "address":
		return 36
	}
	return float64(max(14, min(30, len([]rune(c.Header))+4)))
}

// ListWriter writes the rows of a list. Row takes one value a column:
// a string, an int64, a domain.Date, or nil for an empty cell.
type ListWriter interface {
	Row(values ...any) error
	// Close ends the list and writes what is left of it.
	Close() error
}

// NewList starts a list in format (FormatXLSX or FormatCSV) on w, with a
// header row. sheet names the XLSX sheet.
func NewList(w io.Writer, format, sheet string, cols []ListColumn) (ListWriter, error) {
	switch format {
	case FormatCSV:
		return newCSVList(w, cols)
	case FormatXLSX:
		return newXLSXList(w, sheet, cols)
	}
	return nil, fmt.Errorf("định dạng %[1]q: chọn xlsx hoặc csv (format %[1]q: one of xlsx, csv)", format)
}

// FormatOf is the list format of a file name (.xlsx or .csv), or "".
func FormatOf(name string) string {
	switch {
	case strings.HasSuffix(strings.ToLower(name), ".xlsx"):
		return FormatXLSX
	case strings.HasSuffix(strings.ToLower(name), ".csv"):
		return FormatCSV
	}
	return ""
}

// formulaLead tells a text that a spreadsheet would take for a formula
// (= + - @ first).
func formulaLead(s string) bool {
	return s != "" && strings.ContainsRune("=+-@", rune(s[0]))
}

// NeutraliseCSV makes a text value of a CSV file safe from formula
// injection: one starting with = + - or @ gets a leading apostrophe, which
// Excel and LibreOffice take as "this cell is text" (the cell shows the
// value without it), and is quoted by the writer. The importer gives the
// value back by dropping an apostrophe followed by one of those four
// (importer.UnquoteFormula). A value already starting with an apostrophe
// and one of them gets a second one, so that the round trip keeps it.
func NeutraliseCSV(s string) string {
	if formulaLead(s) || (strings.HasPrefix(s, "'") && formulaLead(strings.TrimLeft(s, "'"))) {
		return "'" + s
	}
	return s
}

// csvList writes RFC 4180 CSV, UTF-8 with a BOM (so that Excel reads the
// Vietnamese letters), CRLF line ends, dates as dd/mm/yyyy.
type csvList struct {
	w    *bufio.Writer
	cols []ListColumn
	line []byte
}

func newCSVList(w io.Writer, cols []ListColumn) (*csvList, error) {
	l := &csvList{w: bufio.NewWriterSize(w, 1<<16), cols: cols}
	l.w.WriteString("\ufeff")
	headers := make([]any, len(cols))
	for i, c := range cols {
		headers[i] = c.Header
	}
	return l, l.Row(headers...)
}

func (l *csvList) Row(values ...any) error {
	l.line = l.line[:0]
	for i, v := range values {
		if i > 0 {
			l.line = append(l.line, ',')
		}
		switch v := v.(type) {
		case nil:
		case string:
			quote := false
			if n := NeutraliseCSV(v); n != v {
				v, quote = n, true
			}
			if quote || strings.ContainsAny(v, ",\"\r\n") || strings.HasPrefix(v, " ") || strings.HasSuffix(v, " ") {
				l.line = append(l.line, '"')
				l.line = append(l.line, strings.ReplaceAll(v, `"`, `""`)...)
				l.line = append(l.line, '"')
			} else {
				l.line = append(l.line, v...)
			}
		case int64:
			l.line = strconv.AppendInt(l.line, v, 10)
		case int:
			l.line = strconv.AppendInt(l.line, int64(v), 10)
		case domain.Date:
			l.line = append(l.line, v.VN()...)
		default:
			return fmt.Errorf("list: a value of type %T", v)
		}
	}
	l.line = append(l.line, '\r', '\n')
	_, err := l.w.Write(l.line)
	return err
}

func (l *csvList) Close() error { return l.w.Flush() }

// xlsxList writes one sheet with excelize's streaming writer: the header
// frozen, an auto-filter over the columns, codes and text as text cells
// (number format "@": never a formula, whatever they start with), numbers
// as numbers, dates as dates shown dd/mm/yyyy.
type xlsxList struct {
	out    io.Writer
	f      *excelize.File
	sw     *excelize.StreamWriter
	sheet  string
	cols   []ListColumn
	styles []int // a column's cell style
	row    int
	cells  []any
}

// listStyles are the styles of a list's header and of its cells by type.
type listStyles struct {
	header, text, date, integer int
}

func newListStyles(f *excelize.File) (listStyles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1},
		{Type: "top", Color: "A6A6A6", Style: 1}, {Type: "bottom", Color: "A6A6A6", Style: 1},
	}
	font := &excelize.Font{Family: "Arial", Size: 10}
	dateFmt := "dd/mm/yyyy"
	var s listStyles
	var err error
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "Arial", Size: 10, Bold: true, Color: "FFFFFF"}, Border: border,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"2F5496"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}); err != nil {
		return s, err
	}
	if s.text, err = f.NewStyle(&excelize.Style{Font: font, NumFmt: 49}); err != nil { // 49 is "@", text
		return s, err
	}
	if s.date, err = f.NewStyle(&excelize.Style{Font: font, CustomNumFmt: &dateFmt}); err != nil {
		return s, err
	}
	s.integer, err = f.NewStyle(&excelize.Style{Font: font, NumFmt: 3}) // #,##0
	return s, err
}

func (s listStyles) of(t importer.ColumnType) int {
	switch t {
	case importer.TypeDate:
		return s.date
	case importer.TypeInteger:
		return s.integer
	}
	return s.text
}

func newXLSXList(w io.Writer, sheet string, cols []ListColumn) (*xlsxList, error) {
	if sheet == "" {
		sheet = "Danh sách"
	}
	f := excelize.NewFile()
	l := &xlsxList{out: w, f: f, sheet: sheet, cols: cols, cells: make([]any, len(cols))}
	fail := func(err error) (*xlsxList, error) {
		f.Close()
		return nil, err
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fail(err)
	}
	st, err := newListStyles(f)
	if err != nil {
		return fail(err)
	}
	if l.sw, err = f.NewStreamWriter(sheet); err != nil {
		return fail(err)
	}
	header := make([]any, len(cols))
	l.styles = make([]int, len(cols))
	// Last column first: excelize writes the <col> elements in the reverse
	// order of the calls, and Excel wants them in ascending order.
	for i := len(cols) - 1; i >= 0; i-- {
		c := cols[i]
		l.styles[i] = st.of(c.Type)
		width := c.Width
		if width <= 0 {
			width = 16
		}
		if err := l.sw.SetColWidth(i+1, i+1, width); err != nil {
			return fail(err)
		}
		// The column's format holds for the cells people add below.
		if err := l.sw.SetColStyle(i+1, i+1, l.styles[i]); err != nil {
			return fail(err)
		}
		header[i] = excelize.Cell{StyleID: st.header, Value: c.Header}
	}
	if err := l.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return fail(err)
	}
	l.row = 1
	if err := l.sw.SetRow("A1", header, excelize.RowOpts{Height: 30}); err != nil {
		return fail(err)
	}
	return l, nil
}

func (l *xlsxList) Row(values ...any) error {
	if len(values) > len(l.cols) {
		return errors.New("list: more values than columns")
	}
	l.row++
	for i := range l.cells {
		l.cells[i] = nil
	}
	for i, v := range values {
		switch v := v.(type) {
		case nil:
			continue
		case string:
			if v == "" {
				continue
			}
			l.cells[i] = excelize.Cell{StyleID: l.styles[i], Value: v}
		case int64, int:
			l.cells[i] = excelize.Cell{StyleID: l.styles[i], Value: v}
		case domain.Date:
			if v.IsZero() {
				continue
			}
			l.cells[i] = excelize.Cell{StyleID: l.styles[i], Value: v.Time()}
		default:
			return fmt.Errorf("list: a value of type %T", v)
		}
	}
	cell, err := excelize.CoordinatesToCellName(1, l.row)
	if err != nil {
		return err
	}
	return l.sw.SetRow(cell, l.cells)
}

func (l *xlsxList) Close() error {
	defer l.f.Close()
	last, err := excelize.CoordinatesToCellName(len(l.cols), max(l.row, 2))
	if err != nil {
		return err
	}
	// The worksheet's autoFilter element is written by Flush, after the
	// rows: set before it, it lands in the streamed sheet.
	if err := l.f.AutoFilter(l.sheet, "A1:"+last, nil); err != nil {
		return err
	}
	if err := l.sw.Flush(); err != nil {
		return err
	}
	if err := l.f.SetDocProps(&excelize.DocProperties{Creator: "Congdoan", Language: "vi-VN", Title: l.sheet}); err != nil {
		return err
	}
	_, err = l.f.WriteTo(l.out)
	return err
}
