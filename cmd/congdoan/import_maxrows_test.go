package main

import (
	"flag"
	"path/filepath"
	"strings"
	"testing"
)

// The row cap of `congdoan import`: 2 000 000 by default,
// raised by --max-rows or CONGDOAN_IMPORT_MAX_ROWS for a national file, a
// positive whole number, refused in the user's language otherwise.
func TestCLIImportMaxRows(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "t.db")
	env := []string{"CONGDOAN_DB=" + db, "CONGDOAN_IMPORT_MAX_ROWS="}
	// A header and five units: six rows.
	units := write(t, dir, "units.csv", "code,name,parent_code,kind\nHN,Hà Nội,,federation\n"+
		"A,Quận A,HN,upper\nB,Quận B,HN,upper\nC,Quận C,HN,upper\nD,Quận D,HN,upper\n")
	refused := []struct {
		env    []string
		args   []string
		vi, en string
	}{
		{nil, []string{"--max-rows", "5"}, units + ":6: file: tệp có hơn 5 dòng", units + ":6: file: the file has more than 5 rows"},
		{[]string{"CONGDOAN_IMPORT_MAX_ROWS=5"}, nil, units + ":6: file: tệp có hơn 5 dòng", units + ":6: file: the file has more than 5 rows"},
		// The flag wins over the variable.
		{[]string{"CONGDOAN_IMPORT_MAX_ROWS=100"}, []string{"--max-rows=5"}, "tệp có hơn 5 dòng", "the file has more than 5 rows"},
		{nil, []string{"--max-rows", "0"}, `--max-rows "0": cần một số nguyên dương, số dòng tối đa của tệp (mặc định 2.000.000)`, `--max-rows "0": needs a positive whole number, the most rows of a file (default 2,000,000)`},
		{nil, []string{"--max-rows", "-3"}, `--max-rows "-3": cần một số nguyên dương`, `--max-rows "-3": needs a positive whole number`},
		{nil, []string{"--max-rows", "12.000.000"}, `--max-rows "12.000.000": cần một số nguyên dương`, `--max-rows "12.000.000": needs a positive whole number`},
		{nil, []string{"--max-rows="}, `--max-rows "": cần một số nguyên dương`, `--max-rows "": needs a positive whole number`},
		{[]string{"CONGDOAN_IMPORT_MAX_ROWS=many"}, nil, `CONGDOAN_IMPORT_MAX_ROWS "many": cần một số nguyên dương`, `CONGDOAN_IMPORT_MAX_ROWS "many": needs a positive whole number`},
	}
	for _, c := range refused {
		args := append([]string{"import", "units", units}, c.args...)
		code, _, vi := cliEnv(t, append(env, c.env...), args...)
		if code != 1 || !strings.Contains(vi, c.vi) {
			t.Errorf("%v %q: exit %d, want 1 and %q in:\n%s", c.env, args, code, c.vi, vi)
		}
		if w := englishWord.FindString(flagName.ReplaceAllString(rowPrefix.ReplaceAllString(message(vi), ""), "")); w != "" {
			t.Errorf("%v %q: the Vietnamese message has the English word %q:\n%s", c.env, args, w, vi)
		}
		code, _, en := cliEnv(t, append(env, c.env...), append([]string{"--lang", "en"}, args...)...)
		if code != 1 || !strings.Contains(en, c.en) {
			t.Errorf("%v %q: exit %d, want 1 and %q in:\n%s", c.env, args, code, c.en, en)
		}
		if l := vietnameseLetter.FindString(message(en)); l != "" {
			t.Errorf("%v %q: the English message has the Vietnamese letter %q:\n%s", c.env, args, l, en)
		}
	}
	// Nothing was written: the refused file imports whole once the cap
	// is raised, by the flag and by the variable.
	if code, out, errs := cliEnv(t, env, "import", "units", units, "--max-rows", "6"); code != 0 || out != units+": đã nhập 5 dòng đơn vị\n" {
		t.Errorf("--max-rows 6: %d %q %s", code, out, errs)
	}
	if code, out, errs := cliEnv(t, append(env, "CONGDOAN_IMPORT_MAX_ROWS=6"), "import", "units", units); code != 0 || out != units+": đã nhập 5 dòng đơn vị\n" {
		t.Errorf("CONGDOAN_IMPORT_MAX_ROWS=6: %d %q %s", code, out, errs)
	}
	// The default is 2 000 000 rows, blank rows included; a national file
	// passes with the cap raised. -short checks the same rules on a file
	// of seven rows and the default by importMaxRows itself: writing and
	// reading two million rows twice was a fifth of this package's time.
	if testing.Short() {
		fs := flag.NewFlagSet("import", flag.ContinueOnError)
		fs.String("max-rows", "", "")
		t.Setenv("CONGDOAN_IMPORT_MAX_ROWS", "")
		if n, err := importMaxRows(fs, ""); n != 2_000_000 || err != nil {
			t.Errorf("the default cap: %d, %v; want 2000000", n, err)
		}
		blank := write(t, dir, "blank.csv", "code,name,parent_code,kind\n"+strings.Repeat(",,,\n", 5)+"BIG,Lớn,,federation\n")
		if code, _, errs := cliEnv(t, env, "import", "units", blank, "--max-rows", "5"); code != 1 || !strings.Contains(errs, blank+":6: file: tệp có hơn 5 dòng") {
			t.Errorf("blank rows under the cap: %d %s", code, errs)
		}
		if code, out, errs := cliEnv(t, env, "import", "units", blank, "--max-rows", "7"); code != 0 || out != blank+": đã nhập 1 dòng đơn vị\n" {
			t.Errorf("--max-rows 7: %d %q %s", code, out, errs)
		}
	} else {
		big := write(t, dir, "big.csv", "code,name,parent_code,kind\n"+strings.Repeat(",,,\n", 2_000_000)+"BIG,Lớn,,federation\n")
		if code, _, errs := cliEnv(t, env, "import", "units", big); code != 1 || !strings.Contains(errs, big+":2000001: file: tệp có hơn 2.000.000 dòng") {
			t.Errorf("the default cap: %d %s", code, errs)
		}
		if code, out, errs := cliEnv(t, env, "import", "units", big, "--max-rows", "12000000"); code != 0 || out != big+": đã nhập 1 dòng đơn vị\n" {
			t.Errorf("--max-rows 12000000: %d %q %s", code, out, errs)
		}
	}
	// The usage says it, in each language.
	for _, c := range []struct{ lang, want string }{
		{"vi", "--max-rows N   nhận tệp đến N dòng (mặc định 2.000.000; cũng từ CONGDOAN_IMPORT_MAX_ROWS)"},
		{"en", "--max-rows N   take a file of up to N rows (default 2,000,000; also from CONGDOAN_IMPORT_MAX_ROWS)"},
	} {
		if _, _, usage := cliEnv(t, nil, "--lang", c.lang, "report", "x"); !strings.Contains(usage, c.want) {
			t.Errorf("%s usage lacks %q:\n%s", c.lang, c.want, usage)
		}
	}
}
