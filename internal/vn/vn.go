// Package vn holds what is particular to Vietnamese text: folding away
// diacritics for search and header matching, the sort order of names, and
// numbers written the Vietnamese way.
package vn

import (
	"math"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold lowers s and strips its diacritics, mapping đ to d by hand (it does
// not decompose): "Nguyễn Văn Đức" -> "nguyen van duc".
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || (c >= 'A' && c <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii { // most codes and canonical values: nothing to fold
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			b.WriteByte('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// HeaderKey folds a column header and drops spaces and underscores, so
// "Ma so thue", "MÃ SỐ THUẾ" and "mã_số_thuế" are one key.
func HeaderKey(s string) string {
	f := Fold(strings.TrimPrefix(s, "\ufeff"))
	var b strings.Builder
	for _, r := range f {
		if unicode.IsSpace(r) || r == '_' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Int writes n with dots between thousands: 24396 -> "24.396".
func Int(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Decimal writes v with at most prec decimals and a decimal comma, trailing
// zeros dropped: 40.8 -> "40,8", 30.72 -> "30,72", 1017.83 -> "1.017,83".
func Decimal(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	n, _ := strconv.ParseInt(intPart, 10, 64)
	out := Int(n)
	if n == 0 && strings.HasPrefix(intPart, "-") {
		out = "-0"
	}
	if frac != "" {
		out += "," + frac
	}
	return out
}

// NBSP is the no-break space between a number and its "%", so that a line
// never breaks between them.
const NBSP = "\u00A0"

// Percent writes "40,8 %", the space a no-break space (NBSP).
func Percent(v float64) string { return Decimal(v, 2) + NBSP + "%" }

// Round is v rounded half away from zero to a whole number: what a count
// (members, unions) expected at the plan's pace shows as.
func Round(v float64) int64 { return int64(math.Round(v)) }

// Count writes a count computed as a fraction (the value a target expects
// by today, 24779.71) as the whole number people count: "24.780". The one
// definition for the pages, the documents and the written summary; the
// JSON report keeps the exact value.
func Count(v float64) string { return Int(Round(v)) }
