package importer

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"congdoan/internal/domain"
	"congdoan/internal/msg"
)

// cellKind is what a cell of a file held, beyond its text.
type cellKind uint8

const (
	cellText cellKind = iota
	// cellNumber: an XLSX number cell (not a date cell), read as its digits.
	cellNumber
	// cellNoValue: an XLSX formula cell without a cached value.
	cellNoValue
	// cellError: an XLSX cell holding a formula error (#N/A, #REF!, ...).
	cellError
)

// table streams the rows of a CSV file or of the first sheet of an XLSX
// file, one at a time, so that memory stays flat however long the file.
type table interface {
	// next returns the cells of the next non-blank row and its line number
	// (the row's number in the file), or io.EOF.
	next() ([]string, int, error)
	// kind tells what cell i of the row next returned last held.
	kind(i int) cellKind
	// excel reports whether numbers in date columns are date serials.
	excel() bool
	// form reports a table of rows given in memory (a form, one API
	// record): every row counts there, even a blank one.
	form() bool
	close() error
}

// Messages for files that are not what they claim, each saying what to do.
var (
	errXLS           = msg.Errorf("file.xls")
	errODS           = msg.Errorf("file.ods")
	errEncrypted     = msg.Errorf("file.encrypted")
	errUTF16         = msg.Errorf("file.utf16")
	errWorkbookAsCSV = msg.Errorf("file.workbook_as_csv")
)

// utf16Like tells text in UTF-16 by its first bytes: every other byte of
// Latin text is then zero. A stray NUL in UTF-8 text is not UTF-16 (it is
// refused on its row and column instead).
func utf16Like(head []byte) bool {
	zeros := bytes.Count(head, []byte{0})
	return len(head) >= 2 && zeros > 0 && zeros >= len(head)/4
}

// oleMagic starts a Compound File: an old .xls workbook, or an encrypted
// .xlsx one.
var oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// sniff reads the first bytes of a file.
func sniff(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, msg.Errorf("file.cannot_open", err.Error())
	}
	defer f.Close()
	b := make([]byte, n)
	k, err := io.ReadFull(f, b)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, msg.Errorf("file.cannot_read", err.Error())
	}
	return b[:k], nil
}

// compoundFileError says what a Compound File named .xlsx or .xls is: an
// encrypted workbook holds an EncryptionInfo stream (its name is stored in
// UTF-16 in the file's directory).
func compoundFileError(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return msg.Errorf("file.cannot_read", err.Error())
	}
	if bytes.Contains(b, utf16le("EncryptionInfo")) || bytes.Contains(b, utf16le("EncryptedPackage")) {
		return errEncrypted
	}
	return errXLS
}

func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, s[i], 0)
	}
	return b
}

// isODS tells an OpenDocument spreadsheet: a zip archive whose mimetype
// entry says so.
func isODS(path string) bool {
	z, err := zip.OpenReader(path)
	if err != nil {
		return false
	}
	defer z.Close()
	for _, f := range z.File {
		if f.Name == "mimetype" {
			rc, err := f.Open()
			if err != nil {
				return false
			}
			b, _ := io.ReadAll(io.LimitReader(rc, 200))
			rc.Close()
			return strings.Contains(string(b), "opendocument.spreadsheet")
		}
	}
	return false
}

// openTable opens a .csv or .xlsx file by its extension, and tells what to
// do with the files people mistake for them (.xls, .ods, encrypted
// workbooks, UTF-16 text). A file of more than maxRows rows is refused.
func openTable(path string, maxRows int) (table, error) {
	head, err := sniff(path, 512)
	if err != nil {
		return nil, err
	}
	zipped := bytes.HasPrefix(head, []byte("PK\x03\x04"))
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		switch {
		case bytes.HasPrefix(head, []byte{0xff, 0xfe}), bytes.HasPrefix(head, []byte{0xfe, 0xff}), utf16Like(head) && !bytes.HasPrefix(head, oleMagic) && !zipped:
			return nil, errUTF16
		case zipped, bytes.HasPrefix(head, oleMagic):
			return nil, errWorkbookAsCSV
		}
		return openCSV(path, maxRows)
	case ".xlsx", ".xlsm":
		switch {
		case bytes.HasPrefix(head, oleMagic):
			return nil, compoundFileError(path)
		case zipped && isODS(path):
			return nil, errODS
		}
		return openXLSX(path, maxRows)
	case ".xls":
		if zipped && !isODS(path) {
			return openXLSX(path, maxRows) // a workbook saved as .xlsx, misnamed
		}
		if bytes.HasPrefix(head, oleMagic) {
			return nil, compoundFileError(path)
		}
		return nil, errXLS
	case ".ods":
		return nil, errODS
	}
	return nil, msg.Errorf("file.extension")
}

func openCSV(path string, maxRows int) (table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, msg.Errorf("file.cannot_open", err.Error())
	}
	br := bufio.NewReaderSize(f, 1<<16)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	g := newCSVGuard(br, maxRows)
	r := csv.NewReader(g)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	return &csvTable{f: f, r: r, g: g}, nil
}

func openXLSX(path string, maxRows int) (table, error) {
	// The parts the import reads, checked against their limits and copied
	// (still compressed) into a workbook of their own: excelize reads
	// every part of a package into memory, images and unused sheets
	// included.
	slim, err := slimWorkbook(path)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(slim, excelize.Options{RawCellValue: true,
		UnzipSizeLimit: maxSheetXML + maxSharedStrings + 4*maxPartXML, UnzipXMLSizeLimit: maxPartXML})
	os.Remove(slim)
	if err != nil {
		if errors.Is(err, excelize.ErrWorkbookFileFormat) || errors.Is(err, excelize.ErrWorkbookPassword) {
			return nil, errEncrypted
		}
		return nil, msg.Errorf("file.bad_xlsx")
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, msg.Errorf("file.no_sheet")
	}
	// Our own reading of the sheet's XML goes a row ahead of excelize's:
	// it tells numbers from text, finds formulas without a cached value,
	// bounds what excelize gets to read, and checks that the XML parses
	// to its end (excelize's row iterator drops the decoder's errors).
	types, err := openCellTypes(path, maxRows)
	if err != nil {
		f.Close()
		return nil, msg.Errorf("file.first_sheet", err.Error())
	}
	// Two streams over the sheet in step: raw values, and values as
	// their number format shows them. A number that its format turns
	// into something else than a number is a date cell.
	raw, err := f.Rows(sheets[0])
	if err != nil {
		types.close()
		f.Close()
		return nil, msg.Errorf("file.first_sheet", err.Error())
	}
	shown, err := f.Rows(sheets[0])
	if err != nil {
		raw.Close()
		types.close()
		f.Close()
		return nil, msg.Errorf("file.first_sheet", err.Error())
	}
	return &xlsxTable{f: f, raw: raw, shown: shown, types: types}, nil
}

type csvTable struct {
	f *os.File
	r *csv.Reader
	g *csvGuard
}

func (t *csvTable) next() ([]string, int, error) {
	for {
		rec, err := t.r.Read()
		if err != nil {
			var ge *guardError
			if errors.As(err, &ge) {
				return nil, ge.line, ge.err
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, pe.StartLine, msg.Errorf("file.bad_csv", pe.Err.Error())
			}
			return nil, 0, err
		}
		line, _ := t.r.FieldPos(0)
		if err := checkCells(rec); err != nil {
			return nil, line, err
		}
		blank := true
		for i, c := range rec {
			if strings.TrimSpace(c) != "" {
				blank = false
			}
			// Our own CSV exports neutralise formulas with an apostrophe.
			rec[i] = UnquoteFormula(c)
		}
		if !blank {
			return rec, line, nil
		}
	}
}

func (t *csvTable) kind(int) cellKind { return cellText }
func (t *csvTable) excel() bool       { return false }
func (t *csvTable) form() bool        { return false }
func (t *csvTable) close() error      { return t.f.Close() }

type xlsxTable struct {
	f          *excelize.File
	raw, shown *excelize.Rows
	types      *cellTypes
	line       int
	kinds      []cellKind
}

func (t *xlsxTable) next() ([]string, int, error) {
	for {
		// Our reader reads and checks the next row element with data
		// before excelize's streams do.
		if err := t.types.fill(); err != nil {
			if errors.Is(err, errXMLRun) {
				return nil, t.types.line, err // the row being read
			}
			var ge *guardError
			if errors.As(err, &ge) {
				return nil, ge.line, ge.err
			}
			var me *msg.Error
			if errors.As(err, &me) {
				return nil, t.line, err
			}
			return nil, t.line, t.sheetError(err)
		}
		if !t.types.have {
			// No data row is left: the rest of the sheet's XML must be
			// well formed; excelize's streams need not read on.
			if err := t.types.finish(); err != nil {
				return nil, t.line, t.sheetError(err)
			}
			return nil, 0, io.EOF
		}
		if !t.raw.Next() || !t.shown.Next() {
			break
		}
		t.line++
		if t.line > t.types.maxRows {
			return nil, t.line, msg.Errorf("file.too_many_rows", msg.Count(t.types.maxRows))
		}
		types := t.types.row(t.line)
		if types == nil {
			// No row element of that number in the sheet: a gap of empty
			// rows, skipped without reading.
			continue
		}
		cols, err := t.raw.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, t.line, msg.Errorf("file.bad_row", err.Error())
		}
		shown, err := t.shown.Columns(excelize.Options{RawCellValue: false})
		if err != nil {
			return nil, t.line, msg.Errorf("file.bad_row", err.Error())
		}
		if err := checkCells(cols); err != nil {
			return nil, t.line, err
		}
		t.kinds = t.kinds[:0]
		empty := true
		for i, c := range cols {
			k := cellText
			ct, typed := types[i]
			switch {
			case typed && ct.formula && !ct.value:
				k = cellNoValue
			case typed && ct.t == "e":
				k = cellError
			case i < len(shown) && dateCell(c, shown[i]) != c:
				cols[i] = dateCell(c, shown[i])
			case typed && (ct.t == "" || ct.t == "n") && c != "":
				k = cellNumber
				cols[i] = numberCell(c)
			}
			t.kinds = append(t.kinds, k)
			if strings.TrimSpace(c) != "" || k == cellNoValue {
				empty = false
			}
		}
		if !empty {
			return cols, t.line, nil
		}
	}
	if err := t.raw.Error(); err != nil {
		return nil, t.line, t.sheetError(err)
	}
	// excelize's streams ended: ours must be at the end of the sheet's
	// data too, with the rest of the XML well formed.
	if err := t.types.finish(); err != nil {
		return nil, t.line, t.sheetError(err)
	}
	return nil, 0, io.EOF
}

// sheetError is the error of a sheet that stops parsing after row
// t.line, the last row read.
func (t *xlsxTable) sheetError(err error) error {
	var me *msg.Error
	if errors.As(err, &me) {
		return err
	}
	return msg.Errorf("file.sheet_broken", t.line, err.Error())
}

func (t *xlsxTable) kind(i int) cellKind {
	if i < len(t.kinds) {
		return t.kinds[i]
	}
	return cellText
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

var allDigits = regexp.MustCompile(`^-?[0-9]+$`)

// numberCell writes a number cell's value as its digits: 1.2E+11 is
// 120000000000 and 25.0 is 25, so that an ID typed as a number reads as
// the ID.
func numberCell(raw string) string {
	if allDigits.MatchString(raw) {
		return raw
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return raw
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func (t *xlsxTable) excel() bool { return true }
func (t *xlsxTable) form() bool  { return false }
func (t *xlsxTable) close() error {
	t.raw.Close()
	t.shown.Close()
	if t.types != nil {
		t.types.close()
	}
	return t.f.Close()
}

// cellType is what the sheet's XML says of a cell: its type attribute
// (t: "" or n number, s shared string, str formula text, inlineStr, b, e
// error, d date), whether it holds a formula and whether a value.
type cellType struct {
	t              string
	formula, value bool
}

// cellTypes streams the first sheet's XML for the cells' types, a row
// element ahead of excelize's streams of their values.
type cellTypes struct {
	z    *zip.ReadCloser
	rc   io.ReadCloser
	dec  *xml.Decoder
	line int // the row the decoder is at
	// ahead holds the row element read ahead, of number aheadLine.
	ahead     map[int]cellType
	aheadLine int
	have      bool
	// done: the decoder is past the end of the sheet's data.
	done bool
	// maxRows is the most rows the sheet may have.
	maxRows int
}

// openCellTypes finds the workbook's first sheet (the package's relations
// lead from the workbook to it) and opens its XML.
func openCellTypes(file string, maxRows int) (*cellTypes, error) {
	z, err := zip.OpenReader(file)
	if err != nil {
		return nil, err
	}
	entries := zipEntries(z)
	parts, err := packageParts(entries)
	if err != nil {
		z.Close()
		return nil, err
	}
	f := entries[parts.sheet]
	rc, err := f.Open()
	if err != nil {
		z.Close()
		return nil, err
	}
	return &cellTypes{z: z, rc: rc, maxRows: maxRows, dec: xml.NewDecoder(bufio.NewReaderSize(&runGuard{r: rc}, 1<<16))}, nil
}

func zipEntries(z *zip.ReadCloser) map[string]*zip.File {
	entries := map[string]*zip.File{}
	for _, f := range z.File {
		entries[strings.TrimPrefix(strings.ReplaceAll(f.Name, `\`, "/"), "/")] = f
	}
	return entries
}

func readXML(entries map[string]*zip.File, name string, v any) error {
	f := entries[name]
	if f == nil {
		return fmt.Errorf("no part %s", name)
	}
	if f.UncompressedSize64 > maxPartXML {
		return partTooLarge(name, f.UncompressedSize64, maxPartXML)
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(io.LimitReader(rc, maxPartXML)).Decode(v)
}

func partTooLarge(name string, size uint64, limit int) error {
	return msg.Errorf("file.part_too_large", name, msg.Count((size+(1<<20)-1)>>20), msg.Count(limit>>20))
}

type xmlRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// target resolves a relation's target against the folder of its source.
func target(dir, t string) string {
	if strings.HasPrefix(t, "/") {
		return strings.TrimPrefix(t, "/")
	}
	return path.Clean(path.Join(dir, t))
}

// parts are the parts of a workbook package the import reads.
type parts struct {
	sheet, workbook, workbookRels string
	// shared strings and styles, "" when the package has none.
	strings, styles string
}

// packageParts finds the parts the import reads: the workbook, its
// relations, its first sheet, shared strings and styles.
func packageParts(entries map[string]*zip.File) (parts, error) {
	p := parts{workbook: "xl/workbook.xml"}
	var root xmlRels
	if readXML(entries, "_rels/.rels", &root) == nil {
		for _, r := range root.Rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				p.workbook = target("", r.Target)
			}
		}
	}
	var wb struct {
		Sheets []struct {
			Attrs []xml.Attr `xml:",any,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := readXML(entries, p.workbook, &wb); err != nil {
		return p, err
	}
	if len(wb.Sheets) == 0 {
		return p, errors.New("no sheet")
	}
	id := ""
	for _, a := range wb.Sheets[0].Attrs {
		if a.Name.Local == "id" && a.Name.Space != "" {
			id = a.Value
		}
	}
	dir := path.Dir(p.workbook)
	p.workbookRels = path.Join(dir, "_rels", path.Base(p.workbook)+".rels")
	var rels xmlRels
	if err := readXML(entries, p.workbookRels, &rels); err != nil {
		return p, err
	}
	for _, r := range rels.Rels {
		switch {
		case r.ID == id:
			p.sheet = target(dir, r.Target)
		case strings.HasSuffix(r.Type, "/sharedStrings"):
			p.strings = target(dir, r.Target)
		case strings.HasSuffix(r.Type, "/styles"):
			p.styles = target(dir, r.Target)
		}
	}
	if p.sheet == "" {
		return p, fmt.Errorf("no relation %s", id)
	}
	f := entries[p.sheet]
	if f == nil {
		return p, fmt.Errorf("no part %s", p.sheet)
	}
	if f.UncompressedSize64 > maxSheetXML {
		return p, partTooLarge(p.sheet, f.UncompressedSize64, maxSheetXML)
	}
	if f := entries[p.strings]; f != nil && f.UncompressedSize64 > maxSharedStrings {
		return p, partTooLarge(p.strings, f.UncompressedSize64, maxSharedStrings)
	}
	if f := entries[p.styles]; f != nil && f.UncompressedSize64 > maxPartXML {
		return p, partTooLarge(p.styles, f.UncompressedSize64, maxPartXML)
	}
	return p, nil
}

// slimWorkbook copies the parts of an XLSX file the import reads, still
// compressed, into a temporary file, whose path it returns; the caller
// removes it. Every other part (images, other sheets, anything hidden in
// the package) is left out unread.
func slimWorkbook(file string) (string, error) {
	z, err := zip.OpenReader(file)
	if err != nil {
		return "", msg.Errorf("file.bad_xlsx")
	}
	defer z.Close()
	entries := zipEntries(z)
	p, err := packageParts(entries)
	if err != nil {
		var me *msg.Error
		if errors.As(err, &me) {
			return "", err
		}
		return "", msg.Errorf("file.first_sheet", err.Error())
	}
	out, err := os.CreateTemp("", "congdoan-xlsx-*.xlsx")
	if err != nil {
		return "", err
	}
	w := zip.NewWriter(out)
	keep := []string{"[Content_Types].xml", "_rels/.rels", p.workbook, p.workbookRels, p.sheet, p.strings, p.styles}
	for _, name := range keep {
		f := entries[name]
		if name == "" || f == nil {
			continue
		}
		err = func() error {
			if f.UncompressedSize64 > maxSheetXML {
				return partTooLarge(name, f.UncompressedSize64, maxSheetXML)
			}
			rc, err := f.OpenRaw()
			if err != nil {
				return err
			}
			fh := f.FileHeader
			fh.Name = name
			dst, err := w.CreateRaw(&fh)
			if err != nil {
				return err
			}
			_, err = io.Copy(dst, rc)
			return err
		}()
		if err != nil {
			break
		}
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		var me *msg.Error
		if errors.As(err, &me) {
			return "", err
		}
		return "", msg.Errorf("file.bad_xlsx")
	}
	return out.Name(), nil
}

// fill reads the next row element that holds a value or a formula,
// unless one is held or the sheet's data has ended. Empty row elements
// (cells with a style and nothing else) are skipped here, so that
// excelize's streams never read those after the last data row; more
// than maxEmptyRun of them before a data row is an error.
func (c *cellTypes) fill() error {
	if c.have || c.done {
		return nil
	}
	empty := 0
	for {
		line, cells, err := c.readRow()
		if err != nil {
			return err
		}
		if line == 0 {
			c.done = true
			return nil
		}
		if line > c.maxRows {
			return &guardError{line: line, err: msg.Errorf("file.too_many_rows", msg.Count(c.maxRows))}
		}
		if !hasValue(cells) {
			empty++
			continue
		}
		if empty > maxEmptyRun {
			return msg.Errorf("file.empty_rows", msg.Count(empty), line)
		}
		c.ahead, c.aheadLine, c.have = cells, line, true
		return nil
	}
}

func hasValue(cells map[int]cellType) bool {
	for _, ct := range cells {
		if ct.value || ct.formula {
			return true
		}
	}
	return false
}

// row gives the types of the cells of row n (numbered from 1) by column
// index (from 0), nil when the sheet has no row element of that number;
// rows must be asked for in increasing order, each after fill.
func (c *cellTypes) row(n int) map[int]cellType {
	if c.have && c.aheadLine <= n {
		c.have = false
		if c.aheadLine == n {
			return c.ahead
		}
	}
	return nil
}

// finish checks that the sheet's data ended with no row left over, then
// reads the rest of the sheet's XML to its end.
func (c *cellTypes) finish() error {
	if err := c.fill(); err != nil {
		return err
	}
	if c.have {
		return fmt.Errorf("row %d was not read", c.aheadLine)
	}
	for {
		_, err := c.dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// readRow reads the next row element: its number and cells; 0, nil at
// the end of the sheet's data. The XML ending before that is an error.
func (c *cellTypes) readRow() (int, map[int]cellType, error) {
	for {
		tok, err := c.dec.Token()
		if err == io.EOF {
			return 0, nil, io.ErrUnexpectedEOF
		}
		if err != nil {
			return 0, nil, err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Local != "row" {
				continue
			}
			c.line++
			for _, a := range el.Attr {
				if a.Name.Local == "r" {
					if n, err := strconv.Atoi(a.Value); err == nil {
						c.line = n
					}
				}
			}
			cells, err := c.readCells()
			return c.line, cells, err
		case xml.EndElement:
			if el.Name.Local == "sheetData" {
				return 0, nil, nil
			}
		}
	}
}

// readCells reads the c elements of a row up to its end.
func (c *cellTypes) readCells() (map[int]cellType, error) {
	cells := map[int]cellType{}
	col := -1
	for {
		tok, err := c.dec.Token()
		if err != nil {
			return cells, err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Local != "c" {
				if err := c.dec.Skip(); err != nil {
					return cells, err
				}
				continue
			}
			col++
			var ct cellType
			for _, a := range el.Attr {
				switch a.Name.Local {
				case "r":
					if x, _, err := excelize.CellNameToCoordinates(a.Value); err == nil {
						col = x - 1
					}
				case "t":
					ct.t = a.Value
				}
			}
			if err := c.readCell(&ct); err != nil {
				return cells, err
			}
			cells[col] = ct
		case xml.EndElement:
			if el.Name.Local == "row" {
				return cells, nil
			}
		}
	}
}

func (c *cellTypes) readCell(ct *cellType) error {
	for {
		tok, err := c.dec.Token()
		if err != nil {
			return err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "f":
				ct.formula = true
			case "v", "is":
				ct.value = true
			}
			if err := c.dec.Skip(); err != nil {
				return err
			}
		case xml.EndElement:
			if el.Name.Local == "c" {
				return nil
			}
		}
	}
}

func (c *cellTypes) close() {
	c.rc.Close()
	c.z.Close()
}
