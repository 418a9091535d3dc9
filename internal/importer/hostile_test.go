package importer_test

// Hostile and broken files: each is refused with an error naming
// the file, the row and the column, nothing is written, and SQLite and
// PostgreSQL answer the same.

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// xlsxPart is one part of a hand-made workbook: its name and a writer of
// its content (streamed, so that a part can be huge).
type xlsxPart struct {
	name  string
	write func(w io.Writer) error
	// store: not compressed.
	store bool
}

func textPart(name, content string) xlsxPart {
	return xlsxPart{name: name, write: func(w io.Writer) error { _, err := io.WriteString(w, content); return err }}
}

// writeXLSX writes a workbook of one sheet, whose XML sheet writes, with
// the extra parts, to path.
func writeXLSX(t testing.TB, path string, sheet func(w io.Writer) error, extra ...xlsxPart) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	z := zip.NewWriter(bw)
	parts := []xlsxPart{
		textPart("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`),
		textPart("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
		textPart("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`),
		textPart("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`),
		{name: "xl/worksheets/sheet1.xml", write: sheet},
	}
	for _, p := range append(parts, extra...) {
		method := zip.Deflate
		if p.store {
			method = zip.Store
		}
		w, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if err := p.write(w); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
}

const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
const sheetTail = `</sheetData></worksheet>`

// unitRow is row n of a units sheet: a header on row 1, then root units.
func unitRow(n int) string {
	if n == 1 {
		return `<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c><c r="C1" t="inlineStr"><is><t>kind</t></is></c></row>`
	}
	return fmt.Sprintf(`<row r="%d"><c r="A%d" t="inlineStr"><is><t>U%d</t></is></c><c r="B%d" t="inlineStr"><is><t>Liên đoàn số %d</t></is></c><c r="C%d" t="inlineStr"><is><t>federation</t></is></c></row>`, n, n, n, n, n, n)
}

// unitsSheet is the XML of a units sheet of rows 1..n, whole.
func unitsSheet(n int) string {
	var b strings.Builder
	b.WriteString(sheetHead)
	for i := 1; i <= n; i++ {
		b.WriteString(unitRow(i))
	}
	b.WriteString(sheetTail)
	return b.String()
}

func sheetOf(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// importPath imports the file at path as kind, named name.
func importPath(st *store.Store, kind, path, name string) error {
	_, err := newImporter(st).File(ctx, kind, path, name)
	return err
}

// wantCellErr checks the one error of a refused file: on file, row and
// column col, its message holding say.
func wantCellErr(t *testing.T, err error, file string, row int, col, say string) domain.FieldError {
	t.Helper()
	fe := validationErr(t, err, "an error in "+file).Errors[0]
	if fe.File != file || fe.Row != row || fe.Field != col {
		t.Errorf("error %q is on %s:%d column %s; want %s:%d column %s", fe.Error(), fe.File, fe.Row, fe.Field, file, row, col)
	}
	if !saysIn(fe, say) {
		t.Errorf("message %q (%q) does not say %q", fe.Text.In("vi"), fe.Text.In("en"), say)
	}
	if len(err.Error()) > 600 {
		t.Errorf("the error is %d bytes long: %.200q", len(err.Error()), err.Error())
	}
	return fe
}

// answers keeps what each engine answered to a file, to compare them.
type answers map[string]string

func (a answers) note(t *testing.T, err error) {
	t.Helper()
	a[t.Name()[strings.IndexByte(t.Name(), '/')+1:]] = fmt.Sprint(err)
}

func (a answers) same(t *testing.T) {
	t.Helper()
	var first string
	for _, e := range storetest.Engines {
		got, ok := a[string(e)]
		if !ok {
			continue
		}
		if first == "" {
			first = got
		} else if got != first {
			t.Errorf("the engines disagree:\n%s\n%s", first, got)
		}
	}
}

func TestHostileXLSXCutShortOrMalformed(t *testing.T) {
	dir := t.TempDir()
	whole := unitsSheet(200)
	// Cut inside row 118 (after rows 1..117 whole), at a byte boundary.
	cut := whole[:strings.Index(whole, `<row r="118"`)+30]
	truncated := filepath.Join(dir, "truncated.xlsx")
	writeXLSX(t, truncated, sheetOf(cut))
	// Malformed: a closing tag that does not match inside row 149.
	bad := strings.Replace(whole, `<is><t>U149</t></is>`, `<is><t>U149</b></is>`, 1)
	malformed := filepath.Join(dir, "malformed.xlsx")
	writeXLSX(t, malformed, sheetOf(bad))
	// Whole rows, then the file ends before </sheetData>.
	noEnd := filepath.Join(dir, "noend.xlsx")
	writeXLSX(t, noEnd, sheetOf(strings.TrimSuffix(whole, sheetTail)))
	// Data complete, the rest of the XML broken.
	tail := filepath.Join(dir, "tail.xlsx")
	writeXLSX(t, tail, sheetOf(strings.TrimSuffix(whole, "</worksheet>")+"<mergeCells><x"))
	// Invalid UTF-8 inside the sheet's XML.
	latin := filepath.Join(dir, "latin.xlsx")
	writeXLSX(t, latin, sheetOf(strings.Replace(whole, "Liên đoàn số 60<", "Li\xeAn \xf0o\xe0n s\xf4 60<", 1)))

	cases := []struct {
		path, name string
		row        int
	}{
		{truncated, "truncated.xlsx", 117},
		{malformed, "malformed.xlsx", 148},
		{noEnd, "noend.xlsx", 200},
		{tail, "tail.xlsx", 200},
		{latin, "latin.xlsx", 59},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := answers{}
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				err := importPath(st, "units", c.path, c.name)
				fe := wantCellErr(t, err, c.name, c.row, "file", fmt.Sprint(c.row))
				if !saysIn(fe, "trang tính") {
					t.Errorf("message %q does not name the sheet", fe.Text.In("vi"))
				}
				isEmpty(t, st)
				got.note(t, err)
			})
			got.same(t)
		})
	}
	// The same sheet whole imports its 199 units.
	good := filepath.Join(dir, "good.xlsx")
	writeXLSX(t, good, sheetOf(whole))
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		sum, err := newImporter(st).File(ctx, "units", good, "good.xlsx")
		if err != nil || sum.Rows != 199 {
			t.Fatalf("the whole sheet: %d rows, %v", sum.Rows, err)
		}
	})
}

func TestHostileText(t *testing.T) {
	const head = "code,name,kind\nHN,Hà Nội,federation\n"
	cases := []struct {
		name, content string
		row           int
		col, say      string
	}{
		// Windows-1258 and Latin-1 text, as Excel's "CSV (Comma delimited)" writes it.
		{"cp1258.csv", "code,name,kind\nHN,H\xe0 N\xf4\xf2i,federation\n", 2, "name", "Lưu lại tệp dưới dạng CSV UTF-8"},
		{"latin1.csv", "code,name,kind\nHN,Li\xeAn \xf0o\xe0n,federation\n", 2, "name", "CSV UTF-8"},
		// UTF-16's byte order mark inside an otherwise UTF-8 file.
		{"fffe.csv", head + "CG,\xff\xfeCầu Giấy,federation\n", 3, "name", "UTF-8"},
		{"nul.csv", head + "CG,Cầu\x00Giấy,federation\n", 3, "name", "NUL"},
		{"control.csv", head + "CG,Cầu\x1bGiấy,federation\n", 3, "name", "U+001B"},
		{"c1.csv", head + "CG,Cầu\u0085Giấy,federation\n", 3, "name", "U+0085"},
		{"code.csv", head + "\"C\tG\",Cầu Giấy,federation\n", 3, "code", "chữ cái"},
		{"long.csv", head + "CG," + strings.Repeat("Cầu Giấy ", 30) + ",federation\n", 3, "name", "tối đa 200"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := answers{}
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				_, err := importCSV(t, st, "units", c.content)
				// importCSV names the file units.csv.
				wantCellErr(t, err, "units.csv", c.row, c.col, c.say)
				isEmpty(t, st)
				got.note(t, err)
			})
			got.same(t)
		})
	}
	// Rows held in memory (a form, an API record) get the same checks.
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		_, err := newImporter(st).Rows(ctx, "units", "form", []string{"code", "name", "kind"}, [][]string{{"HN", "Hà\x00Nội", "federation"}})
		wantCellErr(t, err, "form", 2, "name", "NUL")
		isEmpty(t, st)
	})
}

// bigCell writes a units CSV whose second data row holds a name of n bytes.
func bigCell(t testing.TB, path string, n int) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("code,name,kind\nHN,Hà Nội,federation\nCG,")
	chunk := bytes.Repeat([]byte("Cầu Giấy "), 1<<12)
	for k := 0; k < n; k += len(chunk) {
		w.Write(chunk[:min(len(chunk), n-k)])
	}
	w.WriteString(",federation\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func TestHostileBigCells(t *testing.T) {
	dir := t.TempDir()
	tenMB := filepath.Join(dir, "ten.csv")
	bigCell(t, tenMB, 10<<20)
	// The huge file shows the cap holds whatever the file's size: 200 MB in
	// the full suite; -short writes 20 MB, twice the ten, as writing the 200
	// was most of this test's time.
	hugeSize := 200 << 20
	if testing.Short() {
		hugeSize = 20 << 20
	}
	huge := filepath.Join(dir, "huge.csv")
	bigCell(t, huge, hugeSize)
	// An XLSX cell of 10 MB.
	xlsx := filepath.Join(dir, "cell.xlsx")
	writeXLSX(t, xlsx, func(w io.Writer) error {
		io.WriteString(w, sheetHead+unitRow(1)+`<row r="2"><c r="A2" t="inlineStr"><is><t>CG</t></is></c><c r="B2" t="inlineStr"><is><t>`)
		chunk := strings.Repeat("x", 1<<16)
		for k := 0; k < 10<<20; k += len(chunk) {
			io.WriteString(w, chunk)
		}
		_, err := io.WriteString(w, `</t></is></c></row>`+sheetTail)
		return err
	})
	// An XLSX cell of 100 KB (under the XML run limit, above the cell's).
	xlsx2 := filepath.Join(dir, "cell2.xlsx")
	writeXLSX(t, xlsx2, sheetOf(sheetHead+unitRow(1)+unitRow(2)+`<row r="3"><c r="A3" t="inlineStr"><is><t>CG</t></is></c><c r="B3" t="inlineStr"><is><t>`+strings.Repeat("y", 100<<10)+`</t></is></c></row>`+sheetTail))
	cases := []struct {
		path, name string
		row        int
		col, say   string
	}{
		{tenMB, "ten.csv", 3, "name", "32 KB"},
		{huge, "huge.csv", 3, "name", "32 KB"},
		{xlsx, "cell.xlsx", 2, "file", "1 MB"},
		{xlsx2, "cell2.xlsx", 3, "name", "32 KB"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := answers{}
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				start := time.Now()
				err := importPath(st, "units", c.path, c.name)
				wantCellErr(t, err, c.name, c.row, c.col, c.say)
				isEmpty(t, st)
				got.note(t, err)
				t.Logf("%s refused in %v", c.name, time.Since(start).Round(time.Millisecond))
			})
			got.same(t)
		})
	}
}

// heapAfter runs fn and gives the peak heap it saw, sampled while it ran.
func heapPeak(fn func()) (before, peak uint64) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	before = m.HeapAlloc
	peak = before
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
			return before, peak
		case <-tick.C:
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
		}
	}
}

// zeros writes n zero bytes.
func zeros(n int64) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.CopyN(w, zeroReader{}, n)
		return err
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestHostileZipBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: zips and unzips gigabytes (the full suite runs it)")
	}
	dir := t.TempDir()
	const gb = 1 << 30
	// A valid sheet with a hidden 1 GB part beside it (about 1 MB zipped).
	hidden := filepath.Join(dir, "hidden.xlsx")
	writeXLSX(t, hidden, sheetOf(unitsSheet(3)), xlsxPart{name: "xl/media/image1.png", write: zeros(gb)})
	// The sheet itself: 1 GB once unzipped.
	bomb := filepath.Join(dir, "bomb.xlsx")
	writeXLSX(t, bomb, func(w io.Writer) error {
		io.WriteString(w, sheetHead+unitRow(1))
		return zeros(gb)(w)
	})
	for _, p := range []string{hidden, bomb} {
		fi, _ := os.Stat(p)
		t.Logf("%s: %.1f MB zipped", filepath.Base(p), float64(fi.Size())/1e6)
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		var err error
		before, peak := heapPeak(func() { err = importPath(st, "units", bomb, "bomb.xlsx") })
		t.Logf("bomb.xlsx: heap %.1f MB before, peak %.1f MB", float64(before)/1e6, float64(peak)/1e6)
		wantCellErr(t, err, "bomb.xlsx", 1, "file", "512 MB")
		if peak-before > 64<<20 {
			t.Errorf("the bomb took %d MB of heap", (peak-before)>>20)
		}
		isEmpty(t, st)

		start := time.Now()
		before, peak = heapPeak(func() { err = importPath(st, "units", hidden, "hidden.xlsx") })
		t.Logf("hidden.xlsx: heap %.1f MB before, peak %.1f MB, %v", float64(before)/1e6, float64(peak)/1e6, time.Since(start).Round(time.Millisecond))
		if err != nil {
			t.Errorf("a workbook with a large unused part: %v", err)
		}
		if peak-before > 64<<20 {
			t.Errorf("the hidden part took %d MB of heap", (peak-before)>>20)
		}
	})
}

// emptyRows writes a units sheet of a header and one unit, then rows of
// cells empty styled cells from row 3 to row last, then, when data is set,
// one more unit.
func emptyRows(cells, last int, data bool) func(io.Writer) error {
	return func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		bw.WriteString(sheetHead + unitRow(1) + unitRow(2))
		var row strings.Builder
		for c := 0; c < cells; c++ {
			row.WriteString(`<c s="1"/>`)
		}
		cs := row.String()
		for n := 3; n <= last; n++ {
			fmt.Fprintf(bw, `<row r="%d">%s</row>`, n, cs)
		}
		if data {
			bw.WriteString(unitRow(last + 1))
		}
		bw.WriteString(sheetTail)
		return bw.Flush()
	}
}

func TestHostileEmptyRows(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: reads a million rows of XML and two million lines (the full suite runs it)")
	}
	dir := t.TempDir()
	// About 100 MB of XML: a unit, then a million rows of 8 empty styled
	// cells to Excel's last row.
	path := filepath.Join(dir, "empty.xlsx")
	writeXLSX(t, path, emptyRows(8, 1048576, false))
	// Data after 20 000 empty rows.
	gap := filepath.Join(dir, "gap.xlsx")
	writeXLSX(t, gap, emptyRows(28, 20_002, true))
	fi, _ := os.Stat(path)
	t.Logf("empty.xlsx: %.1f MB zipped", float64(fi.Size())/1e6)
	got := answers{}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		start := time.Now()
		sum, err := newImporter(st).File(ctx, "units", path, "empty.xlsx")
		took := time.Since(start)
		t.Logf("empty.xlsx: %d rows in %v", sum.Rows, took.Round(time.Millisecond))
		if err != nil || sum.Rows != 1 {
			t.Errorf("got %d rows, %v; want the one unit", sum.Rows, err)
		}
		if took > 60*time.Second {
			t.Errorf("a sheet of empty rows took %v", took)
		}
		start = time.Now()
		err = importPath(st, "units", gap, "gap.xlsx")
		t.Logf("gap.xlsx refused in %v", time.Since(start).Round(time.Millisecond))
		wantCellErr(t, err, "gap.xlsx", 2, "file", "20.000") // written the Vietnamese way
		got.note(t, err)
	})
	got.same(t)
	// A CSV of 2 000 001 blank lines is refused at the row cap.
	csvPath := filepath.Join(dir, "blank.csv")
	f, _ := os.Create(csvPath)
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("code,name,kind\n")
	w.Write(bytes.Repeat([]byte(",,\n"), 2_000_001))
	w.WriteString("HN,Hà Nội,federation\n")
	w.Flush()
	f.Close()
	got = answers{}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		start := time.Now()
		err := importPath(st, "units", csvPath, "blank.csv")
		t.Logf("blank.csv refused in %v", time.Since(start).Round(time.Millisecond))
		wantCellErr(t, err, "blank.csv", 2_000_001, "file", "2.000.000")
		isEmpty(t, st)
		got.note(t, err)
	})
	got.same(t)
}
