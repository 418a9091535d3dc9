package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"congdoan/internal/domain"
)

// table streams the rows of a CSV file or of the first sheet of an XLSX
// file, one at a time, so that memory stays flat however long the file.
type table interface {
	// next returns the cells of the next non-empty row and its line number
	// (the header is line 1), or io.EOF.
	next() ([]string, int, error)
	// excel reports whether numbers in date columns are date serials.
	excel() bool
	close() error
}

// openTable opens a .csv or .xlsx file by its extension.
func openTable(path string) (table, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("không mở được tệp (%w)", err)
		}
		br := bufio.NewReaderSize(f, 1<<16)
		if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
			br.Discard(3)
		}
		r := csv.NewReader(br)
		r.FieldsPerRecord = -1
		r.ReuseRecord = true
		return &csvTable{f: f, r: r}, nil
	case ".xlsx":
		f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, errors.New("không đọc được tệp XLSX (not a readable XLSX file)")
		}
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			f.Close()
			return nil, errors.New("tệp Excel không có trang tính nào (the workbook has no sheet)")
		}
		// Two streams over the sheet in step: raw values, and values as
		// their number format shows them. A number that its format turns
		// into something else than a number is a date cell.
		raw, err := f.Rows(sheets[0])
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("không đọc được trang tính đầu tiên (read the first sheet: %w)", err)
		}
		shown, err := f.Rows(sheets[0])
		if err != nil {
			raw.Close()
			f.Close()
			return nil, fmt.Errorf("không đọc được trang tính đầu tiên (read the first sheet: %w)", err)
		}
		return &xlsxTable{f: f, raw: raw, shown: shown}, nil
	}
	return nil, errors.New("tệp phải là .csv hoặc .xlsx (the file must be .csv or .xlsx)")
}

type csvTable struct {
	f *os.File
	r *csv.Reader
}

func (t *csvTable) next() ([]string, int, error) {
	rec, err := t.r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, pe.StartLine, fmt.Errorf("tệp CSV sai định dạng (malformed CSV: %v)", pe.Err)
		}
		return nil, 0, err
	}
	line, _ := t.r.FieldPos(0)
	return rec, line, nil
}

func (t *csvTable) excel() bool  { return false }
func (t *csvTable) close() error { return t.f.Close() }

type xlsxTable struct {
	f          *excelize.File
	raw, shown *excelize.Rows
	line       int
}

func (t *xlsxTable) next() ([]string, int, error) {
	for t.raw.Next() && t.shown.Next() {
		t.line++
		cols, err := t.raw.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, t.line, fmt.Errorf("không đọc được dòng (unreadable row: %v)", err)
		}
		shown, err := t.shown.Columns(excelize.Options{RawCellValue: false})
		if err != nil {
			return nil, t.line, fmt.Errorf("không đọc được dòng (unreadable row: %v)", err)
		}
		empty := true
		for i, c := range cols {
			if i < len(shown) {
				cols[i] = dateCell(c, shown[i])
			}
			if strings.TrimSpace(c) != "" {
				empty = false
			}
		}
		if !empty {
			return cols, t.line, nil
		}
	}
	if err := t.raw.Error(); err != nil {
		return nil, t.line, fmt.Errorf("không đọc được trang tính (unreadable sheet: %v)", err)
	}
	return nil, 0, io.EOF
}

// dateCell turns a date cell (a number shown through a date format) into
// YYYY-MM-DD; any other cell keeps its raw value, so a plain number in a
// date column stays a number and is refused there.
func dateCell(raw, shown string) string {
	serial, err := strconv.ParseFloat(raw, 64)
	if err != nil || raw == shown || serial < 1 || serial > 2958465 {
		return raw
	}
	if _, err := strconv.ParseFloat(strings.ReplaceAll(shown, ",", ""), 64); err == nil {
		return raw // a number format such as 0.00 or #,##0
	}
	if strings.HasSuffix(shown, "%") {
		return raw
	}
	return domain.FromExcelSerial(math.Floor(serial)).String()
}

func (t *xlsxTable) excel() bool { return true }
func (t *xlsxTable) close() error {
	t.raw.Close()
	t.shown.Close()
	return t.f.Close()
}
