package importer

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"congdoan/internal/msg"
)

// readAll writes content to the file p and reads it through openTable to
// its end or its first error: it must not panic, every row it gives must
// pass the cell checks, and every error must be a typed message. A fuzz
// worker runs its inputs one at a time, so they share p: a directory made
// and removed per input costs more than most inputs' reading.
func readAll(t *testing.T, p string, content []byte) {
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	tb, err := openTable(p, DefaultMaxRows)
	if err != nil {
		if msg.Of(err).IsZero() {
			t.Fatalf("open: an error without a message: %v", err)
		}
		return
	}
	defer tb.close()
	for n := 0; n < 100000; n++ {
		cells, _, err := tb.next()
		if err == io.EOF {
			return
		}
		if err != nil {
			if msg.Of(err).Key == "raw" || msg.Of(err).IsZero() {
				t.Fatalf("an untyped error: %v", err)
			}
			return
		}
		if err := checkCells(cells); err != nil {
			t.Fatalf("a row given with a bad cell: %v", err)
		}
	}
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte("code,name,kind\nHN,Hà Nội,federation\n"))
	f.Add([]byte("\xef\xbb\xbfcode,name\n\"a,b\",\"c\"\"d\"\n"))
	f.Add([]byte("code,name\nHN,H\xe0 N\xf4i\n"))
	f.Add([]byte("code,name\nHN,\"Hà\nNội\"\n,,\n"))
	p := filepath.Join(f.TempDir(), "f.csv")
	f.Fuzz(func(t *testing.T, b []byte) {
		readAll(t, p, b)
	})
}

// workbookParts are the parts of a minimal XLSX package but its sheet.
var workbookParts = [][2]string{
	{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`},
	{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
	{"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`},
	{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
}

// workbook is a small XLSX package whose first sheet's XML is sheet. Its
// parts are stored, not deflated: a deflate writer sets up tables of
// hundreds of kilobytes per part, which cost the fuzzer more than reading
// the sheet, and the flate pools of archive/zip hit or miss with the
// garbage collector, which makes the coverage of one input vary from run
// to run (the fuzzer then spends its time on inputs that seem new).
func workbook(sheet []byte) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	add := func(name string, b []byte) {
		w, _ := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		w.Write(b)
	}
	for _, p := range workbookParts {
		add(p[0], []byte(p[1]))
	}
	add("xl/worksheets/sheet1.xml", sheet)
	z.Close()
	return buf.Bytes()
}

// sheetHead and sheetTail wrap the rows of a sheet.
const (
	sheetHead = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	sheetTail = `</sheetData></worksheet>`
)

// sheetXML makes a sheet's XML of a fuzz input: its rows wrapped whole
// (mode 0), cut after the rows as a truncated file is (mode 1), or the
// input as the whole sheet (any other mode). Wrapping keeps the inputs
// short: the fuzzer minimizes each input that finds new code by trying
// each of its sub-slices, a cost that grows with the square of its
// length, and a namespace repeated in every input made that take all of
// a short run.
func sheetXML(mode uint8, rows []byte) []byte {
	switch mode % 3 {
	case 0:
		return append(append([]byte(sheetHead), rows...), sheetTail...)
	case 1:
		return append([]byte(sheetHead), rows...)
	}
	return rows
}

func FuzzXLSX(f *testing.F) {
	f.Add(uint8(0), []byte(`<row><c t="inlineStr"><is><t>code</t></is></c></row><row><c><v>12</v></c><c t="str"><f>A2</f><v>x</v></c></row>`))
	f.Add(uint8(1), []byte(`<row r="1"><c r="A1" t="inlineStr"><is><t>co`))
	f.Add(uint8(0), []byte(`<row r="3"><c r="C3" t="e"><v>#N/A</v></c></row><row r="9"/>`))
	f.Add(uint8(2), []byte(`<worksheet><sheetData><row><c><v>1</v></c></row></sheetData></worksheet>`))
	p := filepath.Join(f.TempDir(), "f.xlsx")
	f.Fuzz(func(t *testing.T, mode uint8, rows []byte) {
		readAll(t, p, workbook(sheetXML(mode, rows)))
	})
}
