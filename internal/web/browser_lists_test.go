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
	app := newDemoApp(t)
	b := app.session(t)
	b.viewport(desktopWidth)
	b.login(demo.User, demo.Password)

	// The district's members, sorted by name the other way round by a click
	// on the header, then the next page.
	if status := b.open("/members?unit=" + app.home); status != 200 {
		t.Fatalf("/members: %d", status)
	}
	if status := b.submit("#sort-name"); status != 200 {
		t.Fatalf("sort by name: %d", status)
	}
	if got := eval[string](b, `document.querySelector('#sort-name').closest('th').getAttribute('aria-sort')`); got != "descending" {
		t.Errorf("the name column is %q after the click, want descending", got)
	}
	names := func() []string {
		return eval[[]string](b, `Array.from(document.querySelectorAll('#member-table .member-name')).map(e => e.textContent)`)
	}
	page1 := names()
	if len(page1) != 50 {
		t.Fatalf("page 1 has %d members, want 50 (the district has more)", len(page1))
	}
	if status := b.submit("#page-next"); status != 200 {
		t.Fatalf("next page: %d", status)
	}
	page2 := names()
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
	if status := b.submit("#page-prev"); status != 200 {
		t.Fatalf("previous page: %d", status)
	}
	if got := names(); !slices.Equal(got, page1) {
		t.Errorf("back on page 1: %q…, want %q…", got[:3], page1[:3])
	}
	b.shot("members-sorted-desktop")

	// The city's gap list: 50 a page, page 2 different, a phone-sized page
	// of reasonable length.
	if status := b.open("/enterprises/gap?unit=HN"); status != 200 {
		t.Fatalf("/enterprises/gap: %d", status)
	}
	rows := func() []string {
		return eval[[]string](b, `Array.from(document.querySelectorAll('#gap-table tbody tr .mono')).map(e => e.textContent)`)
	}
	first := rows()
	if len(first) != 50 {
		t.Fatalf("the gap list's first page has %d rows, want 50", len(first))
	}
	if n := eval[int](b, `document.querySelectorAll('#gap-table th:empty').length`); n != 0 {
		t.Errorf("%d empty table headers", n)
	}
	if status := b.submit(`a[rel="next"]`); status != 200 {
		t.Fatalf("gap page 2: %d", status)
	}
	second := rows()
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
