package web_test

import (
	"bytes"
	"slices"
	"testing"

	"congdoan/internal/demo"
	"congdoan/internal/vn"
)

// TestBrowserLists drives the member list and the gap list in Chromium:
// sorting by a column header continues across pages, and the gap list
// pages 50 at a time.
func TestBrowserLists(t *testing.T) {
	const (
		names = "#member-table .member-name" // the member list's names
		rows  = "#gap-table tbody tr .mono"  // the gap list's tax codes
	)
	app := newDemoApp(t)
	b := app.loggedInTab(t, demo.User, demo.Password, desktopWidth)

	// The district's members, sorted by name the other way round by a click
	// on the header, then the next page.
	b.openWant("/members?unit="+app.home, 200)
	b.submitWant("#sort-name", 200, "sort by name")
	if got := eval[string](b, `document.querySelector('#sort-name').closest('th').getAttribute('aria-sort')`); got != "descending" {
		t.Errorf("the name column is %q after the click, want descending", got)
	}
	page1 := b.texts(names)
	if len(page1) != 50 {
		t.Fatalf("page 1 has %d members, want 50 (the district has more)", len(page1))
	}
	b.submitWant("#page-next", 200, "next page")
	page2 := b.texts(names)
	if len(page2) == 0 {
		t.Fatal("page 2 is empty")
	}
	if got := b.text("#member-range"); got != "đang xem 51–"+vn.Int(int64(50+len(page2))) {
		t.Errorf("page 2 says %q", got)
	}
	both := append(slices.Clone(page1), page2...)
	desc := slices.IsSortedFunc(both, func(a, c string) int { return bytes.Compare(vn.NameKey(c), vn.NameKey(a)) })
	if !desc {
		t.Errorf("pages 1 and 2 are not one list in descending Vietnamese order: …%q | %q…", page1[len(page1)-3:], page2[:min(3, len(page2))])
	}
	// Back to page 1: the same rows.
	b.submitWant("#page-prev", 200, "previous page")
	if got := b.texts(names); !slices.Equal(got, page1) {
		t.Errorf("back on page 1: %q…, want %q…", got[:3], page1[:3])
	}
	b.shot("members-sorted-desktop")

	// The city's gap list: 50 a page, page 2 different, a phone-sized page
	// of reasonable length.
	b.openWant("/enterprises/gap?unit=HN", 200)
	first := b.texts(rows)
	if len(first) != 50 {
		t.Fatalf("the gap list's first page has %d rows, want 50", len(first))
	}
	if n := eval[int](b, `document.querySelectorAll('#gap-table th:empty').length`); n != 0 {
		t.Errorf("%d empty table headers", n)
	}
	b.submitWant(`a[rel="next"]`, 200, "gap page 2")
	second := b.texts(rows)
	for _, tax := range second {
		if slices.Contains(first, tax) {
			t.Errorf("%s is on pages 1 and 2", tax)
		}
	}
	b.viewport(phoneWidth)
	b.open("/enterprises/gap?unit=HN")
	if h := eval[int](b, `document.documentElement.scrollHeight`); h > 25000 {
		t.Errorf("the gap list is %d px tall on a phone", h)
	}
	b.noHorizontalScroll("/enterprises/gap")
	b.shot("gap-phone")
	// The dashboard's chart scrolls with the keyboard.
	b.open("/")
	if got := eval[int](b, `document.querySelector('.chart-wrap').tabIndex`); got != 0 {
		t.Errorf("the chart region's tabIndex is %d, want 0", got)
	}
}
