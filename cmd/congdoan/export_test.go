package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// `congdoan template` and `congdoan export` write files that import back.
func TestTemplateAndExport(t *testing.T) {
	db := smallDB(t)
	dir := t.TempDir()
	tpl := filepath.Join(dir, "mau.xlsx")
	if code, out, errs := cli(t, db, "", "template", "members", "-o", tpl); code != 0 || !strings.Contains(out, "mau.xlsx") {
		t.Fatalf("template: %d %s %s", code, out, errs)
	}
	wb, err := excelize.OpenFile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	if sheets := wb.GetSheetList(); len(sheets) != 2 || sheets[0] != "Đoàn viên" {
		t.Errorf("template sheets %v", sheets)
	}
	wb.Close()
	for _, ext := range []string{"csv", "xlsx"} {
		out := filepath.Join(dir, "members."+ext)
		if code, stdout, errs := cli(t, db, "", "export", "members", "--unit", "HN-CG", "-o", out); code != 0 {
			t.Fatalf("export %s: %d %s %s", ext, code, stdout, errs)
		}
		if code, stdout, errs := cli(t, db, "", "import", "members", out); code != 0 || !strings.Contains(stdout, "1") {
			t.Errorf("re-import of the %s export: %d %s %s", ext, code, stdout, errs)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "members.csv"))
	if !strings.HasPrefix(string(b), "\ufeffSố CCCD,") || !strings.Contains(string(b), "001085012345,CCCD,Nguyễn Văn An,01/03/1985,Nam,HN-CG-1,10/05/2022") {
		t.Errorf("members.csv: %s", b)
	}
	for _, args := range [][]string{
		{"export", "members"},                                   // no -o
		{"export", "members", "-o", "x.txt"},                    // not .xlsx or .csv
		{"export", "nope", "-o", "x.csv"},                       // unknown kind
		{"export", "members", "--only", "upper", "-o", "x.csv"}, // --only is for units
		{"template", "nope"},
	} {
		if code, _, errs := cli(t, db, "", args...); code == 0 || errs == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
	if code, _, errs := cli(t, db, "", "export", "units", "--unit", "NOWHERE", "-o", filepath.Join(dir, "u.csv")); code == 0 || !strings.Contains(errs, "NOWHERE") {
		t.Errorf("unknown unit: %d %s", code, errs)
	}
}
