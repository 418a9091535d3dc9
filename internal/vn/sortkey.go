package vn

import (
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// keyer is a Vietnamese collator with its buffer; neither is safe for
// concurrent use, so they are pooled.
type keyer struct {
	col *collate.Collator
	buf collate.Buffer
}

var keyers = sync.Pool{New: func() any { return &keyer{col: collate.New(language.Vietnamese)} }}

// NameParts splits a Vietnamese full name into its given name (the last
// word), its middle names and its family name (the first word); a name of
// one word is a given name.
func NameParts(full string) (given, middle, family string) {
	w := strings.Fields(full)
	switch len(w) {
	case 0:
	case 1:
		given = w[0]
	default:
		family, given = w[0], w[len(w)-1]
		middle = strings.Join(w[1:len(w)-1], " ")
	}
	return given, middle, family
}

// NameKey is the byte string by which a Vietnamese full name sorts, the
// way name lists are read: by given name (the last word), then the middle
// names, then the family name (the first word), each by the Vietnamese
// collation (a ă â b c d đ e ê …, tones after letters). Keys compare as
// bytes (memcmp), so a database column holding them sorts the same on
// SQLite (BLOB) and PostgreSQL (bytea), and an index on it pages a list
// in name order.
//
// The three parts are joined by a zero byte: a collation key never has a
// zero byte where another key of a different word has a non-zero one at
// the same place, so the joined key compares part by part.
func NameKey(full string) []byte {
	given, middle, family := NameParts(full)
	k := keyers.Get().(*keyer)
	defer keyers.Put(k)
	out := make([]byte, 0, 4*len(full)+16)
	out = append(out, k.col.KeyFromString(&k.buf, given)...)
	out = append(out, 0)
	out = append(out, k.col.KeyFromString(&k.buf, middle)...)
	out = append(out, 0)
	out = append(out, k.col.KeyFromString(&k.buf, family)...)
	k.buf.Reset()
	return out
}
