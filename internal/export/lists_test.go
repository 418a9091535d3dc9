package export_test

// The exports of the import kinds, the lists and the templates. The story
// is the importer's (internal/importer/testdata: the Hanoi federation, two
// districts, four grassroots unions, seven members) with a ward union, a
// second district-level union, a grassroots union linked to an enterprise
// (so that units load as upper units, enterprises, grassroots units) and
// three moves on one day that only import in the right order.

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"congdoan/internal/domain"
	"congdoan/internal/export"
	"congdoan/internal/importer"
	"congdoan/internal/report"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

var (
	bg      = context.Background()
	rtToday = domain.NewDate(2022, time.July, 8)
)

func rtImport(t *testing.T, st *store.Store, kind, path string) importer.Summary {
	t.Helper()
	sum, err := (&importer.Importer{Store: st, Today: rtToday}).File(bg, kind, path, filepath.Base(path))
	if err != nil {
		t.Fatalf("import %s %s: %v", kind, filepath.Base(path), err)
	}
	return sum
}

func rtCSV(t *testing.T, st *store.Store, kind, content string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), kind+".csv")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	rtImport(t, st, kind, p)
}

// rtStory loads the story.
func rtStory(t *testing.T, st *store.Store) {
	t.Helper()
	for _, k := range importer.Kinds {
		rtImport(t, st, k, filepath.Join("..", "importer", "testdata", k+".csv"))
	}
	rtCSV(t, st, "units", "code,name,parent_code,kind,ownership,enterprise_tax_code,founded_on,decision_no,method\n"+
		"HN-P1,Công đoàn phường Ngọc Hà,HN,upper,,,2022-07-01,,\n"+
		"HN-P2,Công đoàn phường Kim Mã,HN-BD,upper,,,2022-06-15,,\n"+
		"CG-E,CĐCS Chi nhánh Bình Minh,HN-CG,grassroots,,0300123450,2022-06-01,7/QĐ,new\n")
	rtCSV(t, st, "members", "national_id,full_name,date_of_birth,gender,unit_code,joined_on,card_no\n"+
		"001090000009,Đỗ Văn Hùng,1990-03-03,Nam,CG-E,2022-06-10,\n")
	// On 1 July HN-P2 leaves HN-BD for HN, and HN-BD goes under HN-P2: in
	// code order (HN-BD first) the second move would make a cycle.
	rtCSV(t, st, "moves", "code,new_parent_code,moved_on,decision_no\n"+
		"HN-P2,HN,2022-07-01,1940/QĐ-LĐLĐ\n"+
		"HN-BD,HN-P2,2022-07-01,1940/QĐ-LĐLĐ\n"+
		"BD-C,HN-P1,2022-07-01,\n")
}

// loadOrder is how an export is imported back: units linked to
// enterprises come after the enterprises.
var loadOrder = []struct{ kind, only string }{
	{"units", "upper"}, {"enterprises", ""}, {"units", "grassroots"}, {"members", ""}, {"transfers", ""},
	{"plans", ""}, {"targets", ""}, {"campaigns", ""}, {"moves", ""},
}

// dump is every kind's records as CSV, and the reports of a few units and
// days: what "the same database" means here.
func dump(t *testing.T, st *store.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, k := range importer.Kinds {
		var b bytes.Buffer
		if err := export.WriteRecords(bg, &b, export.FormatCSV, st, k, export.RecordOptions{}); err != nil {
			t.Fatalf("export %s: %v", k, err)
		}
		out[k] = b.String()
	}
	for _, unit := range []string{"HN", "HN-CG", "HN-BD", "HN-P1", "HN-P2"} {
		for _, asOf := range []string{"2022-06-30", "2022-07-08"} {
			r, err := report.Build(bg, st, report.Request{Plan: "HN-2022", Unit: unit, AsOf: asOf})
			if err != nil {
				t.Fatalf("report %s %s: %v", unit, asOf, err)
			}
			b, _ := json.Marshal(r)
			out["report "+unit+" "+asOf] = string(b)
		}
	}
	return out
}

// Export then import of every kind, as XLSX and as CSV, into an empty
// database gives the same records and the same reports.
func TestExportRoundTrip(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		rtStory(t, st)
		want := dump(t, st)
		if !strings.Contains(want["moves"], "1940/QĐ-LĐLĐ") || !strings.Contains(want["units"], "CG-E") {
			t.Fatalf("the story did not load: %s %s", want["moves"], want["units"])
		}
		for _, format := range []string{export.FormatXLSX, export.FormatCSV} {
			t.Run(format, func(t *testing.T) {
				dir := t.TempDir()
				st2 := storetest.Open(t, st.Engine())
				for i, f := range loadOrder {
					p := filepath.Join(dir, f.kind+f.only+"."+format)
					var b bytes.Buffer
					if err := export.WriteRecords(bg, &b, format, st, f.kind, export.RecordOptions{Only: f.only}); err != nil {
						t.Fatalf("export %s: %v", f.kind, err)
					}
					if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					sum := rtImport(t, st2, f.kind, p)
					if sum.Mended != 0 || len(sum.Skipped) != 0 {
						t.Errorf("step %d (%s): the import mended or skipped something: %+v", i, f.kind, sum)
					}
				}
				got := dump(t, st2)
				for k, w := range want {
					if got[k] != w {
						t.Errorf("%s differs after the round trip:\n got %s\nwant %s", k, got[k], w)
					}
				}
			})
		}
		// A subtree: HN-CG's units only.
		cg, err := st.Unit(bg, "HN-CG")
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := export.WriteRecords(bg, &b, export.FormatCSV, st, "units", export.RecordOptions{Path: cg.Path}); err != nil {
			t.Fatal(err)
		}
		if s := b.String(); strings.Contains(s, "HN-BD") || !strings.Contains(s, "CG-E") || !strings.HasPrefix(s, "\ufeffMã đơn vị,") {
			t.Errorf("units of HN-CG: %s", s)
		}
	})
}

// Text that a spreadsheet would take for a formula is written as text:
// string cells in XLSX, quoted and led by an apostrophe in CSV; both come
// back as they were.
func TestFormulaInjection(t *testing.T) {
	t.Parallel()
	values := []string{`=HYPERLINK("http://x.invalid","bấm")`, "+84 24 3826 1234", "-", "@SUM(1,2)", "'=not a formula"}
	cols := []export.ListColumn{{Header: "a"}, {Header: "b"}, {Header: "c"}, {Header: "d"}, {Header: "e"}}
	row := make([]any, len(values))
	for i, v := range values {
		row[i] = v
	}
	wb := openXLSX(t, writeList(t, export.FormatXLSX, "S", cols, row))
	for i, v := range values {
		ref, _ := excelize.CoordinatesToCellName(i+1, 2)
		typ, _ := wb.GetCellType("S", ref)
		f, _ := wb.GetCellFormula("S", ref)
		got, _ := wb.GetCellValue("S", ref)
		if typ != excelize.CellTypeInlineString || f != "" || got != v {
			t.Errorf("XLSX %s: type %v, formula %q, value %q; want a text cell %q", ref, typ, f, got, v)
		}
	}
	wb.Close()

	line := strings.Split(string(writeList(t, export.FormatCSV, "", cols, row)), "\r\n")[1]
	if want := `"'=HYPERLINK(""http://x.invalid"",""bấm"")","'+84 24 3826 1234","'-","'@SUM(1,2)","''=not a formula"`; line != want {
		t.Errorf("CSV line\n got %s\nwant %s", line, want)
	}
	recs, err := csv.NewReader(strings.NewReader(line)).Read()
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range values {
		if got := importer.UnquoteFormula(recs[i]); got != v {
			t.Errorf("UnquoteFormula(%q) = %q, want %q", recs[i], got, v)
		}
	}
	if importer.UnquoteFormula("'plain") != "'plain" || importer.UnquoteFormula("'") != "'" {
		t.Error("UnquoteFormula changed a value that was not neutralised")
	}

	// Through the store and back: an enterprise of such text.
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		rtStory(t, st)
		rtCSV(t, st, "enterprises", "tax_code,name,ownership,employees,address,area,unit_code,source\n"+
			`0100109106-002,"=HYPERLINK(""http://x.invalid"",""bấm"")",private,30,+84 24 3826 1234,-,HN-BD,@survey`+"\n")
		for _, format := range []string{export.FormatXLSX, export.FormatCSV} {
			var b bytes.Buffer
			if err := export.WriteRecords(bg, &b, format, st, "enterprises", export.RecordOptions{}); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(t.TempDir(), "enterprises."+format)
			os.WriteFile(p, b.Bytes(), 0o644)
			st2 := storetest.Open(t, st.Engine())
			rtImport(t, st2, "units", filepath.Join("..", "importer", "testdata", "units.csv"))
			rtImport(t, st2, "enterprises", p)
			e, err := st2.Enterprise(bg, "0100109106-002")
			if err != nil {
				t.Fatal(err)
			}
			want := domain.Enterprise{TaxCode: "0100109106-002", Name: `=HYPERLINK("http://x.invalid","bấm")`, Ownership: "private", Employees: 30,
				Address: "+84 24 3826 1234", Area: "-", UnitCode: "HN-BD", Source: "@survey"}
			if *e != want {
				t.Errorf("%s round trip: got %+v, want %+v", format, *e, want)
			}
		}
	})
}

// The template of each kind: Vietnamese headers, frozen, columns formatted
// for what they hold, drop-down lists, a sheet explaining the columns.
func TestTemplates(t *testing.T) {
	t.Parallel()
	for _, kind := range importer.Kinds {
		var b bytes.Buffer
		if err := export.Template(&b, kind); err != nil {
			t.Fatalf("template %s: %v", kind, err)
		}
		wb := openXLSX(t, b.Bytes())
		sheet := export.SheetNames[kind]
		if got := wb.GetSheetList(); !slices.Equal(got, []string{sheet, export.TemplateSheetHelp}) {
			t.Errorf("%s: sheets %v", kind, got)
		}
		cols := importer.Columns(kind)
		rows, _ := wb.GetRows(sheet)
		if len(rows) != 1 || len(rows[0]) != len(cols) {
			t.Fatalf("%s: rows %q", kind, rows)
		}
		for i, c := range cols {
			if rows[0][i] != c.Header {
				t.Errorf("%s: header %d is %q, want %q", kind, i, rows[0][i], c.Header)
			}
			name, _ := excelize.ColumnNumberToName(i + 1)
			sid, err := wb.GetColStyle(sheet, name)
			if err != nil {
				t.Fatal(err)
			}
			style, err := wb.GetStyle(sid)
			if err != nil {
				t.Fatal(err)
			}
			switch c.Type {
			case importer.TypeDate:
				if style.CustomNumFmt == nil || *style.CustomNumFmt != "dd/mm/yyyy" {
					t.Errorf("%s.%s: a date column without the dd/mm/yyyy format: %+v", kind, c.Name, style)
				}
			case importer.TypeInteger:
				if style.NumFmt != 3 {
					t.Errorf("%s.%s: number format %d", kind, c.Name, style.NumFmt)
				}
			default:
				if style.NumFmt != 49 {
					t.Errorf("%s.%s: not formatted as text (@): number format %d", kind, c.Name, style.NumFmt)
				}
			}
		}
		panes, err := wb.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: the header is not frozen: %+v %v", kind, panes, err)
		}
		dvs, err := wb.GetDataValidations(sheet)
		if err != nil {
			t.Fatal(err)
		}
		lists := map[string]string{}
		for _, dv := range dvs {
			if dv.Type == "list" {
				lists[strings.Split(dv.Sqref, ":")[0]] = dv.Formula1
			}
		}
		for i, c := range cols {
			name, _ := excelize.ColumnNumberToName(i + 1)
			f := lists[name+"2"]
			switch {
			case c.Choices == nil && f != "":
				t.Errorf("%s.%s: a drop-down list %s", kind, c.Name, f)
			case c.Choices != nil:
				for _, ch := range c.Choices {
					if !strings.Contains(f, ch.Label) {
						t.Errorf("%s.%s: the drop-down list %q lacks %q", kind, c.Name, f, ch.Label)
					}
				}
			}
		}
		help, _ := wb.GetRows(export.TemplateSheetHelp)
		if len(help) < len(cols)+1 || help[0][0] != "Cột" {
			t.Errorf("%s: help sheet %q", kind, help)
		}
		for i, c := range cols {
			if help[i+1][0] != c.Header || help[i+1][1] != c.Name || !strings.Contains(strings.Join(help[i+1], " "), c.Help) {
				t.Errorf("%s: help row %q for %s", kind, help[i+1], c.Name)
			}
		}
		wb.Close()
	}
	// The lists the issue names are there.
	for kind, cols := range map[string][]string{"units": {"kind", "ownership", "method"}, "enterprises": {"ownership"}, "members": {"gender", "joined_how"}} {
		for _, name := range cols {
			found := false
			for _, c := range importer.Columns(kind) {
				found = found || (c.Name == name && len(c.Choices) > 1)
			}
			if !found {
				t.Errorf("%s.%s has no choices", kind, name)
			}
		}
	}
}

// A template filled in as a clerk would (IDs typed as text, dates as
// dates, words from the drop-down lists, numbers as numbers) imports.
func TestFilledTemplateImports(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		rtImport(t, st, "units", filepath.Join("..", "importer", "testdata", "units.csv"))
		fill := func(kind string, rows [][]any) string {
			var b bytes.Buffer
			if err := export.Template(&b, kind); err != nil {
				t.Fatal(err)
			}
			wb := openXLSX(t, b.Bytes())
			defer wb.Close()
			sheet := export.SheetNames[kind]
			for r, row := range rows {
				for c, v := range row {
					ref, _ := excelize.CoordinatesToCellName(c+1, r+2)
					var err error
					switch v := v.(type) {
					case nil:
					case string:
						err = wb.SetCellStr(sheet, ref, v) // typed into a text column
					default:
						err = wb.SetCellValue(sheet, ref, v) // the column's format stays
					}
					if err != nil {
						t.Fatal(err)
					}
				}
			}
			p := filepath.Join(t.TempDir(), kind+".xlsx")
			if err := wb.SaveAs(p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		dob := time.Date(1995, 11, 30, 0, 0, 0, 0, time.UTC)
		joined := time.Date(2022, 3, 10, 0, 0, 0, 0, time.UTC)
		// Số CCCD, Loại giấy tờ, Họ và tên, Ngày sinh, Giới tính, Mã CĐCS, Ngày vào công đoàn, Hình thức, Ngày ra, Ngày giới thiệu, Số thẻ
		p := fill("members", [][]any{
			{"001195000002", "CCCD", "Trần Thị Bình", dob, "Nữ", "CG-A", joined, "Kết nạp", nil, nil, "0007"},
			{"079088000003", nil, "Lê Văn Cường", time.Date(1988, 1, 1, 0, 0, 0, 0, time.UTC), "Nam", "CG-B", time.Date(2022, 4, 1, 0, 0, 0, 0, time.UTC), "Chuyển đến"},
		})
		sum := rtImport(t, st, "members", p)
		if sum.Rows != 2 || sum.Mended != 0 {
			t.Errorf("summary %+v", sum)
		}
		m, err := st.Member(bg, "001195000002")
		if err != nil {
			t.Fatal(err)
		}
		if m.DateOfBirth != domain.DateOf(dob) || m.JoinedOn != domain.DateOf(joined) || m.Gender != "female" || m.JoinedHow != domain.JoinedAdmitted || m.CardNo != "0007" || m.UnitCode != "CG-A" {
			t.Errorf("member %+v", m.Member)
		}
		if m, err := st.Member(bg, "079088000003"); err != nil || m.JoinedHow != domain.JoinedTransferred || m.Gender != "male" {
			t.Errorf("member 2: %+v %v", m, err)
		}
		// Mã số thuế, Tên, Loại hình, Số lao động, Địa chỉ, Địa bàn, Đơn vị quản lý, Nguồn
		p = fill("enterprises", [][]any{{"0100109106", "Công ty TNHH An Phát", "Ngoài nhà nước", 120, "Số 1 Duy Tân", "Dịch Vọng Hậu", "HN-CG", "bhxh"}})
		rtImport(t, st, "enterprises", p)
		if e, err := st.Enterprise(bg, "0100109106"); err != nil || e.Ownership != domain.OwnPrivate || e.Employees != 120 {
			t.Errorf("enterprise %+v %v", e, err)
		}
		// Units with every drop-down.
		p = fill("units", [][]any{{"CG-N", "CĐCS Hợp tác xã Nghĩa Tân", "HN-CG", "Công đoàn cơ sở", "Hợp tác xã", "0100109106", time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC), "9/QĐ", "Phương thức mới"}})
		rtImport(t, st, "units", p)
		if u, err := st.Unit(bg, "CG-N"); err != nil || u.Kind != domain.KindGrassroots || u.Ownership != domain.OwnCooperative || u.Method != domain.MethodNew || u.EnterpriseTaxCode != "0100109106" {
			t.Errorf("unit %+v %v", u, err)
		}
	})
}

// An XLSX list has its header frozen, an auto-filter, numbers as numbers
// and dates as dates.
func TestXLSXList(t *testing.T) {
	t.Parallel()
	var rows [][]any
	for i := range 3 {
		rows = append(rows, []any{"007", int64(1000 + i), domain.NewDate(2022, 7, 8+i)})
	}
	file := writeList(t, export.FormatXLSX, "Danh sách", []export.ListColumn{
		{Header: "Mã", Type: importer.TypeCode}, {Header: "Số", Type: importer.TypeInteger}, {Header: "Ngày", Type: importer.TypeDate}}, rows...)
	b := bytes.NewBuffer(file)
	wb := openXLSX(t, file)
	defer wb.Close()
	if typ, _ := wb.GetCellType("Danh sách", "B2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("B2 is not a number cell: %v", typ)
	}
	if v, _ := wb.GetCellValue("Danh sách", "C2"); v != "08/07/2022" {
		t.Errorf("C2 shows %q, want 08/07/2022", v)
	}
	if v, _ := wb.GetCellValue("Danh sách", "A2"); v != "007" {
		t.Errorf("A2 %q", v)
	}
	if p, _ := wb.GetPanes("Danh sách"); !p.Freeze || p.YSplit != 1 {
		t.Errorf("panes %+v", p)
	}
	z, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			rc, _ := f.Open()
			x, _ := io.ReadAll(rc)
			rc.Close()
			// excelize writes the range absolute ($A$1:$C$4), as Excel reads it.
			if !regexp.MustCompile(`<autoFilter ref="\$?A\$?1:\$?C\$?4"`).Match(x) {
				t.Errorf("no auto-filter over A1:C4 in the sheet")
			}
		}
	}
}

// writeList writes rows as a list in format and returns the file.
func writeList(t *testing.T, format, sheet string, cols []export.ListColumn, rows ...[]any) []byte {
	t.Helper()
	var b bytes.Buffer
	l, err := export.NewList(&b, format, sheet, cols)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := l.Row(r...); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// openXLSX reads a workbook; the caller closes it.
func openXLSX(t *testing.T, file []byte) *excelize.File {
	t.Helper()
	wb, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	return wb
}
