package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"congdoan/internal/domain"
	"congdoan/internal/msg"
)

// The limits of an import file (README, "Import limits"). They bound the
// memory and the time one file can take, whatever it holds.
const (
	// maxCellBytes is the most bytes a cell may hold (Excel's own limit is
	// 32 767 characters).
	maxCellBytes = 32 << 10
	// maxRowBytes is the most bytes of one CSV record.
	maxRowBytes = 1 << 20
	// maxSheetXML is the most bytes of the first sheet's XML once unzipped,
	// maxSharedStrings those of its shared strings, maxPartXML those of
	// each other part the import reads (workbook, relations, styles).
	maxSheetXML      = 512 << 20
	maxSharedStrings = 128 << 20
	maxPartXML       = 16 << 20
	// maxXMLRun is the most bytes of sheet XML between two '<': no cell's
	// text or tag is longer.
	maxXMLRun = 1 << 20
	// maxEmptyRun is the most empty rows of a sheet (rows of cells with a
	// style and no value) before a row with data. Empty rows after the
	// last data row are skipped however many.
	maxEmptyRun = 10_000
)

// DefaultMaxRows is the most rows a file may have, blank rows included,
// unless Importer.MaxRows says otherwise (an XLSX sheet has at most
// 1 048 576 anyway). Uploads keep it; the command line may raise it for a
// national file.
const DefaultMaxRows = 2_000_000

// Field lengths, in characters.
const (
	maxName    = 200
	maxAddress = 500
	maxCode    = 64
	maxText    = 500
)

// MaxTextLen is the most characters of a free text that goes with a record
// but is no column of it (the reason of an edit, in the audit log).
const MaxTextLen = maxText

// quoteMax is how many characters of a value an error message quotes.
const quoteMax = 40

// fieldLimit is the most characters a column's value may have.
func fieldLimit(col string) int {
	switch col {
	case "name", "full_name", "class_name":
		return maxName
	case "address":
		return maxAddress
	case "area", "source":
		return maxText
	}
	if idColumns[col] || codeColumns[col] {
		return maxCode
	}
	// Dates, numbers and choices: a code's length is ample.
	return maxCode
}

// clip is the start of a value as error messages quote it: at most
// quoteMax characters, then "…".
func clip(s string) string { return domain.Clip(s, quoteMax) }

// badCell is an error of one cell found while reading a file: index is
// the cell's position in its row (0 for the first), -1 when not known.
type badCell struct {
	index int
	text  msg.Text
}

func (e *badCell) Error() string  { return e.text.String() }
func (e *badCell) Text() msg.Text { return e.text }
func cellErr(i int, key string, args ...any) error {
	return &badCell{index: i, text: msg.New(key, args...)}
}

// errColumn names the column of an error of the table's reading: the
// column of the cell at fault, or "file".
func errColumn(err error, index []string) string {
	var bc *badCell
	if !errors.As(err, &bc) || bc.index < 0 {
		return "file"
	}
	if bc.index < len(index) && index[bc.index] != "" {
		return index[bc.index]
	}
	return fmt.Sprintf("column %d", bc.index+1)
}

// checkText finds what makes a cell's text unfit to store: bytes that
// are not UTF-8, NUL, and control characters other than tab, line feed
// and carriage return (C0, DEL and C1: C1 characters are what legacy
// text decoded as Latin-1 looks like). It gives the message and whether
// there is one.
func checkText(s string) (msg.Text, bool) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == 0:
				return msg.New("cell.nul"), true
			case c == '\t' || c == '\n' || c == '\r':
			case c < 0x20 || c == 0x7f:
				return msg.New("cell.control", fmt.Sprintf("U+%04X", c)), true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return msg.New("file.not_utf8"), true
		}
		if r >= 0x80 && r <= 0x9f {
			return msg.New("cell.control", fmt.Sprintf("U+%04X", r)), true
		}
		i += n
	}
	return msg.Text{}, false
}

// checkCells checks the cells of a row read from a file: their size and
// their text. The first bad cell ends the reading of the file (a legacy
// encoded file would otherwise give an error on every row).
func checkCells(cells []string) error {
	for i, c := range cells {
		if len(c) > maxCellBytes {
			return cellErr(i, "cell.too_large", maxCellBytes>>10)
		}
		if t, bad := checkText(c); bad {
			return &badCell{index: i, text: t}
		}
	}
	return nil
}

// cell checks the value of column col of the row, as read (a file, a
// form, an API record): its text, its line breaks and its length. A value
// at fault fails the row, and is kept as its quoted start, so that no
// later message repeats it whole.
func (r *row) cell(col, v string) string {
	if t, bad := checkText(v); bad {
		r.failText(col, t)
		return ""
	}
	// Line breaks and tabs are text (RFC 4180 quotes them: an address or a
	// name written on two lines of a cell); codes and dates refuse them by
	// their own rules.
	s := strings.TrimSpace(v)
	if n := utf8.RuneCountInString(s); n > fieldLimit(col) {
		r.fail(col, "cell.too_long", msg.Count(n), msg.Count(fieldLimit(col)), clip(s))
		return clip(s)
	}
	return v
}

// csvGuard stands between a CSV file and encoding/csv, which would read a
// cell of any size whole: it follows the records (quotes, commas, line
// ends) and stops the reading at a cell above maxCellBytes, a record above
// maxRowBytes or a record beyond maxRows, naming the row and the cell.
type csvGuard struct {
	r       io.Reader
	maxRows int
	// line is the line the reading is on, recLine the line the current
	// record began on, records the records begun (blank ones included).
	line, recLine, records int
	// fresh: the next byte begins a record.
	fresh, quoted     bool
	field, fieldBytes int
	recBytes          int
	err               error
}

func newCSVGuard(r io.Reader, maxRows int) *csvGuard {
	return &csvGuard{r: r, maxRows: maxRows, line: 1, fresh: true}
}

func (g *csvGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	for i := 0; i < n; i++ {
		if g.fresh {
			g.fresh = false
			g.recLine = g.line
			if g.records++; g.records > g.maxRows {
				g.err = &guardError{line: g.line, err: cellErr(-1, "file.too_many_rows", msg.Count(g.maxRows))}
				return i, g.err
			}
		}
		switch b := p[i]; {
		case b == '"':
			g.quoted = !g.quoted
		case b == '\n':
			g.line++
			if !g.quoted {
				g.field, g.fieldBytes, g.recBytes = 0, 0, 0
				g.fresh = true
				continue
			}
		case b == ',' && !g.quoted:
			g.field++
			g.fieldBytes = 0
		}
		g.fieldBytes++
		g.recBytes++
		switch {
		case g.fieldBytes > maxCellBytes:
			g.err = &guardError{line: g.recLine, err: cellErr(g.field, "cell.too_large", maxCellBytes>>10)}
		case g.recBytes > maxRowBytes:
			g.err = &guardError{line: g.recLine, err: cellErr(-1, "file.row_too_large", maxRowBytes>>20)}
		}
		if g.err != nil {
			return i, g.err
		}
	}
	return n, err
}

// guardError is an error of a limit on the record (CSV) or row (XLSX) of
// line.
type guardError struct {
	line int
	err  error
}

func (e *guardError) Error() string  { return e.err.Error() }
func (e *guardError) Unwrap() error  { return e.err }
func (e *guardError) Text() msg.Text { return msg.Of(e.err) }

// runGuard stands between a sheet's XML and the decoder: no run of bytes
// without a '<' (a cell's text, a tag) may pass maxXMLRun, so that no
// token the decoder makes is larger.
type runGuard struct {
	r   io.Reader
	run int
}

var errXMLRun = msg.Errorf("file.xml_run", maxXMLRun>>20)

func (g *runGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	// Reads come through a bufio.Reader of 64 KiB: a run inside one read
	// is shorter than the limit; only the run across reads counts.
	if j := bytes.LastIndexByte(p[:n], '<'); j < 0 {
		g.run += n
	} else {
		g.run = n - j - 1
	}
	if g.run > maxXMLRun {
		return n, errXMLRun
	}
	return n, err
}
