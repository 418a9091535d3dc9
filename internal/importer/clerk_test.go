package importer_test

// The rules of docs/import-formats.md, "Spreadsheets as people keep them": title rows
// above the header, skipped columns, blank rows, other header names,
// numbers typed as numbers, formulas, values in Vietnamese, the files
// people mistake for CSV or XLSX, and members imported into one unit.
// Every test runs on SQLite and on PostgreSQL (storetest.Each).

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"congdoan/internal/domain"
	"congdoan/internal/importer"
	"congdoan/internal/store"
)

// clerkSheet is a sheet as a clerk keeps it: rows (nil for a missing row,
// time.Time a date cell dd/mm/yyyy, ints and floats number cells), merged
// ranges ("A1:F1") and cells whose XML is replaced after saving (formulas
// with cached values, error cells), keyed by cell name.
type clerkSheet struct {
	rows   [][]any
	merged []string
	patch  map[string]string
}

// save writes the sheet as the first sheet of a workbook called name.
func (s clerkSheet) save(t *testing.T, name string) string {
	t.Helper()
	const sheet = "Danh sách"
	f, _ := workbookOf(t, sheet, s.rows)
	defer f.Close()
	for _, m := range s.merged {
		a, b, _ := strings.Cut(m, ":")
		if err := f.MergeCell(sheet, a, b); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	if len(s.patch) > 0 {
		patchSheet(t, p, s.patch)
	}
	return p
}

// patchSheet replaces, in the first sheet's XML, the c element of each
// cell named in cells (it must exist) with the given XML.
func patchSheet(t *testing.T, path string, cells map[string]string) {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range z.File {
		rc, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if e.Name == "xl/worksheets/sheet1.xml" {
			for cell, x := range cells {
				re := regexp.MustCompile(`<c r="` + cell + `"[^>]*?(/>|>.*?</c>)`)
				if !re.Match(b) {
					t.Fatalf("no cell %s in the sheet", cell)
				}
				b = re.ReplaceAll(b, []byte(x))
			}
		}
		ww, err := w.Create(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		ww.Write(b)
	}
	z.Close()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// titled puts the title rows of a clerk's list (merged over width
// columns) and a blank row above header and rows.
func titled(width int, header []any, rows ...[]any) clerkSheet {
	last, _ := excelize.ColumnNumberToName(width)
	return clerkSheet{
		rows: append([][]any{
			{"LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI"},
			{"DANH SÁCH ĐOÀN VIÊN KẾT NẠP MỚI"},
			{"(Kèm theo Công văn số 815/LĐLĐ-TC ngày 05/01/2025)"},
			nil,
			header,
		}, rows...),
		merged: []string{"A1:" + last + "1", "A2:" + last + "2", "A3:" + last + "3"},
	}
}

// base imports the units of testdata/ (HN, HN-CG, HN-BD; grassroots CG-A,
// CG-B, BD-C and BD-OLD).
func base(t *testing.T, st *store.Store) { load(t, st, "units") }

func importFile(t *testing.T, im *importer.Importer, kind, path string) (importer.Summary, error) {
	t.Helper()
	return im.File(ctx, kind, path, filepath.Base(path))
}

// ---------------------------------------------------------------- title rows

func TestClerkTitleRowsMergedCellsAndFileRowNumbers(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		base(t, st)
		header := []any{"STT", "Số CCCD", "Họ tên", "Ngày tháng năm sinh", "Nam/Nữ", "Mã CĐCS", "Ngày kết nạp", "Ghi chú"}
		sheet := titled(len(header), header,
			[]any{1, "001090000001", "Nguyễn Văn An", date(1990, 5, 12), "Nam", "CG-A", date(2022, 2, 1), "Đã nộp hồ sơ"},
			[]any{2, "001195000002", "Trần Thị Bình", "30/11/1995", "Nữ", "CG-B", "10/03/2022"},
		)
		p := sheet.save(t, "members.xlsx")
		sum, err := importFile(t, newImporter(st), "members", p)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Rows != 2 || !slices.Equal(sum.Skipped, []string{"STT", "Ghi chú"}) {
			t.Errorf("summary %+v, want 2 rows and STT, Ghi chú skipped", sum)
		}
		if s := sum.String(); !strings.Contains(s, "bỏ qua cột STT, Ghi chú") || strings.Contains(s, "skipped") {
			t.Errorf("summary %q does not name the skipped columns", s)
		}
		if m := member(t, st, "001090000001"); m.FullName != "Nguyễn Văn An" || m.DateOfBirth != day(1990, 5, 12) || m.JoinedOn != day(2022, 2, 1) || m.Gender != "male" {
			t.Errorf("member An = %+v", *m)
		}
		if m := member(t, st, "001195000002"); m.UnitCode != "CG-B" || m.Gender != "female" || m.DateOfBirth != day(1995, 11, 30) {
			t.Errorf("member Bình = %+v", *m)
		}

		// Errors carry the row in the file: the header is row 5, so the
		// first data row is row 6.
		bad := titled(len(header), header,
			[]any{1, "001302000004", "Phạm Thị Dung", "hôm qua", "Nữ", "CG-A", "02/05/2022"},
			nil,
			[]any{3, "001185000005", "Hoàng Thị Em", date(1985, 4, 4), "Nữ", "HN-CG", date(2022, 5, 2)},
		).save(t, "bad.xlsx")
		wantErrs(t, fileErr(st, "members", bad), "bad.xlsx", loc{6, "date_of_birth", ""}, loc{8, "unit_code", ""})
		noMembers(t, st, "001302000004", "001185000005")
	})
}

func TestClerkTitleRowsInCSVAnyColumnOrder(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		// Title rows as a CSV saved from such a sheet has them: the title in
		// the first cell, the rest empty; the columns in another order.
		units := "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI,,,,\n" +
			"DANH SÁCH CÔNG ĐOÀN,,,,\n" +
			",,,,\n" +
			"Loại,Tên đơn vị,Số TT,Mã đơn vị cấp trên,Mã đơn vị\n" +
			"Liên đoàn,Hà Nội,1,,HN\n" +
			"Cấp trên cơ sở,Cầu Giấy,2,HN,HN-CG\n"
		sum := mustCSV(t, st, "units", units)
		if sum.Rows != 2 || !slices.Equal(sum.Skipped, []string{"Số TT"}) {
			t.Errorf("summary %+v", sum)
		}
		if u := unit(t, st, "HN-CG"); u.Name != "Cầu Giấy" || u.Kind != domain.KindUpper || u.ParentCode != "HN" {
			t.Errorf("HN-CG = %+v", *u)
		}
		// A bad row is reported on its line in the file (6).
		wantErrs(t, csvErr(t, st, "units", "Danh sách,,\nMã đơn vị,Tên đơn vị,Loại\nHN-X,X,upper\nHN-Y,,upper\n"), "units.csv", loc{4, "name", ""})
		noUnits(t, st, "HN-X")
	})
}

func TestClerkHeaderMustBeInTheFirstTenRows(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		// The header on row 10 is found; on row 11 it is not.
		var ten, eleven strings.Builder
		for i := 1; i <= 9; i++ {
			fmt.Fprintf(&ten, "Dòng tiêu đề %d\n", i)
			fmt.Fprintf(&eleven, "Dòng tiêu đề %d\n", i)
		}
		eleven.WriteString("Dòng tiêu đề 10\n")
		ten.WriteString("code,name,kind\nHN,Hà Nội,federation\n")
		eleven.WriteString("code,name,kind\nHN,Hà Nội,federation\n")
		_, err := importCSV(t, st, "units", eleven.String())
		errs := wantNErrs(t, 1, err, "units.csv", loc{1, "file", "tiêu đề"})
		// The message names the columns expected, in Vietnamese and in
		// English.
		for lang, wants := range map[string][]string{"vi": {"Mã đơn vị", "Tên đơn vị", "10 dòng đầu"}, "en": {"code", "name", "first 10 rows"}} {
			for _, want := range wants {
				if got := errs[0].In(lang); !strings.Contains(got, want) {
					t.Errorf("message %q does not name %q", got, want)
				}
			}
		}
		isEmpty(t, st)
		if sum := mustCSV(t, st, "units", ten.String()); sum.Rows != 1 {
			t.Errorf("rows = %d", sum.Rows)
		}
		unit(t, st, "HN")

		// An XLSX of title rows only.
		p := titled(3, []any{"Một", "Hai", "Ba"}, []any{"x", "y", "z"}).save(t, "titles.xlsx")
		wantNErrs(t, 1, fileErr(st, "members", p), "titles.xlsx", loc{1, "file", "Số CCCD"})
	})
}

// ---------------------------------------------------------------- skipped columns and blank rows

func TestClerkSkippedColumns(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		for i, h := range []string{"STT", "TT", "Số TT", "Số thứ tự", "Ghi chú", "stt", "SỐ THỨ TỰ", "ghi chu"} {
			code := fmt.Sprintf("S%d", i)
			sum := mustCSV(t, st, "units", h+",code,name,kind\n1,"+code+",Đơn vị "+h+",federation\n")
			if sum.Rows != 1 || !slices.Equal(sum.Skipped, []string{h}) {
				t.Errorf("%s: summary %+v", h, sum)
			}
			unit(t, st, code)
		}
		// An empty-headed column whose cells are all empty is skipped
		// and named; a value in it is an error naming its position.
		sum := mustCSV(t, st, "units", "code,,name,kind\nE1,,Một,federation\nE2,,Hai,federation\n")
		if sum.Rows != 2 || !slices.Equal(sum.Skipped, []string{"cột 2"}) {
			t.Errorf("summary %+v", sum)
		}
		wantErrs(t, csvErr(t, st, "units", "code,,name,kind\nE3,,Ba,federation\nE4,lạc cột,Bốn,federation\n"), "units.csv", loc{3, "column 2", ""})
		noUnits(t, st, "E3", "E4")
		// Any other unknown column is still an error.
		wantErrs(t, csvErr(t, st, "units", "STT,code,name,kind,Ghi chú thêm\n1,E5,Năm,federation,\n"), "units.csv", loc{1, "Ghi chú thêm", ""})
		noUnits(t, st, "E5")
		// The same in XLSX, with an empty-headed column between others.
		p := titled(6, []any{"STT", "Mã đơn vị", nil, "Tên đơn vị", "Loại", "Ghi chú"},
			[]any{1, "X1", nil, "Một", "liên đoàn", "ghi chú"},
			[]any{2, "X2", nil, "Hai", "liên đoàn"},
		).save(t, "units.xlsx")
		sum, err := importFile(t, newImporter(st), "units", p)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(sum.Skipped, []string{"STT", "cột 3", "Ghi chú"}) {
			t.Errorf("skipped %q", sum.Skipped)
		}
		p = titled(6, []any{"STT", "Mã đơn vị", nil, "Tên đơn vị", "Loại", "Ghi chú"},
			[]any{1, "X3", nil, "Ba", "liên đoàn"},
			[]any{2, "X4", "?", "Bốn", "liên đoàn"},
		).save(t, "bad.xlsx")
		wantErrs(t, fileErr(st, "units", p), "bad.xlsx", loc{7, "column 3", ""})
		noUnits(t, st, "X3", "X4")
	})
}

func TestClerkBlankRowsSkipped(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		// Blank lines, lines of empty cells, of spaces, and rows holding
		// nothing but a row number: none is a row.
		sum := mustCSV(t, st, "units", "STT,code,name,kind\n1,HN,Hà Nội,federation\n,,,\n\n , ,  ,\n2,,,\n3,HP,Hải Phòng,federation\n")
		if sum.Rows != 2 {
			t.Errorf("rows = %d, want 2", sum.Rows)
		}
		// A bad row after blank ones is reported on its line (7).
		wantErrs(t, csvErr(t, st, "units", "STT,code,name,kind\n1,A1,Một,federation\n,,,\n\n , ,  ,\n2,,,\n3,A2,,federation\n"), "units.csv", loc{7, "name", ""})
		noUnits(t, st, "A1", "A2")
		// XLSX: an empty row, a row of STT alone, a missing row.
		p := titled(4, []any{"STT", "Mã đơn vị", "Tên đơn vị", "Loại"},
			[]any{1, "X1", "Một", "liên đoàn"},
			[]any{nil, "", nil, ""},
			[]any{2},
			nil,
			[]any{3, "X2", nil, "liên đoàn"},
		).save(t, "units.xlsx")
		wantErrs(t, fileErr(st, "units", p), "units.xlsx", loc{10, "name", ""})
		noUnits(t, st, "X1", "X2")
	})
}

// ---------------------------------------------------------------- header names

func TestClerkOtherHeaderNames(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		base(t, st)
		// units: decision_no as Số QĐ.
		mustCSV(t, st, "units", "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Loại,Ngày thành lập,Số QĐ\nCG-Q,CĐCS Q,HN-CG,cơ sở,2022-01-01,12/QĐ-LĐLĐ\n")
		if u := unit(t, st, "CG-Q"); u.DecisionNo != "12/QĐ-LĐLĐ" {
			t.Errorf("CG-Q = %+v", *u)
		}
		// enterprises: MST and Tổng số lao động.
		tax := validTax(t, "010010910")
		mustCSV(t, st, "enterprises", "MST,Tên doanh nghiệp,Loại hình,Tổng số lao động,Đơn vị quản lý\n"+tax+",Công ty A,private,1.200,HN-CG\n")
		if e, err := enterprise(t, st, tax); err != nil || e.Employees != 1200 {
			t.Errorf("enterprise = %+v, %v", e, err)
		}
		// members: every other name, the unit as Công đoàn cơ sở.
		for i, idh := range []string{"Số CCCD/CMND", "Số định danh cá nhân"} {
			id := fmt.Sprintf("00109000001%d", i)
			mustCSV(t, st, "members", idh+",Họ tên,Ngày tháng năm sinh,Nam/Nữ,Công đoàn cơ sở,Ngày kết nạp,Số thẻ\n"+
				id+",Nguyễn Văn An,12/05/1990,Nam,CG-A,01/02/2022,T-1\n")
			m := member(t, st, id)
			if m.FullName != "Nguyễn Văn An" || m.DateOfBirth != day(1990, 5, 12) || m.Gender != "male" || m.UnitCode != "CG-A" ||
				m.JoinedOn != day(2022, 2, 1) || m.CardNo != "T-1" {
				t.Errorf("%s: member %+v", idh, *m)
			}
		}
		// Column knows them; "Công đoàn cơ sở" names members' unit only.
		for _, c := range []struct{ kind, header, want string }{
			{"members", "HỌ TÊN", "full_name"}, {"members", "so cccd/cmnd", "national_id"}, {"members", "Công đoàn cơ sở", "unit_code"},
			{"transfers", "Số định danh cá nhân", "national_id"}, {"enterprises", "mst", "tax_code"}, {"units", "So QD", "decision_no"},
		} {
			if got, ok := importer.Column(c.kind, c.header); !ok || got != c.want {
				t.Errorf("Column(%s, %q) = %q, %v; want %s", c.kind, c.header, got, ok, c.want)
			}
		}
		if got, ok := importer.Column("enterprises", "Công đoàn cơ sở"); ok {
			t.Errorf("Column(enterprises, Công đoàn cơ sở) = %q", got)
		}
	})
}

// ---------------------------------------------------------------- numbers

func TestClerkNumbersTypedAsNumbers(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		base(t, st)
		im := newImporter(st)
		// Tax codes typed as numbers: 0100109106 reads 100109106.
		tax1, tax2 := validTax(t, "010010910"), validTax(t, "030012345")
		n1, n2 := strings.TrimLeft(tax1, "0"), strings.TrimLeft(tax2, "0")
		ents := titled(6, []any{"STT", "MST", "Tên doanh nghiệp", "Loại hình", "Tổng số lao động", "Đơn vị quản lý"},
			[]any{1, atoi(t, n1), "Công ty A", "tư nhân", 120.0, "HN-CG"},
			[]any{2, tax2, "Công ty B", "FDI", 45, "HN-CG"}, // typed as text: kept
		).save(t, "enterprises.xlsx")
		sum, err := importFile(t, im, "enterprises", ents)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Mended != 1 || !strings.Contains(sum.String(), "1 ô") {
			t.Errorf("summary %+v %q: want 1 mended cell", sum, sum)
		}
		if e, err := enterprise(t, st, tax1); err != nil || e.Employees != 120 {
			t.Errorf("enterprise %s = %+v, %v", tax1, e, err)
		}
		if _, err := enterprise(t, st, tax2); err != nil || n2 == "" {
			t.Errorf("enterprise %s: %v", tax2, err)
		}
		// A unit's enterprise_tax_code typed as a number.
		units := titled(6, []any{"Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Loại", "Mã số thuế doanh nghiệp", "Ngày thành lập"},
			[]any{"CG-N", "CĐCS N", "HN-CG", "cơ sở", atoi(t, n1), date(2022, 1, 10)},
		).save(t, "units.xlsx")
		if sum, err := importFile(t, im, "units", units); err != nil || sum.Mended != 1 {
			t.Fatalf("units: %+v, %v", sum, err)
		}
		if u := unit(t, st, "CG-N"); u.EnterpriseTaxCode != tax1 {
			t.Errorf("CG-N enterprise_tax_code = %q, want %q", u.EnterpriseTaxCode, tax1)
		}

		// National IDs: a CCCD typed as a number lost one or two zeros, a
		// CMND one; numbers written 1.2E+11 or 25.0 read as digits; a card
		// number typed as a number is its digits.
		mems := titled(8, []any{"STT", "Số CCCD/CMND", "Loại giấy tờ", "Họ tên", "Ngày sinh", "Giới tính", "Mã CĐCS", "Ngày vào công đoàn", "Số thẻ"},
			[]any{1, 1090000001, "cccd", "An", date(1990, 5, 12), "Nam", "CG-A", date(2022, 2, 1), 1234.0},
			[]any{2, 79195000002, nil, "Bình", date(1995, 11, 30), "Nữ", "CG-A", date(2022, 2, 1), 77},
			[]any{3, 12345678, "CMND", "Cường", date(1980, 1, 1), "Nam", "CG-A", date(2022, 2, 1)},
			[]any{4, "001185000004", "cccd", "Dung", date(1985, 4, 4), "Nữ", "CG-A", date(2022, 2, 1), 5},
			[]any{5, 1, "cccd", "Em", date(1985, 4, 4), "Nữ", "CG-A", date(2022, 2, 1)},
		)
		// Row 11 (Em): 120000000000 written as 1.2E+11; card 5 as 5.0.
		mems.patch = map[string]string{"B10": `<c r="B10"><v>1.2E+11</v></c>`, "I9": `<c r="I9"><v>5.0</v></c>`}
		p := mems.save(t, "members.xlsx")
		_, err = importFile(t, im, "members", p)
		// 120000000000 is 12 digits: nothing to mend, and not a valid CCCD
		// (province 120); the error shows the digits, not 1.2E+11.
		errs := wantErrs(t, err, "members.xlsx", loc{10, "national_id", "120000000000"})
		for _, e := range errs {
			if strings.Contains(e.Message, "E+") {
				t.Errorf("message %q shows a number in E notation", e.Message)
			}
		}
		noMembers(t, st, "001090000001")
		mems.rows = mems.rows[:len(mems.rows)-1]
		mems.patch = map[string]string{"I9": `<c r="I9"><v>5.0</v></c>`}
		sum, err = importFile(t, im, "members", mems.save(t, "members.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		if sum.Rows != 4 || sum.Mended != 3 {
			t.Errorf("summary %+v, want 4 rows and 3 mended cells", sum)
		}
		if m := member(t, st, "001090000001"); m.CardNo != "1234" || m.FullName != "An" {
			t.Errorf("An = %+v", *m)
		}
		if m := member(t, st, "079195000002"); m.CardNo != "77" {
			t.Errorf("Bình = %+v", *m)
		}
		if m := member(t, st, "012345678"); m.IDType != "cmnd" {
			t.Errorf("Cường = %+v", *m)
		}
		if m := member(t, st, "001185000004"); m.CardNo != "5" {
			t.Errorf("Dung = %+v", *m)
		}

		// A CCCD typed as text that lost its zero is not mended: it is
		// wrong as typed. The same number in a CSV is text too.
		bad := titled(6, []any{"Số CCCD", "Họ tên", "Ngày sinh", "Giới tính", "Mã CĐCS", "Ngày vào công đoàn"},
			[]any{"1090000009", "Giang", date(1990, 5, 12), "Nam", "CG-A", date(2022, 2, 1)},
		).save(t, "text.xlsx")
		_, err = importFile(t, im, "members", bad)
		wantErrs(t, err, "text.xlsx", loc{6, "national_id", ""})
		wantErrs(t, csvErr(t, st, "members", "national_id,full_name,date_of_birth,gender,unit_code,joined_on\n1090000009,Giang,1990-05-12,male,CG-A,2022-02-01\n"), "members.csv", loc{2, "national_id", ""})
		noMembers(t, st, "001090000009")
	})
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// ---------------------------------------------------------------- formulas

func TestClerkFormulaCellsReadByCachedValues(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		base(t, st)
		// Formulas: the STT (=A6+1), the unit (=CONCATENATE), the national
		// ID (=TEXT(...)), a date (=DATE(...), shown dd/mm/yyyy) and a
		// number that lost its zeros (=1090000003).
		sheet := titled(7, []any{"STT", "Số CCCD", "Họ tên", "Ngày sinh", "Giới tính", "Mã CĐCS", "Ngày vào công đoàn"},
			[]any{1, "001090000001", "An", date(1990, 5, 12), "Nam", "x", date(2022, 2, 1)},
			[]any{0, "x", "Bình", "30/11/1995", "Nữ", "CG-A", date(2022, 1, 1)},
			[]any{0, 0, "Cường", date(1990, 1, 1), "Nam", "CG-A", date(2022, 2, 1)},
		)
		sheet.patch = map[string]string{
			"F6": `<c r="F6" t="str"><f>CONCATENATE("CG","-A")</f><v>CG-A</v></c>`,
			"A7": `<c r="A7"><f>A6+1</f><v>2</v></c>`,
			"B7": `<c r="B7" t="str"><f>TEXT(1195000002,"000000000000")</f><v>001195000002</v></c>`,
			"G7": `<c r="G7" s="1"><f>DATE(2022,3,10)</f><v>44630</v></c>`,
			"A8": `<c r="A8"><f>A7+1</f><v>3</v></c>`,
			"B8": `<c r="B8"><f>1090000003</f><v>1090000003</v></c>`,
		}
		p := sheet.save(t, "members.xlsx")
		sum, err := importFile(t, newImporter(st), "members", p)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Rows != 3 || sum.Mended != 1 {
			t.Errorf("summary %+v", sum)
		}
		if m := member(t, st, "001090000001"); m.UnitCode != "CG-A" {
			t.Errorf("An = %+v", *m)
		}
		if m := member(t, st, "001195000002"); m.JoinedOn != day(2022, 3, 10) {
			t.Errorf("Bình = %+v", *m)
		}
		member(t, st, "001090000003")

		// A formula never computed (no cached value) and a formula error
		// are errors on their cells.
		bad := titled(6, []any{"Số CCCD", "Họ tên", "Ngày sinh", "Giới tính", "Mã CĐCS", "Ngày vào công đoàn"},
			[]any{"001090000005", "x", date(1990, 5, 12), "Nam", "CG-A", date(2022, 2, 1)},
			[]any{"001090000006", "Phong", date(1990, 5, 12), "Nam", "x", date(2022, 2, 1)},
		)
		bad.patch = map[string]string{
			"B6": `<c r="B6" t="str"><f>VLOOKUP(A6,Sheet2!A:B,2,FALSE)</f></c>`,
			"E7": `<c r="E7" t="e"><f>VLOOKUP(A7,Sheet2!A:B,2,FALSE)</f><v>#N/A</v></c>`,
		}
		wantErrs(t, fileErr(st, "members", bad.save(t, "bad.xlsx")), "bad.xlsx", loc{6, "full_name", "Excel"}, loc{7, "unit_code", "#N/A"})
		noMembers(t, st, "001090000005", "001090000006")
	})
}

// ---------------------------------------------------------------- values in Vietnamese

// The units' values in Vietnamese: TestUnitsVietnameseValues.
func TestClerkMemberValuesInVietnamese(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		base(t, st)
		mustCSV(t, st, "members", "Số CCCD,Họ tên,Ngày sinh,Giới tính,Mã CĐCS,Ngày kết nạp,Hình thức\n"+
			"001090000001,An,1990-05-12,NAM,CG-A,2022-02-01,KẾT NẠP\n"+
			"001195000002,Bình,1995-11-30,nữ,CG-A,2022-02-01,Chuyển Đến\n"+
			"001195000003,Chi,1995-11-30,Nu,CG-A,2022-02-01,chuyen den\n")
		if m := member(t, st, "001090000001"); m.Gender != "male" || m.JoinedHow != domain.JoinedAdmitted {
			t.Errorf("An = %+v", *m)
		}
		for _, id := range []string{"001195000002", "001195000003"} {
			if m := member(t, st, id); m.Gender != "female" || m.JoinedHow != domain.JoinedTransferred {
				t.Errorf("%s = %+v", id, *m)
			}
		}
	})
}

// ---------------------------------------------------------------- bad input

func TestClerkThreeHundredBadRowsAllListed(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		base(t, st)
		rows := [][]any{}
		for i := 0; i < 300; i++ {
			// Joined in the future: every row is wrong.
			rows = append(rows, []any{i + 1, fmt.Sprintf("0010900%05d", i), "Người " + fmt.Sprint(i), date(1990, 5, 12), "Nam", "CG-A", date(2030, 1, 1)})
		}
		// One valid row first: it must not be written either.
		rows = append([][]any{{0, "001090099999", "Hợp lệ", date(1990, 5, 12), "Nam", "CG-A", date(2022, 2, 1)}}, rows...)
		p := titled(7, []any{"STT", "Số CCCD", "Họ tên", "Ngày sinh", "Giới tính", "Mã CĐCS", "Ngày vào công đoàn"}, rows...).save(t, "members.xlsx")
		_, err := importFile(t, newImporter(st), "members", p)
		var ve *domain.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("err = %v", err)
		}
		if len(ve.Errors) != 300 {
			t.Errorf("%d errors, want 300", len(ve.Errors))
		}
		for i, e := range ve.Errors {
			if e.Row != 7+i || e.Field != "joined_on" {
				t.Errorf("error %d: %s, want row %d joined_on", i, e.Error(), 7+i)
				break
			}
		}
		noMembers(t, st, "001090099999", "001090000000", "001090000299")
	})
}

func TestClerkFilesToSaveAgain(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		try := unitsFileErr(t, st)
		csvText := "code,name,kind\nHN,Hà Nội,federation\n"

		// An old .xls (a Compound File), and any other .xls.
		cfb := append(append([]byte(nil), 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1), make([]byte, 1024)...)
		cfb = append(cfb, utf16le("Workbook")...)
		wantFileErr(t, try("units.xls", cfb), "units.xls", 1, "Lưu lại dưới dạng .xlsx")
		wantFileErr(t, try("html.xls", []byte("<html><table><tr><td>code</td></tr></table></html>")), "html.xls", 1, "save it as .xlsx")
		// The same Compound File named .xlsx.
		wantFileErr(t, try("old.xlsx", cfb), "old.xlsx", 1, ".xls")

		// A password-protected workbook.
		f := excelize.NewFile()
		f.SetCellValue("Sheet1", "A1", "code")
		enc := filepath.Join(t.TempDir(), "enc.xlsx")
		if err := f.SaveAs(enc, excelize.Options{Password: "mật khẩu"}); err != nil {
			t.Fatal(err)
		}
		f.Close()
		b, err := os.ReadFile(enc)
		if err != nil {
			t.Fatal(err)
		}
		wantFileErr(t, try("enc.xlsx", b), "enc.xlsx", 1, "mật khẩu")
		wantFileErr(t, try("enc.xlsx", b), "enc.xlsx", 1, "password")

		// An OpenDocument spreadsheet, as .ods and misnamed .xlsx.
		var ods bytes.Buffer
		z := zip.NewWriter(&ods)
		w, _ := z.Create("mimetype")
		w.Write([]byte("application/vnd.oasis.opendocument.spreadsheet"))
		w, _ = z.Create("content.xml")
		w.Write([]byte("<office:document-content/>"))
		z.Close()
		wantFileErr(t, try("units.ods", ods.Bytes()), "units.ods", 1, "LibreOffice")
		wantFileErr(t, try("ods.xlsx", ods.Bytes()), "ods.xlsx", 1, "save it as .xlsx")

		// UTF-16 text (Excel's "Unicode Text"), with and without a BOM.
		u16 := func(bom bool, s string) []byte {
			var out []byte
			if bom {
				out = append(out, 0xff, 0xfe)
			}
			for _, r := range utf16.Encode([]rune(s)) {
				out = append(out, byte(r), byte(r>>8))
			}
			return out
		}
		wantFileErr(t, try("bom16.csv", u16(true, csvText)), "bom16.csv", 1, "UTF-8")
		wantFileErr(t, try("nobom16.csv", u16(false, csvText)), "nobom16.csv", 1, "UTF-16")
		// Windows-1258 text, as Excel's "CSV (Comma delimited)" writes it.
		wantFileErr(t, try("ansi.csv", []byte("code,name,kind\nHN,H\xe0 N\xf4\xf2i,federation\n")), "ansi.csv", 2, "UTF-8")
		// A workbook named .csv.
		good := clerkSheet{rows: [][]any{{"code", "name", "kind"}, {"HN", "Hà Nội", "federation"}}}.save(t, "units.xlsx")
		gb, err := os.ReadFile(good)
		if err != nil {
			t.Fatal(err)
		}
		wantFileErr(t, try("book.csv", gb), "book.csv", 1, ".xlsx")
		isEmpty(t, st)
		// A real workbook misnamed .xls imports.
		if err := try("real.xls", gb); err != nil {
			t.Errorf("an .xlsx workbook named .xls: %v", err)
		}
		unit(t, st, "HN")
	})
}

func utf16le(s string) []byte {
	var out []byte
	for _, r := range utf16.Encode([]rune(s)) {
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

// ---------------------------------------------------------------- into a unit

func TestClerkMembersIntoAUnit(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		base(t, st)
		im := newImporter(st)
		im.Unit = "CG-B"
		// No unit column: every row goes to CG-B.
		p := titled(6, []any{"STT", "Số CCCD", "Họ tên", "Ngày sinh", "Giới tính", "Ngày kết nạp"},
			[]any{1, 1090000001, "An", date(1990, 5, 12), "Nam", date(2022, 4, 1)},
			[]any{2, "001195000002", "Bình", "30/11/1995", "Nữ", "01/05/2022"},
		).save(t, "members.xlsx")
		sum, err := importFile(t, im, "members", p)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Rows != 2 {
			t.Errorf("summary %+v", sum)
		}
		for _, id := range []string{"001090000001", "001195000002"} {
			if m := member(t, st, id); m.UnitCode != "CG-B" {
				t.Errorf("%s in %s, want CG-B", id, m.UnitCode)
			}
		}
		// With a unit column: an empty cell goes to CG-B, another unit is
		// an error.
		_, err = im.File(ctx, "members", put(t, "m.csv", []byte("national_id,full_name,date_of_birth,gender,unit_code,joined_on\n"+
			"001090000005,Em,1990-01-01,male,,2022-04-01\n"+
			"001090000006,Phong,1990-01-01,male,CG-A,2022-04-01\n"+
			"001090000007,Giang,1990-01-01,male,CG-B,2022-04-01\n")), "m.csv")
		wantErrs(t, err, "m.csv", loc{3, "unit_code", "CG-B"})
		noMembers(t, st, "001090000005", "001090000007")

		// The unit must exist and be a grassroots unit: one error.
		rows := "Số CCCD,Họ tên,Ngày sinh,Giới tính,Ngày kết nạp\n001090000008,H,1990-01-01,Nam,2022-04-01\n001090000009,I,1990-01-01,Nam,2022-04-01\n"
		for _, code := range []string{"NOPE", "HN-CG"} {
			im := newImporter(st)
			im.Unit = code
			_, err := im.File(ctx, "members", put(t, "m.csv", []byte(rows)), "m.csv")
			wantNErrs(t, 1, err, "m.csv", loc{1, "unit", code})
		}
		// Allow is asked about the unit: once refused, one error.
		im = newImporter(st)
		im.Unit = "CG-A"
		var asked []string
		im.Allow = func(kind, column string, u *domain.Unit) error {
			asked = append(asked, kind+" "+column+" "+u.Code)
			if u.Code == "CG-A" {
				return errors.New("ngoài phạm vi (outside your unit)")
			}
			return nil
		}
		_, err = im.File(ctx, "members", put(t, "m.csv", []byte(rows)), "m.csv")
		wantNErrs(t, 1, err, "m.csv", loc{1, "unit", "outside your unit"})
		if len(asked) == 0 || asked[0] != "members unit_code CG-A" {
			t.Errorf("Allow asked %q", asked)
		}
		noMembers(t, st, "001090000008", "001090000009")
		// Only members go into a unit.
		im = newImporter(st)
		im.Unit = "CG-A"
		if _, err := im.File(ctx, "units", put(t, "u.csv", []byte("code,name,kind\nX,X,federation\n")), "u.csv"); err == nil {
			t.Errorf("units imported into a unit")
		}
		noUnits(t, st, "X")
	})
}
