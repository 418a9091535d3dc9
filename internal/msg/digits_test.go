package msg

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// plainDigits are the Vietnamese messages that may print a number with %d,
// plain digits: each number is an address, a year, or a small fixed limit
// that never reaches 1 000. Every other number a message shows is a
// quantity that can exceed 999, printed with %s from a Count (2.000.000 in
// Vietnamese, 2,000,000 in English).
var plainDigits = map[string]string{
	// Row numbers in FILE:ROW positions: a row number is an address, not a
	// quantity, and is written as the spreadsheet shows it.
	"file.empty_rows":                    "the row number of the data row",
	"file.sheet_broken":                  "a row number",
	"preview.header_row":                 "a row number (at most 10)",
	"id.cccd_year":                       "a year",
	"id.cccd_century":                    "one digit",
	"file.no_header":                     "10 rows",
	"cell.too_large":                     "32 KB",
	"file.row_too_large":                 "1 MB",
	"file.xml_run":                       "1 MB",
	"member.too_young":                   "an age",
	"cli.password_short":                 "a password's least length",
	"cli.password_long":                  "a password's most bytes",
	"edit.too_long":                      "500 characters",
	"indicator.enterprise_unions_25plus": "25 members",
	"gap.count":                          "the enterprise size threshold (25 workers)",
	"account.days":                       "a session's or token's days",
	"preview.rows":                       "the preview's few rows",
	"org.founders_n":                     "a founding group's few people",
	"found.new_method_founders":          "a founding group's few people",
	"report_letter.lines_hint":           "a letter's few lines",
}

var digitVerb = regexp.MustCompile(`%(\[\d+\])?d`)

// TestQuantitiesWrittenTheVietnameseWay scans the Vietnamese catalogs,
// the messages' and the web pages', for %d outside plainDigits.
func TestQuantitiesWrittenTheVietnameseWay(t *testing.T) {
	var files []string
	for _, pattern := range []string{"catalog/vi*.json", "../web/i18n/vi*.json"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 4 {
		t.Fatalf("found only the catalogs %v", files)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var texts map[string]string
		if err := json.Unmarshal(b, &texts); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for key, text := range texts {
			if digitVerb.MatchString(text) && plainDigits[key] == "" {
				t.Errorf("%s: %s prints a number with %%d: a quantity over 999 must read 2.000.000 (msg.Count and %%s): %q", f, key, text)
			}
		}
	}
}

// A count given to a message reads the Vietnamese way in Vietnamese and
// the English way in English: the messages turned from %d.
func TestCountsInMessages(t *testing.T) {
	for key, args := range map[string][]any{
		"cell.too_long":         {Count(1500), Count(1200), "x"},
		"file.part_too_large":   {"xl/worksheets/sheet1.xml", Count(2048), Count(512)},
		"cli.token_revoked":     {Count(1200), "lan"},
		"letter.too_many_lines": {Count(1200), Count(20)},
	} {
		text := New(key, args...)
		if got := text.In(VI); !regexp.MustCompile(`1\.[25]00|2\.048`).MatchString(got) {
			t.Errorf("%s in Vietnamese: %q", key, got)
		}
		if got := text.In(EN); !regexp.MustCompile(`1,[25]00|2,048`).MatchString(got) {
			t.Errorf("%s in English: %q", key, got)
		}
	}
}
