package web

import (
	"bytes"
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"congdoan/internal/vn"
)

// nameKey is a Vietnamese name cut the way it sorts: given name (the last
// word), then middle names, then family name (the first word), each as a
// Vietnamese collation key.
type nameKey struct {
	given, middle, family []byte
}

// nameSorter sorts Vietnamese names. A collator is not safe for concurrent
// use: make one per request.
type nameSorter struct {
	col *collate.Collator
	buf collate.Buffer
}

func newNameSorter() *nameSorter {
	return &nameSorter{col: collate.New(language.Vietnamese)}
}

func (ns *nameSorter) key(full string) nameKey {
	given, middle, family := vn.NameParts(full)
	k := nameKey{
		given:  append([]byte(nil), ns.col.KeyFromString(&ns.buf, given)...),
		middle: append([]byte(nil), ns.col.KeyFromString(&ns.buf, middle)...),
		family: append([]byte(nil), ns.col.KeyFromString(&ns.buf, family)...),
	}
	ns.buf.Reset()
	return k
}

func (a nameKey) compare(b nameKey) int {
	if c := bytes.Compare(a.given, b.given); c != 0 {
		return c
	}
	if c := bytes.Compare(a.middle, b.middle); c != 0 {
		return c
	}
	return bytes.Compare(a.family, b.family)
}

// sortByName sorts xs by the Vietnamese order of name(x), stable for equal
// names.
func sortByName[T any](xs []T, name func(T) string) {
	ns := newNameSorter()
	type keyed struct {
		k nameKey
		x T
	}
	ks := make([]keyed, len(xs))
	for i, x := range xs {
		ks[i] = keyed{ns.key(name(x)), x}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int { return a.k.compare(b.k) })
	for i := range ks {
		xs[i] = ks[i].x
	}
}
