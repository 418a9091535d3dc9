package web_test

import (
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

var (
	entTax  = regexp.MustCompile(`<span class="mono">([0-9-]+)</span>`)
	relNext = regexp.MustCompile(`href="([^"]+)" rel="next"`)
	relPrev = regexp.MustCompile(`href="([^"]+)" rel="prev"`)
)

// The enterprise registry and the gap list page by keyset on (employees
// DESC, tax code): each page continues the one before in the lists' order
// (the order of their downloads), forwards and backwards, ties broken by
// the tax code; the totals are of all pages; a token that is not one
// starts the list over, saying so.
func TestEnterpriseKeysetPages(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		moreEnterprises(t, st)
		cg, err := st.Unit(ctx, "HN-CG")
		if err != nil {
			t.Fatal(err)
		}
		filter := store.EnterpriseFilter{UnitPath: cg.Path, AsOf: domain.Today()}
		var want []string
		if err := st.StreamEnterprises(ctx, filter, func(e *store.EnterpriseRow) error {
			want = append(want, e.TaxCode)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(want) != 62 {
			t.Fatalf("%d enterprises under HN-CG, want 62", len(want))
		}
		// The store: pages of 7 forwards, then backwards from the end.
		var got []string
		var pages [][]store.EnterpriseRow
		q := store.EnterprisePageQuery{Filter: filter, Limit: 7}
		for guard := 0; guard < 20; guard++ {
			rows, more, err := st.EnterprisePage(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			pages = append(pages, rows)
			for _, e := range rows {
				got = append(got, e.TaxCode)
			}
			if !more {
				break
			}
			c := rows[len(rows)-1].Cursor()
			q.After = &c
		}
		if !slices.Equal(got, want) {
			t.Fatalf("forward pages:\n%v\nwant\n%v", got, want)
		}
		for i := len(pages) - 1; i > 0; i-- {
			c := pages[i][0].Cursor()
			rows, more, err := st.EnterprisePage(ctx, store.EnterprisePageQuery{Filter: filter, Limit: 7, After: &c, Backward: true})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(rows, pages[i-1], func(a, b store.EnterpriseRow) bool { return a.TaxCode == b.TaxCode }) || more != (i > 1) {
				t.Errorf("the page before page %d: %d rows, more %v", i+1, len(rows), more)
			}
		}
		for _, tok := range []string{"", "!!", "AA", strings.Repeat("A", 400)} {
			if _, err := store.DecodeEnterpriseCursor(tok); err == nil {
				t.Errorf("token %q decodes", tok)
			}
		}

		// The registry: page 2 continues page 1, the link back gives page 1.
		lan := f.loggedIn("lan")
		open := func(path string) string {
			t.Helper()
			body := lan.okPage(path)
			return body
		}
		taxes := func(body string) []string {
			var out []string
			for _, m := range entTax.FindAllStringSubmatch(body, -1) {
				out = append(out, m[1])
			}
			return out
		}
		body := open("/enterprises?unit=HN-CG")
		p1 := taxes(body)
		if !slices.Equal(p1, want[:50]) || !strings.Contains(body, "Trang 1 / 2") || relPrev.MatchString(body) {
			t.Fatalf("page 1: %v, want %v", p1, want[:50])
		}
		next := relNext.FindStringSubmatch(body)
		if next == nil || strings.Contains(next[1], "page=") {
			t.Fatalf("page 1 has no keyset link to page 2: %v", next)
		}
		body = open(html.UnescapeString(next[1]))
		if p2 := taxes(body); !slices.Equal(p2, want[50:]) || !strings.Contains(body, "Trang 2 / 2") || relNext.MatchString(body) {
			t.Errorf("page 2: %v, want %v", p2, want[50:])
		}
		if !strings.Contains(body, "62") {
			t.Error("page 2 lacks the true total")
		}
		prev := relPrev.FindStringSubmatch(body)
		if prev == nil {
			t.Fatal("page 2 has no link back")
		}
		body = open(html.UnescapeString(prev[1]))
		if back := taxes(body); !slices.Equal(back, p1) || !strings.Contains(body, "Trang 1 / 2") {
			t.Errorf("back to page 1: %v", back)
		}
		body = open("/enterprises?unit=HN-CG&after=%21%21")
		if got := taxes(body); !slices.Equal(got, p1) || !strings.Contains(body, "Liên kết trang không hợp lệ") {
			t.Errorf("a bad token: %v", got)
		}
		// The gap list keeps the filters on its keyset links.
		body = open("/enterprises/gap?unit=HN-CG&ownership=private")
		next = relNext.FindStringSubmatch(body)
		if next != nil && !strings.Contains(next[1], "ownership=private") {
			t.Errorf("the gap list's next link drops the filter: %s", next[1])
		}
	})
}
