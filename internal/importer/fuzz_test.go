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

// readAll reads a file through openTable to its end or its first error:
// it must not panic, every row it gives must pass the cell checks, and
// every error must be a typed message.
func readAll(t *testing.T, name string, content []byte) {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	tb, err := openTable(p)
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
	f.Fuzz(func(t *testing.T, b []byte) {
		readAll(t, "f.csv", b)
	})
}

// workbook is a small XLSX package whose first sheet's XML is sheet.
func workbook(sheet []byte) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	add := func(name string, b []byte) {
		w, _ := z.Create(name)
		w.Write(b)
	}
	add("[Content_Types].xml", []byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`))
	add("_rels/.rels", []byte(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`))
	add("xl/workbook.xml", []byte(`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`))
	add("xl/_rels/workbook.xml.rels", []byte(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`))
	add("xl/worksheets/sheet1.xml", sheet)
	z.Close()
	return buf.Bytes()
}

func FuzzXLSX(f *testing.F) {
	const head = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	f.Add([]byte(head + `<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row><row r="2"><c r="A2"><v>12</v></c><c r="B2" t="str"><f>A2</f><v>x</v></c></row></sheetData></worksheet>`))
	f.Add([]byte(head + `<row r="1"><c r="A1" t="inlineStr"><is><t>co`))
	f.Add([]byte(head + `<row r="3"><c r="C3" t="e"><v>#N/A</v></c></row><row r="9"/></sheetData></worksheet>`))
	f.Fuzz(func(t *testing.T, sheet []byte) {
		readAll(t, "f.xlsx", workbook(sheet))
	})
}
