package importer

import "strings"

// UnquoteFormula gives back a text value that a CSV export neutralised
// against formula injection (export.NeutraliseCSV): an apostrophe before a
// value starting with = + - or @ (after any further apostrophes) is
// dropped; any other value is returned as it is. A CSV reader calls it on
// every cell, so that export then import gives the original value.
func UnquoteFormula(s string) string {
	if strings.HasPrefix(s, "'") {
		if rest := strings.TrimLeft(s, "'"); rest != "" && strings.ContainsRune("=+-@", rune(rest[0])) {
			return s[1:]
		}
	}
	return s
}
