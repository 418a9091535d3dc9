package web

import (
	"maps"
	"net/url"
	"strconv"
)

// The members and enterprise lists page by keyset: a page is placed by the
// token of the row it follows (after=) or precedes (before=), never by
// counting past the rows before it; n, the rows before it, only numbers
// the rows shown.

// keysetPlace reads a page's place from its query: the token (empty on
// the first page), whether the page precedes that row, and n.
func keysetPlace(q url.Values) (token string, backward bool, n int) {
	for _, k := range []string{"after", "before"} {
		if token = q.Get(k); token != "" {
			backward = k == "before"
			break
		}
	}
	if v, err := strconv.Atoi(q.Get("n")); err == nil && v > 0 && v < 1<<40 {
		n = v
	}
	return token, backward, n
}

// keysetMoves says, once a page of rows came, whether there are rows
// before and after it, and how many stand before it. placed: the page
// follows or precedes a row (its token was good); before: n from the
// query; more: the store has rows beyond the page in the direction read.
func keysetMoves(placed, backward bool, before, rows int, more bool) (hasPrev, hasNext bool, n int) {
	switch {
	case !placed:
		return false, more, 0
	case !backward:
		return true, more, before
	case !more:
		return false, true, 0 // back at the start of the list
	}
	return true, true, max(0, before-rows)
}

// keysetLink is the link of path with the query v and the page that
// follows (k "after") or precedes (k "before") the row of token, with n
// rows before it.
func keysetLink(path string, v url.Values, k, token string, n int) string {
	v = maps.Clone(v)
	v.Set(k, token)
	v.Set("n", strconv.Itoa(n))
	return path + "?" + v.Encode()
}
