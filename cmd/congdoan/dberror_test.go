package main

import (
	"strings"
	"testing"
)

// A database that does not answer is said in the user's language, with
// none of the driver's words (no database error text reaches a
// user); CONGDOAN_DEBUG=1 adds them for the operator.
func TestDatabaseDownSaysSoWithoutDriverText(t *testing.T) {
	dir := t.TempDir()
	units := write(t, dir, "units.csv", "code,name,parent_code,kind\nHN,Hà Nội,,federation\n")
	down := "postgres://postgres:postgres@127.0.0.1:1/congdoan"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "units", units}, "cơ sở dữ liệu không trả lời"},
		{[]string{"--lang", "en", "report", "--plan", "HN-2026"}, "the database does not answer"},
	} {
		code, _, stderr := cli(t, down, "", c.args...)
		if code != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 and %q", c.args, code, stderr, c.want)
		}
		for _, driver := range []string{"dial", "SQLSTATE", "connect", "127.0.0.1", "postgres"} {
			if strings.Contains(stderr, driver) {
				t.Errorf("%v: stderr shows the driver's words (%q): %q", c.args, driver, stderr)
			}
		}
	}
	code, _, stderr := runIn(t, []string{"CONGDOAN_DB=" + down, "CONGDOAN_LANG=", "CONGDOAN_DEBUG=1"}, "", "import", "units", units)
	if code != 1 || !strings.Contains(stderr, "(debug) ") {
		t.Errorf("with CONGDOAN_DEBUG=1: exit %d, stderr %q; want the driver's text after (debug)", code, stderr)
	}
}
