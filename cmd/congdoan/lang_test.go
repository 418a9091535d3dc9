package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// cliEnv runs a command line in process with extra environment variables
// (set after the test's own, so they win) and returns its exit code,
// stdout and stderr.
func cliEnv(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	return runIn(t, append([]string{"CONGDOAN_LANG=", "LANG=", "LC_ALL="}, env...), "", args...)
}

// English words that must not show in a Vietnamese message (lower case, as
// whole words: the placeholders FILE, KIND, CODE of the usage are upper
// case and stay).
var englishWord = regexp.MustCompile(`\b(unexpected|argument|missing|unknown|file|must|needs|invalid|choose|there|not|found|the|is|imported|rows|wrote|restored)\b`)

// flagName is a flag such as --max-rows: a code name, not a word.
var flagName = regexp.MustCompile(`--[a-z][a-z-]*`)

// rowPrefix is the FILE:ROW: column: of an invalid value.
var rowPrefix = regexp.MustCompile(`(?m)^.*:\d+: [a-z_]+: `)

// Letters only Vietnamese writes.
var vietnameseLetter = regexp.MustCompile(`(?i)[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]`)

// message is what a failed command printed, without the usage that
// follows a usage error.
func message(stderr string) string {
	m, _, _ := strings.Cut(stderr, "\n\n")
	return strings.TrimSpace(m)
}

// Every CLI message is in one language: Vietnamese by default, English
// with --lang en (before or after the command) or CONGDOAN_LANG=en; the
// exit code and the FILE:ROW: column: message form do not change.
func TestCLILanguage(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "t.db")
	bad := write(t, dir, "u.csv", "code,name,parent_code,kind\nHN,Hà Nội,,federation\nX,,HN,bogus\n")
	cases := []struct {
		args   []string
		vi, en string // a part of the message in each language
	}{
		{nil, "chưa có lệnh", "no command given"},
		{[]string{"nosuch"}, `không có lệnh "nosuch"`, `there is no command "nosuch"`},
		{[]string{"report", "x"}, `tham số thừa "x"`, `unexpected argument "x"`},
		{[]string{"report", "--bogus"}, "không có tham số --bogus", "there is no flag --bogus"},
		{[]string{"report", "--plan"}, "tham số --plan cần một giá trị", "flag --plan needs a value"},
		{[]string{"report"}, "lệnh report cần --plan", "report needs --plan"},
		{[]string{"report", "--plan", "P", "--format", "xml"}, `--format "xml": chọn json, xlsx hoặc pdf`, `--format "xml": choose json, xlsx or pdf`},
		{[]string{"report", "--plan", "NOPE"}, `không tìm thấy kế hoạch "NOPE"`, `plan "NOPE" not found`},
		{[]string{"import", "members"}, "lệnh import cần KIND và FILE", "import needs KIND and FILE"},
		{[]string{"import", "bogus", "f.csv"}, `không có loại dữ liệu nhập "bogus"`, `there is no import kind "bogus"`},
		{[]string{"import", "units", filepath.Join(dir, "missing.csv")}, filepath.Join(dir, "missing.csv") + ":1: file: không mở được tệp: không có tệp", filepath.Join(dir, "missing.csv") + ":1: file: cannot open the file: no such file"},
		{[]string{"import", "units", bad}, bad + ":3: name: bắt buộc", bad + ":3: name: required"},
		{[]string{"template", "members", "-o", filepath.Join(dir, "x.pdf")}, "mẫu nhập là tệp .xlsx", "the template is an .xlsx file"},
		{[]string{"export", "members", "--gap", "-o", filepath.Join(dir, "x.csv")}, "--gap chỉ dùng khi xuất enterprises", "--gap is for exporting enterprises only"},
		{[]string{"user", "add", "lan", "--role", "king"}, `--role "king": chọn admin`, `--role "king": choose admin`},
		{[]string{"user"}, "lệnh user cần add, token hoặc revoke", "user needs add, token or revoke"},
		{[]string{"backup"}, "lệnh backup cần FILE", "backup needs FILE"},
		{[]string{"serve", "--log-format", "xml"}, `--log-format "xml": chọn text hoặc json`, `--log-format "xml": choose text or json`},
		{[]string{"serve", "--session-lifetime", "forever"}, `--session-lifetime: "forever": ghi như 12h`, `--session-lifetime: "forever": write it as 12h`},
	}
	for _, c := range cases {
		name := strings.Join(c.args, " ")
		codeVI, _, vi := cliEnv(t, []string{"CONGDOAN_DB=" + db}, c.args...)
		if codeVI != 1 || !strings.Contains(vi, c.vi) {
			t.Errorf("%q: exit %d, want 1 and %q in:\n%s", name, codeVI, c.vi, vi)
		}
		// The column of FILE:ROW: column: and the flags are code names,
		// not words.
		if w := englishWord.FindString(flagName.ReplaceAllString(rowPrefix.ReplaceAllString(vi, ""), "")); w != "" {
			t.Errorf("%q: the Vietnamese output has the English word %q:\n%s", name, w, vi)
		}
		if !strings.HasPrefix(vi, "congdoan: ") && !strings.HasPrefix(vi, filepath.Join(dir, "")) {
			t.Errorf("%q: neither congdoan: nor FILE:ROW: %s", name, vi)
		}
		// The switch, three ways; the same exit code and form.
		for _, run := range []struct {
			env  []string
			args []string
		}{
			{nil, append([]string{"--lang", "en"}, c.args...)},
			{[]string{"CONGDOAN_LANG=en"}, c.args},
			{[]string{"CONGDOAN_LANG=vi"}, append([]string{"--lang=en"}, c.args...)},
		} {
			code, _, en := cliEnv(t, append(run.env, "CONGDOAN_DB="+db), run.args...)
			if code != codeVI || !strings.Contains(en, c.en) {
				t.Errorf("%v %q: exit %d, want %d and %q in:\n%s", run.env, run.args, code, codeVI, c.en, en)
			}
			if l := vietnameseLetter.FindString(message(en)); l != "" {
				t.Errorf("%v %q: the English message has the Vietnamese letter %q:\n%s", run.env, run.args, l, en)
			}
		}
	}
	// A usage error is followed by the usage in the same language.
	if _, _, vi := cliEnv(t, nil, "report", "x"); !strings.Contains(vi, "Cách dùng:") || strings.Contains(vi, "Usage:") {
		t.Errorf("Vietnamese usage: %s", vi)
	}
	if _, _, en := cliEnv(t, nil, "--lang", "en", "report", "x"); !strings.Contains(en, "Usage:") || strings.Contains(en, "Cách dùng:") {
		t.Errorf("English usage: %s", en)
	}
	// --lang after the command counts too.
	if _, _, en := cliEnv(t, []string{"CONGDOAN_DB=" + db}, "report", "--lang", "en"); !strings.Contains(en, "report needs --plan") {
		t.Errorf("--lang after the command: %s", en)
	}
}

// The summaries of commands that succeed follow the language too.
func TestCLILanguageSummaries(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "t.db")
	units := write(t, dir, "units.csv", "code,name,parent_code,kind\nHN,Liên đoàn Lao động thành phố Hà Nội,,federation\n")
	if code, out, errs := cliEnv(t, []string{"CONGDOAN_DB=" + db}, "import", "units", units); code != 0 || out != units+": đã nhập 1 dòng đơn vị\n" {
		t.Errorf("Vietnamese summary: %d %q %s", code, out, errs)
	}
	if code, out, errs := cliEnv(t, []string{"CONGDOAN_DB=" + db}, "--lang", "en", "import", "units", units); code != 0 || out != units+": imported 1 rows of units\n" {
		t.Errorf("English summary: %d %q %s", code, out, errs)
	}
	tpl := filepath.Join(dir, "t.xlsx")
	if code, out, _ := cliEnv(t, nil, "template", "units", "-o", tpl); code != 0 || !strings.HasPrefix(out, "Đã ghi "+tpl+" (XLSX, ") || englishWord.MatchString(out) {
		t.Errorf("Vietnamese wrote line: %q", out)
	}
	if code, out, _ := cliEnv(t, []string{"CONGDOAN_LANG=en"}, "template", "units", "-o", tpl); code != 0 || !strings.HasPrefix(out, "Wrote "+tpl+" (XLSX, ") || !strings.HasSuffix(out, " bytes)\n") {
		t.Errorf("English wrote line: %q", out)
	}
}

// Only vi and en are languages; LANG and LC_ALL are not read (servers
// often default them to English while the product speaks Vietnamese).
func TestCLILanguageChoice(t *testing.T) {
	if code, _, errs := cliEnv(t, []string{"CONGDOAN_LANG=fr"}, "version"); code != 1 || !strings.Contains(errs, `CONGDOAN_LANG="fr": chọn vi hoặc en`) {
		t.Errorf("CONGDOAN_LANG=fr: %d %s", code, errs)
	}
	if code, _, errs := cliEnv(t, nil, "--lang", "fr", "version"); code != 1 || !strings.Contains(errs, `--lang="fr": chọn vi hoặc en`) {
		t.Errorf("--lang fr: %d %s", code, errs)
	}
	if _, _, errs := cliEnv(t, []string{"LANG=en_US.UTF-8", "LC_ALL=en_US.UTF-8"}, "report", "x"); !strings.Contains(errs, "tham số thừa") {
		t.Errorf("LANG=en_US.UTF-8 switched the language: %s", errs)
	}
	if _, _, errs := cliEnv(t, []string{"CONGDOAN_LANG=en_US.UTF-8"}, "report", "x"); !strings.Contains(errs, "unexpected argument") {
		t.Errorf("CONGDOAN_LANG=en_US.UTF-8: %s", errs)
	}
}
