package domain

import "unicode/utf8"

// Clip is the start of s as a message quotes a value: at most n
// characters, then "…" when s is longer. Bytes that are not UTF-8 count
// as one character each.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for k := 0; k < n && i < len(s); k++ {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	if i >= len(s) {
		return s
	}
	return s[:i] + "…"
}

// quoteMax is how many characters of a value the domain's messages quote.
const quoteMax = 40

// clip is the start of a value as the domain's messages quote it.
func clip(s string) string { return Clip(s, quoteMax) }
