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

// `congdoan export` takes the filters of the web lists.
func TestExportFilters(t *testing.T) {
	db := smallDB(t)
	dir := t.TempDir()
	more := write(t, dir, "more.csv", "national_id,full_name,date_of_birth,gender,unit_code,joined_on,left_on\n"+
		"001190012346,Trần Thị Bình,1990-01-01,female,HN-CG-1,2022-06-01,\n"+
		"001088012347,Lê Văn Đức,1988-01-01,male,HN-CG-1,2022-04-01,2022-09-01\n")
	if code, out, errs := cli(t, db, "", "import", "members", more); code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	ents := write(t, dir, "ents.csv", "tax_code,name,ownership,employees,area,unit_code\n"+
		"0100109106,Công ty An Phát,private,120,Dịch Vọng,HN-CG\n0100100079,Công ty May,fdi,20,Yên Hòa,HN-CG\n")
	if code, out, errs := cli(t, db, "", "import", "enterprises", ents); code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	for _, c := range []struct {
		args []string
		want []string // names in the file
		not  []string
	}{
		{[]string{"members", "--gender", "female"}, []string{"Trần Thị Bình"}, []string{"Nguyễn Văn An", "Lê Văn Đức"}},
		{[]string{"members", "--status", "left"}, []string{"Lê Văn Đức"}, []string{"Nguyễn Văn An", "Trần Thị Bình"}},
		{[]string{"members", "--status", "active", "--joined-from", "01/05/2022"}, []string{"Nguyễn Văn An", "Trần Thị Bình"}, []string{"Lê Văn Đức"}},
		{[]string{"members", "--q", "binh"}, []string{"Trần Thị Bình"}, []string{"Nguyễn Văn An"}},
		{[]string{"enterprises", "--ownership", "fdi"}, []string{"Công ty May"}, []string{"Công ty An Phát"}},
		{[]string{"enterprises", "--gap"}, []string{"Công ty An Phát"}, []string{"Công ty May"}},
		{[]string{"enterprises", "--area", "Yên Hòa"}, []string{"Công ty May"}, []string{"Công ty An Phát"}},
	} {
		out := filepath.Join(dir, "x.csv")
		args := append([]string{"export"}, c.args...)
		if code, stdout, errs := cli(t, db, "", append(args, "-o", out)...); code != 0 {
			t.Fatalf("%v: %d %s %s", c.args, code, stdout, errs)
		}
		b, _ := os.ReadFile(out)
		for _, w := range c.want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%v: %s missing:\n%s", c.args, w, b)
			}
		}
		for _, w := range c.not {
			if strings.Contains(string(b), w) {
				t.Errorf("%v: %s should be filtered out:\n%s", c.args, w, b)
			}
		}
	}
	// Bad filters name the flag; nothing is written.
	for flag, args := range map[string][]string{
		"--gender":      {"members", "--gender", "x"},
		"--joined-from": {"members", "--joined-from", "31/02/2022"},
		"--status":      {"members", "--status", "gone"},
		"--ownership":   {"enterprises", "--ownership", "x"},
		"--gap":         {"members", "--gap"},
		"--party":       {"units", "--party", "yes"},
	} {
		out := filepath.Join(dir, "bad.csv")
		code, _, errs := cli(t, db, "", append(append([]string{"export"}, args...), "-o", out)...)
		if code == 0 || !strings.Contains(errs, flag) {
			t.Errorf("%v: exit %d, stderr %q, want an error naming %s", args, code, errs, flag)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: a file was written", args)
		}
	}
}
